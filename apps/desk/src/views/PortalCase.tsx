import { NEEDS } from '../api/capabilities';
import { cases, survey } from '../api/client';
import type { Session } from '../auth/session';
import { Pending } from '../components/Pending';
import { ErrorNote, Section, SeverityBadge } from '../components/ui';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n/i18n';
import { pollEvery, useLive } from '../live';
import { RequestAttachments } from './Attachments';
import { Moves, ReportCard } from './CaseView';
import { SurveyForm } from './SurveyForm';

/** One of the customer's cases: status, the public trail, the files sent with it, the report to sign, confirm or reopen. */
export function PortalCase({ id, session }: { id: string; session: Session }) {
  const { t, status, time } = useI18n();
  const live = useLive();
  const c = useLoad(() => cases.get(id), [id, live.version], pollEvery(live, 10000));
  const log = useLoad(() => cases.workLog(id), [id, live.version], pollEvery(live, 10000));
  const reports = useLoad(() => cases.reports(id), [id, live.version], pollEvery(live, 10000));
  if (c.error) return <ErrorNote error={c.error} />;
  if (!c.data) return <p>{t('app.loading')}</p>;
  const k = c.data;
  const reload = () => {
    c.reload();
    reports.reload();
    log.reload();
  };
  return (
    <div>
      <p>
        <a href="#/portal">← {t('case.back')}</a>
      </p>
      <h1>
        <SeverityBadge severity={k.severity} /> {k.caseNumber} · {status(k.status)}
      </h1>
      <p>{k.symptom}</p>
      <div className="grid2">
        <Section title={t('case.worklog')}>
          <ol className="log" tabIndex={0} aria-label={t('case.worklog')}>
            {(log.data?.items ?? []).map((e) => (
              <li key={e.id}>
                <span className="muted">{time(e.at)}</span>
                <div>{e.text}</div>
              </li>
            ))}
          </ol>
        </Section>
        <Moves c={k} onMoved={reload} />
      </div>
      <RequestAttachments requestId={k.requestId} />
      <Section title={t('case.reports')}>
        {reports.data?.items.length === 0 && <p>{t('case.noReports')}</p>}
        {(reports.data?.items ?? []).map((r) => (
          <ReportCard key={r.id} c={k} r={r} session={session} onChange={reload} customerView />
        ))}
      </Section>
      {['resolved', 'confirmed', 'closed'].includes(k.status) && (
        <Pending service={NEEDS.portalSurvey.service} needs={NEEDS.portalSurvey.needs}>
          {() => <CaseSurvey caseId={k.id} />}
        </Pending>
      )}
    </div>
  );
}

/** The case's survey once the weekly batch sent it (a case closed this week is surveyed next week). */
function CaseSurvey({ caseId }: { caseId: string }) {
  const { t } = useI18n();
  const found = useLoad(() => survey.list({ caseId }), [caseId]);
  const s = found.data?.items[0];
  return (
    <Section title={t('portal.survey')}>
      <ErrorNote error={found.error} onRetry={found.reload} />
      {found.data && !s && <p>{t('survey.notYet')}</p>}
      {s && <SurveyForm key={s.id + s.status} s={s} onAnswered={found.reload} />}
    </Section>
  );
}
