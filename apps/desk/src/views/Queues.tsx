import { useState } from 'react';
import { cases, escalation } from '../api/client';
import type { Case, CaseStatus, Severity } from '../api/types';
import type { Session } from '../auth/session';
import { ColumnHeads, Countdown, ErrorNote, Field, SeverityBadge } from '../components/ui';
import { breachOf, CaseBreach, groupByCase, sortByBreach } from '../domain/sla';
import { useLoad, useNow } from '../hooks';
import { useI18n } from '../i18n/i18n';
import { pollEvery, useLive } from '../live';

type Scope = 'mine' | 'team' | 'region';
const OPEN_STATUSES: CaseStatus[] = [
  'received',
  'triaged',
  'assigned',
  'reopened',
  'in-progress',
  'on-site',
  'escalated',
  'vendor-case-open',
  'waiting-customer',
  'waiting-parts',
  'waiting-vendor',
];
export const QUEUE_POLL_MS = 5000;

/** My team: the engineers who share my superior, or who report to me. */
async function teamOf(subject: string): Promise<string[] | null> {
  const all = (await cases.engineers()).items;
  const me = all.find((e) => e.id === subject);
  const team = all.filter((e) => e.id === subject || e.superiorId === subject || (me?.superiorId && e.superiorId === me.superiorId));
  return team.length > 1 || all.some((e) => e.superiorId === subject) ? team.map((e) => e.id) : null;
}

export interface QueueRow {
  c: Case;
  breach: CaseBreach;
}

export async function loadQueue(
  assignee: string | undefined,
  f: { severity?: Severity; status?: CaseStatus; productLine?: string },
): Promise<QueueRow[]> {
  const page = await cases.list({ open: true, assignee, severity: f.severity, status: f.status, productLine: f.productLine || undefined });
  const clocks = await escalation.clocksOf(page.items.map((c) => c.id));
  const byCase = groupByCase(clocks.items);
  const breaches = new Map(page.items.map((c) => [c.id, breachOf(byCase.get(c.id) ?? [])]));
  return sortByBreach(page.items, breaches).map((c) => ({ c, breach: breaches.get(c.id)! }));
}

/** Mine / my team / my region, soonest breach first, with live countdowns; refreshed every few seconds. */
export function Queues({ session }: { session: Session }) {
  const { t, status, time } = useI18n();
  const now = useNow();
  const [scope, setScope] = useState<Scope>(session.roles.includes('engineer') ? 'mine' : 'region');
  const [severity, setSeverity] = useState<Severity | ''>('');
  const [st, setSt] = useState<CaseStatus | ''>('');
  const [product, setProduct] = useState('');
  const [noTeam, setNoTeam] = useState(false);
  const live = useLive();
  const q = useLoad(
    async () => {
      let assignee: string | undefined;
      if (scope === 'mine') assignee = 'me';
      if (scope === 'team') {
        const team = await teamOf(session.subject);
        setNoTeam(!team);
        assignee = team ? team.join(',') : 'me';
      }
      return loadQueue(assignee, { severity: severity || undefined, status: st || undefined, productLine: product.trim() });
    },
    [scope, severity, st, product, session.subject, live.version],
    pollEvery(live, QUEUE_POLL_MS),
  );
  const rows = q.data ?? [];
  return (
    <div>
      <h1>{t('queues.title')}</h1>
      <div className="toolbar">
        <div role="radiogroup" aria-label={t('queues.scope')} className="tabs">
          {(['mine', 'team', 'region'] as Scope[]).map((s) => (
            <label key={s} className={scope === s ? 'tab on' : 'tab'}>
              <input type="radio" name="scope" value={s} checked={scope === s} onChange={() => setScope(s)} />
              {t(`queues.${s}`)}
            </label>
          ))}
        </div>
        <Field label={t('col.severity')}>
          {(id) => (
            <select id={id} value={severity} onChange={(e) => setSeverity(e.target.value as Severity | '')}>
              <option value="">{t('queues.allSeverities')}</option>
              {(['P1', 'P2', 'P3', 'P4'] as Severity[]).map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('col.status')}>
          {(id) => (
            <select id={id} value={st} onChange={(e) => setSt(e.target.value as CaseStatus | '')}>
              <option value="">{t('queues.allStatuses')}</option>
              {OPEN_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {status(s)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('queues.product')}>
          {(id) => <input id={id} value={product} onChange={(e) => setProduct(e.target.value)} size={12} />}
        </Field>
      </div>
      {scope === 'team' && noTeam && <p className="note">{t('queues.noTeam')}</p>}
      <ErrorNote error={q.error} onRetry={q.reload} />
      <p className="muted" aria-live="polite">
        {t('queues.count', { n: rows.length })} · {q.at ? t('app.updated', { time: time(q.at) }) : t('app.loading')} ·{' '}
        <span data-live={live.connected}>{live.connected ? t('queues.live') : t('queues.polling')}</span>
      </p>
      {rows.length === 0 && q.data ? <p>{t('queues.empty')}</p> : <CaseTable rows={rows} now={now} />}
    </div>
  );
}

export function CaseTable({ rows, now, showRegion }: { rows: QueueRow[]; now: number; showRegion?: boolean }) {
  const { status } = useI18n();
  return (
    <table className="cases">
      <ColumnHeads
        keys={[
          'col.breach',
          'col.severity',
          'col.case',
          'col.customer',
          'col.symptom',
          'col.status',
          'col.assignee',
          showRegion ? 'col.region' : 'col.product',
        ]}
      />
      <tbody>
        {rows.map(({ c, breach }) => (
          <tr key={c.id} data-case={c.caseNumber}>
            <td>
              <Countdown dueAt={breach.dueAt} paused={breach.paused} now={now} />
            </td>
            <td>
              <SeverityBadge severity={c.severity} />
            </td>
            <td>
              <a href={`#/cases/${c.id}`}>{c.caseNumber}</a>
            </td>
            <td>{c.customerId}</td>
            <td className="symptom-cell">{c.symptom}</td>
            <td>{status(c.status)}</td>
            <td>{c.assigneeName ?? '—'}</td>
            <td>{showRegion ? c.region : (c.productLine ?? '—')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
