import { NEEDS } from '../api/capabilities';
import { cases, escalation, survey } from '../api/client';
import { SURVEY_ITEMS } from '../api/types';
import type { Case } from '../api/types';
import type { Session } from '../auth/session';
import { Pending } from '../components/Pending';
import { ActionButtons, ColumnHeads, Countdown, ErrorNote, Section, SeverityBadge } from '../components/ui';
import { breachOf, groupByCase, sortByBreach } from '../domain/sla';
import { useAction, useLoad, useNow } from '../hooks';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { pollEvery, useLive } from '../live';
import { CaseTable, QueueRow } from './Queues';

const BOARD_POLL_MS = 10000;
const HOUR = 3_600_000;

function startOfToday(now = new Date()): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate());
}

/** At-risk and breached cases by region, rungs fired today; callbacks and the survey report wait for the survey API. */
export function ManagerBoard({ session }: { session: Session }) {
  const { t, time } = useI18n();
  const now = useNow();
  const live = useLive();
  const board = useLoad(
    async () => {
      const [soon, fired] = await Promise.all([
        escalation.dueBefore(new Date(Date.now() + HOUR)),
        escalation.firings(startOfToday(), 'rung'),
      ]);
      const ids = [...new Set([...soon.items.map((k) => k.caseId), ...fired.items.map((f) => f.caseId)])];
      const found = await Promise.all(ids.slice(0, 100).map((id) => cases.get(id).catch(() => null)));
      const byId = new Map(found.filter((c): c is Case => !!c).map((c) => [c.id, c]));
      // the clocks of the at-risk cases, all of them (a case's soonest breach may be past the hour on another target)
      const clocks = groupByCase((await escalation.clocksOf([...new Set(soon.items.map((k) => k.caseId))])).items);
      const open = [...byId.values()].filter((c) => clocks.has(c.id) && !['resolved', 'confirmed', 'closed'].includes(c.status));
      const breaches = new Map(open.map((c) => [c.id, breachOf(clocks.get(c.id) ?? [])]));
      const rows: QueueRow[] = sortByBreach(open, breaches)
        .filter((c) => breaches.get(c.id)?.dueAt !== null)
        .map((c) => ({ c, breach: breaches.get(c.id)! }));
      return { rows, fired: fired.items, byId };
    },
    [live.version],
    pollEvery(live, BOARD_POLL_MS),
  );
  const regions = [...new Set((board.data?.rows ?? []).map((r) => r.c.region))].sort();
  return (
    <div>
      <h1>{t('board.title')}</h1>
      <ErrorNote error={board.error} onRetry={board.reload} />
      <Section title={t('board.atRisk')}>
        {board.data && board.data.rows.length === 0 && <p>{t('board.noRisk')}</p>}
        {regions.map((region) => (
          <div key={region}>
            {(regions.length > 1 || session.roles.includes('admin')) && <h3>{t('board.region', { region })}</h3>}
            <CaseTable rows={board.data!.rows.filter((r) => r.c.region === region)} now={now} showRegion />
          </div>
        ))}
      </Section>
      <Section title={t('board.firedToday')}>
        {board.data && board.data.fired.length === 0 ? (
          <p>{t('board.noFired')}</p>
        ) : (
          <table className="cases">
            <ColumnHeads keys={['col.time', 'col.severity', 'col.case', 'col.rung', 'col.target', 'col.region']} />
            <tbody>
              {(board.data?.fired ?? []).map((f) => (
                <tr key={f.caseId + f.key + f.firedAt}>
                  <td>{time(f.firedAt)}</td>
                  <td>
                    <SeverityBadge severity={f.severity} />
                  </td>
                  <td>
                    <a href={`#/cases/${f.caseId}`}>{board.data?.byId.get(f.caseId)?.caseNumber ?? f.caseId.slice(0, 8)}</a>
                  </td>
                  <td>{f.key.replace('rung:', '#')}</td>
                  <td>{f.target}</td>
                  <td>{f.region}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Pending service={NEEDS.surveyReport.service} needs={NEEDS.surveyReport.needs}>
        {() => (
          <div className="grid2">
            <Callbacks now={now} />
            <SurveyReport />
          </div>
        )}
      </Pending>
    </div>
  );
}

/** Callbacks owed to customers who scored low, earliest deadline first, counting down to it. */
function Callbacks({ now }: { now: number }) {
  const { t } = useI18n();
  const live = useLive();
  const open = useLoad(() => survey.callbacks({ status: 'open' }), [live.version], pollEvery(live, BOARD_POLL_MS));
  const act = useAction();
  return (
    <Section title={t('board.callbacks')}>
      <ErrorNote error={open.error} onRetry={open.reload} />
      {open.data && open.data.items.length === 0 && <p>{t('board.noCallbacks')}</p>}
      {open.data && open.data.items.length > 0 && (
        <table className="cases">
          <ColumnHeads keys={['col.case', 'col.customer', 'board.lowItems', 'board.deadline', 'col.actions']} />
          <tbody>
            {open.data.items.map((c) => (
              <tr key={c.id} data-callback={c.caseNumber}>
                <td>
                  <a href={`#/cases/${c.caseId}`}>{c.caseNumber}</a>
                </td>
                <td>{c.customerId}</td>
                <td>{c.lowItems.map((i) => t(`survey.item.${i}` as MessageKey)).join(', ')}</td>
                <td>
                  <Countdown dueAt={new Date(c.dueAt).getTime()} now={now} />
                </td>
                <td>
                  <div className="buttons">
                    <ActionButtons
                      actions={['reached', 'unreachable'] as const}
                      keys="callback"
                      params={{ caseNumber: c.caseNumber }}
                      act={act}
                      run={(o) => survey.closeCallback(c.id, o)}
                      after={open.reload}
                    />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorNote error={act.error} />
    </Section>
  );
}

const pct = (n: number) => `${Math.round(n * 100)}%`;
const avg = (n: number | null) => (n === null ? '—' : n.toFixed(2));

/** The newest week whose surveys went out: response rate, averages per item, low scores; the weeks before for the trend. */
function SurveyReport() {
  const { t } = useI18n();
  const report = useLoad(() => survey.weeks(), []);
  const weeks = report.data?.weeks ?? [];
  const last = weeks[weeks.length - 1];
  return (
    <Section title={t('board.survey')}>
      <ErrorNote error={report.error} onRetry={report.reload} />
      {last && (
        <>
          <p>
            {t('board.surveyWeek', {
              week: last.week,
              answered: last.summary.answered,
              sent: last.summary.sent,
              rate: pct(last.summary.responseRate),
              average: avg(last.summary.average),
              low: last.summary.lowScore,
            })}
          </p>
          <table className="cases">
            <caption className="sr-only">{t('board.survey')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('board.week')}</th>
                <th scope="col">{t('board.sent')}</th>
                <th scope="col">{t('board.rate')}</th>
                {SURVEY_ITEMS.map((i) => (
                  <th key={i} scope="col">
                    {t(`survey.item.${i}` as MessageKey)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {weeks
                .slice(-4)
                .reverse()
                .map((w) => (
                  <tr key={w.week} data-week={w.week}>
                    <th scope="row">{w.week}</th>
                    <td>{w.summary.sent}</td>
                    <td>{w.summary.sent ? pct(w.summary.responseRate) : '—'}</td>
                    {SURVEY_ITEMS.map((i) => (
                      <td key={i}>{avg(w.summary.items[i]?.average ?? null)}</td>
                    ))}
                  </tr>
                ))}
            </tbody>
          </table>
        </>
      )}
    </Section>
  );
}
