import type { ReactNode } from 'react';
import { capability, Need } from '../api/capabilities';
import type { ServiceName } from '../api/http';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n/i18n';

/**
 * A view whose service API is not there yet: says which routes it waits for (read from the
 * service's OpenAPI), and shows its children only once every one of them exists.
 */
export function Pending({ service, needs, children }: { service: ServiceName; needs: Need[]; children: () => ReactNode }) {
  const { t } = useI18n();
  const cap = useLoad(() => capability(service, needs), [service]);
  if (!cap.data) return <p className="muted">{t('pending.checking', { service })}</p>;
  if (cap.data.ready) return <>{children()}</>;
  return (
    <div className="pending" role="note">
      <p>
        <strong>{t('pending.title', { service })}</strong>
      </p>
      <p>{t('pending.body', { service })}</p>
      <ul>
        {cap.data.missing.map((n) => (
          <li key={n.method + n.path}>
            <code>
              {n.method.toUpperCase()} {n.path}
            </code>
          </li>
        ))}
      </ul>
    </div>
  );
}
