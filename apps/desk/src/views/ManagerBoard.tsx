import { NEEDS } from '../api/capabilities';
import { cases, escalation } from '../api/client';
import type { Case } from '../api/types';
import type { Session } from '../auth/session';
import { Pending } from '../components/Pending';
import { ErrorNote, Section, SeverityBadge } from '../components/ui';
import { breachOf, groupByCase, sortByBreach } from '../domain/sla';
import { useLoad, useNow } from '../hooks';
import { useI18n } from '../i18n/i18n';
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
            <thead>
              <tr>
                <th scope="col">{t('col.time')}</th>
                <th scope="col">{t('col.severity')}</th>
                <th scope="col">{t('col.case')}</th>
                <th scope="col">{t('col.rung')}</th>
                <th scope="col">{t('col.target')}</th>
                <th scope="col">{t('col.region')}</th>
              </tr>
            </thead>
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
      <Section title={t('board.survey')}>
        <Pending service={NEEDS.surveyReport.service} needs={NEEDS.surveyReport.needs}>
          {() => null}
        </Pending>
      </Section>
    </div>
  );
}
