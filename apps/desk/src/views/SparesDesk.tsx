import { NEEDS } from '../api/capabilities';
import { Pending } from '../components/Pending';
import { useI18n } from '../i18n/i18n';

/** Stock per depot, reservations, deliveries, overdue returns, repair orders and quotes: waits for the spares API. */
export function SparesDesk() {
  const { t } = useI18n();
  return (
    <div>
      <h1>{t('spares.title')}</h1>
      <p>{t('spares.what')}</p>
      <Pending service={NEEDS.sparesDesk.service} needs={NEEDS.sparesDesk.needs}>
        {() => <p>{t('spares.what')}</p>}
      </Pending>
    </div>
  );
}
