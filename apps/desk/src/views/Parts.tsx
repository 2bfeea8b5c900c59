import { FormEvent, ReactNode, useState } from 'react';
import { spares } from '../api/client';
import { ApiError } from '../api/http';
import type { Case, PartRequest, PartReturn } from '../api/types';
import { ActionButtons, ColumnHeads, ErrorNote, Field, Section, SeverityBadge } from '../components/ui';
import { useAction, useLoad } from '../hooks';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { pollEvery, useLive } from '../live';

const PARTS_POLL_MS = 10000;
/** the moves a desk user makes with one click; approve/reject are the depot manager's, DOA has its own flow */
const ONE_CLICK = ['pick', 'deliver', 'install'] as const;

/** Where a part request is and how it travels: depot, carrier and tracking number or the courier. */
export function PartWhere({ r }: { r: PartRequest }) {
  const { t } = useI18n();
  const carried = r.courier ? t('parts.courier', { courier: r.courier }) : r.carrier ? `${r.carrier} ${r.trackingNumber ?? ''}` : '';
  return (
    <>
      {r.depotId}
      {r.crossRegion ? ` (${r.depotRegion})` : ''}
      {carried && (
        <>
          {' · '}
          <span className="muted">{carried}</span>
        </>
      )}
    </>
  );
}

export function PartState({ r }: { r: PartRequest }) {
  const { t } = useI18n();
  return (
    <>
      {t(`partState.${r.state}` as MessageKey)}
      {r.late && <strong className="late"> · {t('parts.late')}</strong>}
    </>
  );
}

/** The next moves of a part request as buttons; shipping asks for the carrier and tracking number. */
export function PartActions({ r, onDone }: { r: PartRequest; onDone: () => void }) {
  const { t } = useI18n();
  const act = useAction();
  const [shipping, setShipping] = useState(false);
  const [carrier, setCarrier] = useState('');
  const [tracking, setTracking] = useState('');
  const ship = (e: FormEvent) => {
    e.preventDefault();
    void act.run(
      () => spares.move(r.id, 'ship', { carrier, trackingNumber: tracking }),
      () => {
        setShipping(false);
        onDone();
      },
    );
  };
  return (
    <div>
      <div className="buttons">
        <ActionButtons
          actions={ONE_CLICK.filter((a) => r.allowed.includes(a))}
          keys="partAction"
          params={{ part: r.partNumber }}
          act={act}
          run={(a) => spares.move(r.id, a)}
          after={onDone}
        />
        {r.allowed.includes('ship') && !shipping && (
          <button type="button" onClick={() => setShipping(true)} aria-label={t('partAction.ship.label', { part: r.partNumber })}>
            {t('partAction.ship')}
          </button>
        )}
      </div>
      {shipping && (
        <form className="inline" onSubmit={ship}>
          <Field label={t('parts.carrier')}>
            {(id) => <input id={id} value={carrier} onChange={(e) => setCarrier(e.target.value)} required />}
          </Field>
          <Field label={t('parts.tracking')}>
            {(id) => <input id={id} value={tracking} onChange={(e) => setTracking(e.target.value)} required />}
          </Field>
          <button type="submit" className="primary" disabled={act.busy}>
            {t('partAction.ship')}
          </button>
        </form>
      )}
      <ErrorNote error={act.error} />
    </div>
  );
}

/** Why a request was refused: out of stock names the depot that could serve soonest. */
function refusal(e: unknown, t: ReturnType<typeof useI18n>['t'], time: ReturnType<typeof useI18n>['time']): string | null {
  if (!(e instanceof ApiError) || e.status !== 409) return null;
  const b = e.body as { outOfStock?: boolean; nextBest?: { depotId: string; available: number; earliestAt: string } | null };
  if (!b?.outOfStock) return null;
  return b.nextBest
    ? t('parts.outOfStockNext', { depot: b.nextBest.depotId, available: b.nextBest.available, at: time(b.nextBest.earliestAt) })
    : t('parts.outOfStock');
}

/** The case's parts: request one (held at the best depot), follow it to the site, and the faulty part owed back. */
export function CaseParts({ c }: { c: Case }) {
  const { t, time } = useI18n();
  const live = useLive();
  const list = useLoad(
    async () => {
      const [requests, returns] = await Promise.all([spares.requests({ caseId: c.id }), spares.returns({})]);
      return { requests: requests.items, returns: returns.items.filter((r) => r.caseId === c.id) };
    },
    [c.id, live.version],
    pollEvery(live, PARTS_POLL_MS),
  );
  const [partNumber, setPartNumber] = useState('');
  const [quantity, setQuantity] = useState(1);
  const [done, setDone] = useState<PartRequest | null>(null);
  const act = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void act.run(
      async () => setDone(await spares.request({ caseId: c.id, partNumber: partNumber.trim(), quantity })),
      () => {
        setPartNumber('');
        list.reload();
      },
    );
  };
  const owed = new Set((list.data?.returns ?? []).map((r) => r.requestId));
  const why = refusal(act.error, t, time);
  return (
    <Section title={t('case.parts')}>
      <ErrorNote error={list.error} onRetry={list.reload} />
      {list.data && list.data.requests.length === 0 && <p>{t('parts.none')}</p>}
      {list.data && list.data.requests.length > 0 && (
        <PartRequests
          rows={list.data.requests}
          onDone={list.reload}
          label={t('case.parts')}
          extra={(r) =>
            ['shipped', 'delivered', 'installed'].includes(r.state) &&
            !owed.has(r.id) && (
              <button type="button" disabled={act.busy} onClick={() => void act.run(() => spares.expectReturn(r.id), list.reload)}>
                {t('parts.expectReturn')}
              </button>
            )
          }
        />
      )}
      {list.data && list.data.returns.length > 0 && <Returns returns={list.data.returns} title={t('parts.returns')} showTitle />}
      <form className="inline" onSubmit={submit}>
        <Field label={t('parts.partNumber')}>
          {(id) => <input id={id} value={partNumber} onChange={(e) => setPartNumber(e.target.value)} required />}
        </Field>
        <Field label={t('col.quantity')}>
          {(id) => (
            <input
              id={id}
              type="number"
              min={1}
              max={1000}
              value={quantity}
              onChange={(e) => setQuantity(Number(e.target.value))}
              required
            />
          )}
        </Field>
        <button type="submit" className="primary" disabled={act.busy}>
          {t('parts.request')}
        </button>
      </form>
      {done && !act.error && (
        <p role="status">
          {t('parts.requested', { part: done.partNumber, state: t(`partState.${done.state}` as MessageKey), depot: done.depotId })}
        </p>
      )}
      {why ? (
        <p role="alert" className="error">
          {why}
        </p>
      ) : (
        <ErrorNote error={act.error} />
      )}
    </Section>
  );
}

/** Faulty parts owed back to a depot, with their deadline. */
export function Returns({
  returns,
  title,
  showTitle,
  actions,
}: {
  returns: PartReturn[];
  title: string;
  showTitle?: boolean;
  actions?: (r: PartReturn) => ReactNode;
}) {
  const { t, time } = useI18n();
  return (
    <table className="cases">
      <caption className={showTitle ? 'table-title' : 'sr-only'}>{title}</caption>
      <ColumnHeads keys={['col.part', 'col.quantity', 'col.depot', 'col.status', 'col.due', actions && 'col.actions']} />
      <tbody>
        {returns.map((r) => (
          <tr key={r.id} data-return={r.partNumber}>
            <td>
              <code>{r.partNumber}</code> {r.doa ? `(${t('parts.doa')})` : ''}
            </td>
            <td>{r.quantity}</td>
            <td>{r.depotId}</td>
            <td>
              {t(`returnState.${r.state}` as MessageKey)}
              {r.overdue && <strong className="late"> · {t('parts.overdue')}</strong>}
            </td>
            <td>{time(r.dueAt)}</td>
            {actions && <td>{actions(r)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Part requests with where they are and their next moves; outside a case each row names its severity and links its case. */
export function PartRequests(p: {
  rows: PartRequest[];
  onDone: () => void;
  label?: string;
  withCase?: boolean;
  extra?: (r: PartRequest) => ReactNode;
}) {
  const { t, time } = useI18n();
  return (
    <table className="cases" aria-label={p.label}>
      <ColumnHeads keys={[p.withCase && 'col.severity', 'col.part', 'col.status', 'col.depot', 'col.neededBy', 'col.actions']} />
      <tbody>
        {p.rows.map((r) => (
          <tr key={r.id} data-part={r.partNumber}>
            {p.withCase && (
              <td>
                <SeverityBadge severity={r.severity} />
              </td>
            )}
            <td>
              <code>{r.partNumber}</code> × {r.quantity}
              {p.withCase && r.caseId && (
                <>
                  {' · '}
                  <a href={`#/cases/${r.caseId}`}>{t('spares.toCase')}</a>
                </>
              )}
            </td>
            <td>
              <PartState r={r} />
            </td>
            <td>
              <PartWhere r={r} />
            </td>
            <td>{time(r.neededBy)}</td>
            <td>
              <PartActions r={r} onDone={p.onDone} />
              {p.extra?.(r)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
