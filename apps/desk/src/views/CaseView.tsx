import { FormEvent, useState } from 'react';
import { NEEDS } from '../api/capabilities';
import { cases, escalation } from '../api/client';
import { ApiError } from '../api/http';
import type { Article, Case, CaseStatus, ServiceReport, Visit } from '../api/types';
import type { Session } from '../auth/session';
import { Pending } from '../components/Pending';
import { SignaturePad } from '../components/SignaturePad';
import { ColumnHeads, Countdown, ErrorNote, Field, OneFieldForm, Section, SeverityBadge } from '../components/ui';
import { breachOf, groupByCase } from '../domain/sla';
import { useAction, useLoad, useNow } from '../hooks';
import { useI18n } from '../i18n/i18n';
import { pollEvery, useLive } from '../live';
import type { MessageKey } from '../i18n/messages';
import { CaseParts } from './Parts';
import { RequestAttachments } from './Attachments';

const CASE_POLL_MS = 5000;

/** The engineer's and the desk's case: moves, work log, escalation timeline, visits, report, vendor case, knowledge. */
export function CaseView({ id, session }: { id: string; session: Session }) {
  const { t, status, time } = useI18n();
  const live = useLive();
  const now = useNow();
  const c = useLoad(() => cases.get(id), [id, live.version], pollEvery(live, CASE_POLL_MS));
  const clocks = useLoad(() => escalation.clocksOf([id]), [id, live.version], pollEvery(live, CASE_POLL_MS));
  if (c.error) return <ErrorNote error={c.error} onRetry={c.reload} />;
  if (!c.data) return <p>{t('app.loading')}</p>;
  const k = c.data;
  const breach = breachOf(groupByCase(clocks.data?.items ?? []).get(id) ?? []);
  return (
    <div className="case">
      <p>
        <a href="#/queues">← {t('case.back')}</a>
      </p>
      <h1>
        <SeverityBadge severity={k.severity} /> {k.caseNumber} · {status(k.status)}{' '}
        <Countdown dueAt={breach.dueAt} paused={breach.paused} now={now} />
      </h1>
      <div className="grid2">
        <Section title={t('case.details')}>
          <dl className="facts">
            <dt>{t('col.customer')}</dt>
            <dd>
              {k.customerId} · {k.contact.name} {k.contact.phone ?? ''}
            </dd>
            <dt>{t('col.symptom')}</dt>
            <dd>{k.symptom}</dd>
            <dt>{t('case.asset')}</dt>
            <dd>
              {k.productModel ?? '—'} <code>{k.serialNumber ?? ''}</code> · {t(`warranty.${k.warranty}` as MessageKey)}
            </dd>
            <dt>{t('call.serviceMode')}</dt>
            <dd>{t(`mode.${k.serviceMode}` as MessageKey)}</dd>
            <dt>{t('col.assignee')}</dt>
            <dd>
              {k.assigneeName ?? '—'} {k.tier ? `(${k.tier})` : ''}
            </dd>
            <dt>{t('case.opened')}</dt>
            <dd>{time(k.openedAt)}</dd>
            {k.errorCodes.length > 0 && (
              <>
                <dt>{t('case.errorCodes')}</dt>
                <dd>
                  <code>{k.errorCodes.join(', ')}</code>
                </dd>
              </>
            )}
          </dl>
        </Section>
        <Moves c={k} onMoved={c.reload} />
      </div>
      <RequestAttachments requestId={k.requestId} />
      <Timeline id={id} />
      <div className="grid2">
        <WorkLog id={id} />
        <Diagnosis id={id} />
      </div>
      <Visits c={k} session={session} />
      <Pending service={NEEDS.caseParts.service} needs={NEEDS.caseParts.needs}>
        {() => <CaseParts c={k} />}
      </Pending>
      <div className="grid2">
        <VendorCase id={id} />
        <Knowledge c={k} />
      </div>
    </div>
  );
}

export function Moves({ c, onMoved }: { c: Case; onMoved: () => void }) {
  const { t, status } = useI18n();
  const allowed = useLoad(() => cases.allowed(c.id), [c.id, c.status]);
  const [to, setTo] = useState<{ status: CaseStatus; reasonRequired: boolean } | null>(null);
  const [reason, setReason] = useState('');
  const act = useAction();
  const move = (target: CaseStatus, why?: string) =>
    act.run(
      () => cases.move(c.id, target, why),
      () => {
        setTo(null);
        setReason('');
        onMoved();
        allowed.reload();
      },
    );
  const items = allowed.data?.allowed ?? [];
  return (
    <Section title={t('case.moves')}>
      {allowed.data && items.length === 0 && <p>{t('case.noMoves')}</p>}
      <div className="buttons">
        {items.map((a) => (
          <button
            key={a.to}
            type="button"
            disabled={act.busy}
            aria-pressed={to?.status === a.to}
            onClick={() =>
              a.reasonRequired ? setTo({ status: a.to, reasonRequired: true }) : setTo({ status: a.to, reasonRequired: false })
            }
          >
            {status(a.to)}
          </button>
        ))}
      </div>
      {to && (
        <form
          className="inline"
          onSubmit={(e) => {
            e.preventDefault();
            void move(to.status, reason.trim() || undefined);
          }}
        >
          <Field label={t('case.reason')} hint={to.reasonRequired ? t('case.reasonRequired') : undefined}>
            {(id) => <input id={id} value={reason} onChange={(e) => setReason(e.target.value)} required={to.reasonRequired} autoFocus />}
          </Field>
          <button type="submit" className="primary" disabled={act.busy}>
            {t('case.moveTo', { status: status(to.status) })}
          </button>
          <button type="button" onClick={() => setTo(null)}>
            {t('app.cancel')}
          </button>
        </form>
      )}
      <ErrorNote error={act.error} />
    </Section>
  );
}

/** A 404 means there is none (yet): shown as such, not as an error. */
function nullWhenMissing(e: unknown): null {
  if (e instanceof ApiError && e.status === 404) return null;
  throw e;
}

function Timeline({ id }: { id: string }) {
  const { t, time } = useI18n();
  const live = useLive();
  const tl = useLoad(() => escalation.timeline(id).catch(nullWhenMissing), [id, live.version], pollEvery(live, CASE_POLL_MS));
  return (
    <Section title={t('case.timeline')}>
      <ErrorNote error={tl.error} />
      {tl.data === null && <p>{t('case.noClock')}</p>}
      {tl.data?.clocks.map((k) => (
        <div key={k.clockId} className="clock">
          <h3>
            {t('case.clock', { target: k.target, state: k.state })} {k.stopReason ? `(${k.stopReason})` : ''} · {k.policyId}
            {k.downtime ? ` · ${k.downtime.minutes} min, +${k.downtime.warrantyDays} d` : ''}
          </h3>
          {k.events.length > 0 && (
            <table className="timeline">
              <ColumnHeads keys={['case.event', 'case.due', 'col.status', 'case.fired']} />
              <tbody>
                {k.events.map((e) => (
                  <tr key={e.key} className={`ev-${e.status}`}>
                    <td>
                      {e.kind === 'rung'
                        ? `${e.label ?? e.key} → ${(e.notifyRoles ?? []).join(', ')}${e.action ? ` (${e.action})` : ''}`
                        : `${e.kind} ${e.target ?? ''}`}
                    </td>
                    <td>{time(e.dueAt)}</td>
                    <td>{e.status}</td>
                    <td>{time(e.firedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ))}
    </Section>
  );
}

function WorkLog({ id }: { id: string }) {
  const { t, time } = useI18n();
  const live = useLive();
  const log = useLoad(() => cases.workLog(id), [id, live.version], pollEvery(live, CASE_POLL_MS));
  const [text, setText] = useState('');
  const [pub, setPub] = useState(false);
  const act = useAction();
  const add = (e: FormEvent) => {
    e.preventDefault();
    void act.run(
      () => cases.addNote(id, text, pub),
      () => {
        setText('');
        log.reload();
      },
    );
  };
  return (
    <Section title={t('case.worklog')}>
      <ol className="log" tabIndex={0} aria-label={t('case.worklog')}>
        {(log.data?.items ?? []).map((e) => (
          <li key={e.id}>
            <span className="muted">
              {time(e.at)} · {e.actor.subject ?? e.actor.role} · {e.kind}
              {e.public ? ' · ★' : ''}
            </span>
            <div>{e.text}</div>
          </li>
        ))}
      </ol>
      <form onSubmit={add}>
        <Field label={t('case.addNote')}>
          {(fid) => <textarea id={fid} rows={2} value={text} onChange={(e) => setText(e.target.value)} required />}
        </Field>
        <label className="check">
          <input type="checkbox" checked={pub} onChange={(e) => setPub(e.target.checked)} /> {t('case.public')}
        </label>
        <button type="submit" disabled={act.busy}>
          {t('case.addNote')}
        </button>
        <ErrorNote error={act.error} />
      </form>
    </Section>
  );
}

function Diagnosis({ id }: { id: string }) {
  const { t } = useI18n();
  const [summary, setSummary] = useState('');
  const act = useAction();
  return (
    <Section title={t('case.diagnosis')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void act.run(
            () => cases.diagnose(id, summary),
            () => setSummary(''),
          );
        }}
      >
        <Field label={t('case.diagnosis')}>
          {(fid) => <textarea id={fid} rows={2} value={summary} onChange={(e) => setSummary(e.target.value)} required />}
        </Field>
        <button type="submit" disabled={act.busy}>
          {t('case.diagnose')}
        </button>
        <ErrorNote error={act.error} />
      </form>
    </Section>
  );
}

function Visits({ c, session }: { c: Case; session: Session }) {
  const { t } = useI18n();
  const live = useLive();
  const visits = useLoad(() => cases.visits(c.id), [c.id, live.version], pollEvery(live, CASE_POLL_MS));
  const reports = useLoad(() => cases.reports(c.id), [c.id, live.version], pollEvery(live, CASE_POLL_MS));
  const engineers = useLoad(() => cases.engineers({ region: c.region }), [c.region]);
  const [engineerId, setEngineerId] = useState('');
  const [arrival, setArrival] = useState(() =>
    new Date(Date.now() + 60 * 60_000 - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16),
  );
  const act = useAction();
  const reload = () => {
    visits.reload();
    reports.reload();
  };
  return (
    <Section title={t('case.visits')}>
      {visits.data?.items.length === 0 && <p>{t('case.noVisits')}</p>}
      {visits.data?.items.map((v) => (
        <VisitCard
          key={v.id}
          c={c}
          v={v}
          reports={(reports.data?.items ?? []).filter((r) => r.visitId === v.id)}
          session={session}
          onChange={reload}
        />
      ))}
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          void act.run(() => cases.dispatch(c.id, engineerId, new Date(arrival).toISOString()), reload);
        }}
      >
        <Field label={t('case.engineer')}>
          {(id) => (
            <select id={id} value={engineerId} onChange={(e) => setEngineerId(e.target.value)} required>
              <option value="" />
              {(engineers.data?.items ?? []).map((e) => (
                <option key={e.id} value={e.id}>
                  {e.name} ({e.tier})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('case.plannedArrival')}>
          {(id) => <input id={id} type="datetime-local" value={arrival} onChange={(e) => setArrival(e.target.value)} required />}
        </Field>
        <button type="submit" disabled={act.busy}>
          {t('case.dispatch')}
        </button>
      </form>
      <ErrorNote error={act.error} />
      <p className="muted">{reports.data && reports.data.items.length === 0 ? t('case.noReports') : ''}</p>
    </Section>
  );
}

function VisitCard({
  c,
  v,
  reports,
  session,
  onChange,
}: {
  c: Case;
  v: Visit;
  reports: ServiceReport[];
  session: Session;
  onChange: () => void;
}) {
  const { t, time } = useI18n();
  const [workDone, setWorkDone] = useState('');
  const [diagnosis, setDiagnosis] = useState('');
  const act = useAction();
  return (
    <article className="visit" aria-label={`${t('case.engineer')} ${v.engineerId}`}>
      <p>
        <strong>{v.engineerId}</strong> · {v.stage} · {t('case.plannedArrival')} {time(v.plannedArrivalAt)}
        {v.arrivedAt ? ` · ${t('case.arrive')} ${time(v.arrivedAt)}` : ''}
      </p>
      {v.workDone && <p>{v.workDone}</p>}
      {v.stage === 'planned' && (
        <button type="button" disabled={act.busy} onClick={() => void act.run(() => cases.arrive(c.id, v.id), onChange)}>
          {t('case.arrive')}
        </button>
      )}
      {v.stage === 'on-site' && (
        <OneFieldForm
          label={t('case.workDone')}
          value={workDone}
          onChange={setWorkDone}
          submit={t('case.complete')}
          onSubmit={() => void act.run(() => cases.complete(c.id, v.id, workDone), onChange)}
        />
      )}
      {v.stage === 'completed' && reports.length === 0 && (
        <OneFieldForm
          label={t('case.reportDiagnosis')}
          value={diagnosis}
          onChange={setDiagnosis}
          submit={t('case.createReport')}
          onSubmit={() => void act.run(() => cases.createReport(c.id, v.id, diagnosis, c.contact.name), onChange)}
        />
      )}
      {reports.map((r) => (
        <ReportCard key={r.id} c={c} r={r} session={session} onChange={onChange} />
      ))}
      <ErrorNote error={act.error} />
    </article>
  );
}

export function ReportCard({
  c,
  r,
  session,
  onChange,
  customerView,
}: {
  c: Case;
  r: ServiceReport;
  session: Session;
  onChange: () => void;
  customerView?: boolean;
}) {
  const { t, time } = useI18n();
  const [typed, setTyped] = useState('');
  const act = useAction();
  const done = r.signatures.filter((s) => s.signedAt);
  const signed = (party: 'customer' | 'engineer') => done.find((s) => s.party === party);
  const customerSig = signed('customer');
  const engineerSig = signed('engineer');
  return (
    <div className="report">
      <h3>
        {t('case.report')} · {t(`report.status.${r.status}` as MessageKey)}
      </h3>
      <dl className="facts">
        <dt>{t('case.diagnosis')}</dt>
        <dd>{r.diagnosis}</dd>
        <dt>{t('case.workDone')}</dt>
        <dd>{r.workDone}</dd>
        <dt>{t('case.signatures')}</dt>
        <dd>
          {done.length === 0
            ? '—'
            : done.map((s) => (
                <span key={s.party} className="sig">
                  {t('sign.done', { name: s.signerName ?? '' })} ({s.party}, {time(s.signedAt)})
                </span>
              ))}
        </dd>
      </dl>
      <p>
        <DocumentLink c={c} r={r} session={session} />
      </p>
      {!customerSig && (
        <>
          <h4>{customerView ? t('portal.signReport') : t('case.signCustomer')}</h4>
          <SignaturePad
            defaultName={r.customerName}
            onSign={(png, name) => cases.signWithImage(c.id, r.id, 'customer', png, name).then(onChange)}
          />
        </>
      )}
      {!customerView && !engineerSig && (
        <OneFieldForm
          label={t('case.signEngineer')}
          value={typed}
          onChange={setTyped}
          placeholder={r.engineerName}
          submit={t('sign.submit')}
          onSubmit={() => void act.run(() => cases.signTyped(c.id, r.id, 'engineer', typed), onChange)}
        />
      )}
      <ErrorNote error={act.error} />
    </div>
  );
}

/** The signed report as a document: fetched with the bearer token (a plain link would go without it). */
function DocumentLink({ c, r, session }: { c: Case; r: ServiceReport; session: Session }) {
  const { t } = useI18n();
  const open = async () => {
    const res = await fetch(cases.documentUrl(c.id, r.id), { headers: { authorization: `Bearer ${session.token}` } });
    const url = URL.createObjectURL(new Blob([await res.text()], { type: 'text/html' }));
    window.open(url, '_blank', 'noopener');
  };
  return (
    <button type="button" onClick={() => void open()}>
      {t('case.document')}
    </button>
  );
}

function VendorCase({ id }: { id: string }) {
  const { t, time } = useI18n();
  const vc = useLoad(() => cases.vendorCase(id).catch(nullWhenMissing), [id]);
  const [vendor, setVendor] = useState('');
  const [number, setNumber] = useState('');
  const [vstatus, setVstatus] = useState('');
  const act = useAction();
  return (
    <Section title={t('case.vendor')}>
      {vc.data && (
        <>
          <p>
            <strong>{vc.data.vendor}</strong> <code>{vc.data.vendorCaseNumber}</code> · {vc.data.vendorStatus}
          </p>
          <ul className="plain">
            {vc.data.history.map((h, i) => (
              <li key={i}>
                {time(h.at)} {h.vendorStatus} {h.note ?? ''}
              </li>
            ))}
          </ul>
          <OneFieldForm
            label={t('case.vendorStatus')}
            value={vstatus}
            onChange={setVstatus}
            submit={t('case.updateVendor')}
            onSubmit={() =>
              void act.run(
                () => cases.updateVendorCase(id, vstatus),
                () => (setVstatus(''), vc.reload()),
              )
            }
          />
        </>
      )}
      {vc.data === null && (
        <form
          className="inline"
          onSubmit={(e) => {
            e.preventDefault();
            void act.run(() => cases.openVendorCase(id, vendor, number), vc.reload);
          }}
        >
          <Field label={t('case.vendorName')}>
            {(fid) => <input id={fid} value={vendor} onChange={(e) => setVendor(e.target.value)} required />}
          </Field>
          <Field label={t('case.vendorNumber')}>
            {(fid) => <input id={fid} value={number} onChange={(e) => setNumber(e.target.value)} required />}
          </Field>
          <button type="submit">{t('case.openVendor')}</button>
        </form>
      )}
      <ErrorNote error={act.error ?? vc.error} />
    </Section>
  );
}

function Knowledge({ c }: { c: Case }) {
  const { t } = useI18n();
  const [article, setArticle] = useState<Article | null>(null);
  const act = useAction();
  const done = ['resolved', 'confirmed', 'closed'].includes(c.status);
  return (
    <Section title={t('case.knowledge')}>
      {article && <p>{t('case.articleState', { title: article.title, status: article.status })}</p>}
      {!article && (
        <button
          type="button"
          disabled={!done || act.busy}
          onClick={() =>
            void act.run(
              () => cases.articleFromCase(c.id).then(setArticle),
              () => undefined,
            )
          }
        >
          {t('case.writeArticle')}
        </button>
      )}
      {article?.status === 'draft' && (
        <button
          type="button"
          disabled={act.busy}
          onClick={() =>
            void act.run(
              () => cases.publishArticle(article.id).then(setArticle),
              () => undefined,
            )
          }
        >
          {t('case.publish')}
        </button>
      )}
      <ErrorNote error={act.error} />
    </Section>
  );
}
