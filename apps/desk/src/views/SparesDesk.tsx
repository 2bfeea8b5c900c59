import { useState } from 'react';
import { NEEDS } from '../api/capabilities';
import { spares } from '../api/client';
import type { PartRequest, RepairOrder } from '../api/types';
import { Pending } from '../components/Pending';
import { ActionButtons, ColumnHeads, ErrorNote, Field, Section } from '../components/ui';
import { useAction, useLoad } from '../hooks';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { pollEvery, useLive } from '../live';
import type { Session } from '../auth/session';
import { PartRequests } from './Parts';
import { OpenReturns } from './ReturnsDesk';

const SPARES_POLL_MS = 15000;
const HOLDING = ['awaiting-approval', 'reserved', 'picked'];
const ON_THE_WAY = ['shipped', 'delivered'];

/** Stock per depot, reservations, deliveries, overdue returns, repair orders and quotes (the spares service's APIs). */
export function SparesDesk({ session }: { session: Session }) {
  const { t } = useI18n();
  return (
    <div>
      <h1>{t('spares.title')}</h1>
      <Pending service={NEEDS.sparesDesk.service} needs={NEEDS.sparesDesk.needs}>
        {() => <SparesBoard session={session} />}
      </Pending>
    </div>
  );
}

function SparesBoard({ session }: { session: Session }) {
  const { t } = useI18n();
  const live = useLive();
  const poll = pollEvery(live, SPARES_POLL_MS);
  const requests = useLoad(() => spares.requests({}), [live.version], poll);
  const items = requests.data?.items ?? [];
  return (
    <>
      <Stock />
      <div className="grid2">
        <Section title={t('spares.reservations')}>
          <ErrorNote error={requests.error} onRetry={requests.reload} />
          <Requests rows={items.filter((r) => HOLDING.includes(r.state))} empty={t('spares.noReservations')} onDone={requests.reload} />
        </Section>
        <Section title={t('spares.deliveries')}>
          <Requests rows={items.filter((r) => ON_THE_WAY.includes(r.state))} empty={t('spares.noDeliveries')} onDone={requests.reload} />
        </Section>
      </div>
      <OpenReturns session={session} />
      <RepairOrders />
    </>
  );
}

function Stock() {
  const { t } = useI18n();
  const depots = useLoad(() => spares.depots(), []);
  const [chosen, setChosen] = useState('');
  const depotId = chosen || depots.data?.items.find((d) => d.home)?.id || depots.data?.items[0]?.id || '';
  const stock = useLoad(() => (depotId ? spares.stock(depotId) : Promise.resolve(null)), [depotId], SPARES_POLL_MS);
  return (
    <Section
      title={t('spares.stock')}
      actions={
        depots.data && depots.data.items.length > 0 ? (
          <Field label={t('col.depot')}>
            {(id) => (
              <select id={id} value={depotId} onChange={(e) => setChosen(e.target.value)}>
                {depots.data!.items.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name} ({d.region})
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : undefined
      }
    >
      <ErrorNote error={depots.error ?? stock.error} onRetry={stock.reload} />
      {depots.data && depots.data.items.length === 0 && <p>{t('spares.noDepots')}</p>}
      {stock.data && stock.data.items.length === 0 && <p>{t('spares.noStock')}</p>}
      {stock.data && stock.data.items.length > 0 && (
        <table className="cases" aria-label={t('spares.stock')}>
          <ColumnHeads
            keys={['col.part', 'stock.onHand', 'stock.reserved', 'stock.available', 'stock.inTransit', 'stock.defective', 'stock.minimum']}
          />
          <tbody>
            {stock.data.items.map((s) => (
              <tr key={s.partNumber} data-stock={s.partNumber}>
                <td>
                  <code>{s.partNumber}</code>
                </td>
                <td>{s.onHand}</td>
                <td>{s.reserved}</td>
                <td>
                  {s.available}
                  {s.belowMinimum && <strong className="late"> · {t('stock.below')}</strong>}
                </td>
                <td>{s.inTransit}</td>
                <td>{s.defective}</td>
                <td>{s.minLevel}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

function Requests({ rows, empty, onDone }: { rows: PartRequest[]; empty: string; onDone: () => void }) {
  return rows.length === 0 ? <p>{empty}</p> : <PartRequests rows={rows} onDone={onDone} withCase />;
}

/** Carry-in and mail-in repairs; an out-of-warranty one is quoted here and answered by the customer in the portal. */
function RepairOrders() {
  const { t } = useI18n();
  const live = useLive();
  const orders = useLoad(() => spares.repairOrders(), [live.version], pollEvery(live, SPARES_POLL_MS));
  return (
    <Section title={t('spares.repairs')}>
      <ErrorNote error={orders.error} onRetry={orders.reload} />
      {orders.data && orders.data.items.length === 0 && <p>{t('spares.noRepairs')}</p>}
      {orders.data && orders.data.items.length > 0 && <RepairTable rows={orders.data.items} onDone={orders.reload} staff />}
    </Section>
  );
}

/** Repair orders with their quote; staff quote, the customer (or staff on the phone) accepts or declines. */
export function RepairTable({ rows, onDone, staff }: { rows: RepairOrder[]; onDone: () => void; staff?: boolean }) {
  const { t, time } = useI18n();
  const act = useAction();
  const actions = (o: RepairOrder) =>
    (staff ? ['quote'] : ['accept', 'decline']).filter((a) => o.allowed.includes(a)) as Array<'quote' | 'accept' | 'decline'>;
  return (
    <>
      <table className="cases">
        <ColumnHeads keys={['repair.unit', 'repair.fault', 'col.status', 'repair.quote', 'repair.received', 'col.actions']} />
        <tbody>
          {rows.map((o) => (
            <tr key={o.id} data-repair={o.serialNumber}>
              <td>
                {o.productModel ?? ''} <code>{o.serialNumber}</code> · {t(`repair.channel.${o.channel}` as MessageKey)}
              </td>
              <td>{o.fault ?? o.condition}</td>
              <td>
                {t(`repairState.${o.state}` as MessageKey)} · {o.inWarranty ? t('repair.inWarranty') : t('repair.outOfWarranty')}
              </td>
              <td>{o.quoteAmount ? t('repair.amount', { amount: o.quoteAmount, percent: o.quotePercent ?? '' }) : '—'}</td>
              <td>{time(o.receivedAt)}</td>
              <td>
                <div className="buttons">
                  <ActionButtons
                    actions={actions(o)}
                    keys="repairAction"
                    params={{ serial: o.serialNumber }}
                    act={act}
                    run={(a) => spares.repairMove(o.id, a)}
                    after={onDone}
                    primary="accept"
                  />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorNote error={act.error} />
    </>
  );
}
