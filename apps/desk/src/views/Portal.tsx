import { FormEvent, useState } from 'react';
import { NEEDS } from '../api/capabilities';
import { cases, intake, spares, survey } from '../api/client';
import type { Impact, KnowledgeSuggestion, ServiceRequest } from '../api/types';
import type { Session } from '../auth/session';
import { Pending } from '../components/Pending';
import { ColumnHeads, EnumOptions, ErrorNote, Field, Section, SeverityBadge } from '../components/ui';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n/i18n';
import { pollEvery, useLive } from '../live';
import { IMPACTS } from './CallScreen';
import { RepairTable } from './SparesDesk';
import { ACCEPTED_FILES, attachAll } from './Attachments';

/** The customer's portal: its own cases (the services never show another customer's), and a form to report a fault. */
export function Portal({ session }: { session: Session }) {
  const { t, status, time } = useI18n();
  const live = useLive();
  const list = useLoad(() => cases.list({ limit: 100 }), [live.version], pollEvery(live, 15000));
  return (
    <div>
      <h1>{t('portal.title')}</h1>
      <div className="grid2">
        <Section title={t('portal.cases', { customer: session.customerId ?? '' })}>
          <ErrorNote error={list.error} onRetry={list.reload} />
          {list.data?.items.length === 0 && <p>{t('portal.noCases')}</p>}
          {list.data && list.data.items.length > 0 && (
            <table className="cases">
              <ColumnHeads keys={['col.case', 'col.severity', 'col.symptom', 'col.status', 'case.opened']} />
              <tbody>
                {list.data.items.map((c) => (
                  <tr key={c.id} data-case={c.caseNumber}>
                    <td>
                      <a href={`#/portal/cases/${c.id}`}>{c.caseNumber}</a>
                    </td>
                    <td>
                      <SeverityBadge severity={c.severity} />
                    </td>
                    <td className="symptom-cell">{c.symptom}</td>
                    <td>{status(c.status)}</td>
                    <td>{time(c.openedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>
        <FileRequest onFiled={list.reload} />
      </div>
      <Pending service={NEEDS.portalSurvey.service} needs={NEEDS.portalSurvey.needs}>
        {() => <SurveysWaiting />}
      </Pending>
      <Pending service={NEEDS.portalQuotes.service} needs={NEEDS.portalQuotes.needs}>
        {() => <Quotes />}
      </Pending>
    </div>
  );
}

function FileRequest({ onFiled }: { onFiled: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [serial, setSerial] = useState('');
  const [impact, setImpact] = useState<Impact>('partial-fault');
  const [symptom, setSymptom] = useState('');
  const [codes, setCodes] = useState('');
  const [articles, setArticles] = useState<KnowledgeSuggestion[]>([]);
  const [files, setFiles] = useState<File[]>([]);
  const [fileInput, setFileInput] = useState(0); // a new key empties the file input after sending
  const [sent, setSent] = useState<{ request: ServiceRequest; attached: number } | null>(null);
  const [refused, setRefused] = useState<Array<{ name: string; error: unknown }>>([]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const errorCodes = codes.split(/[,\s]+/).filter(Boolean);

  const suggest = () =>
    symptom.trim() || errorCodes.length
      ? intake.suggestions({ symptom, errorCode: errorCodes }).then(
          (r) => setArticles(r.items),
          () => setArticles([]),
        )
      : undefined;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setRefused([]);
    try {
      const r = await intake.createRequest({
        channel: 'portal',
        contact: { name, email },
        impact,
        symptom,
        ...(errorCodes.length ? { errorCodes } : {}),
        ...(serial.trim() ? { serialNumber: serial.trim() } : {}),
      });
      const failed = await attachAll(r.id, files);
      setSent({ request: r, attached: files.length - failed.length });
      setRefused(failed);
      setSymptom('');
      setCodes('');
      setFiles([]);
      setFileInput((k) => k + 1);
      onFiled();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section title={t('portal.file')}>
      <form onSubmit={(e) => void submit(e)}>
        <Field label={t('portal.name')}>
          {(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} required autoComplete="name" />}
        </Field>
        <Field label={t('portal.contactEmail')}>
          {(id) => <input id={id} type="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoComplete="email" />}
        </Field>
        <Field label={t('portal.serial')}>{(id) => <input id={id} value={serial} onChange={(e) => setSerial(e.target.value)} />}</Field>
        <Field label={t('call.impact')}>
          {(id) => (
            <select id={id} value={impact} onChange={(e) => setImpact(e.target.value as Impact)}>
              <EnumOptions values={IMPACTS} prefix="impact" />
            </select>
          )}
        </Field>
        <Field label={t('call.symptom')}>
          {(id) => (
            <textarea
              id={id}
              rows={3}
              value={symptom}
              onChange={(e) => setSymptom(e.target.value)}
              onBlur={() => void suggest()}
              required
            />
          )}
        </Field>
        <Field label={t('call.errorCodes')}>
          {(id) => <input id={id} value={codes} onChange={(e) => setCodes(e.target.value)} onBlur={() => void suggest()} />}
        </Field>
        <Field label={t('attach.files')} hint={t('attach.hint')}>
          {(id) => (
            <input
              key={fileInput}
              id={id}
              type="file"
              multiple
              accept={ACCEPTED_FILES}
              onChange={(e) => setFiles(Array.from(e.target.files ?? []))}
            />
          )}
        </Field>
        {articles.length > 0 && (
          <div className="articles" aria-live="polite">
            <h3>{t('call.knowledge')}</h3>
            {articles.map((a) => (
              <details key={a.articleId}>
                <summary>{a.title}</summary>
                <p>{a.solution}</p>
              </details>
            ))}
          </div>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {t('portal.submit')}
        </button>
      </form>
      {sent && (
        <p role="status">
          {t('portal.sent', { severity: sent.request.severity })} {sent.attached > 0 && t('attach.sent', { count: String(sent.attached) })}
        </p>
      )}
      {refused.map((f) => (
        <div key={f.name}>
          <p>{t('attach.refused', { name: f.name })}</p>
          <ErrorNote error={f.error} />
        </div>
      ))}
      <ErrorNote error={error} />
    </Section>
  );
}

/** Surveys the weekly batch sent and the customer has not answered: each opens its case, where it is answered. */
function SurveysWaiting() {
  const { t, time } = useI18n();
  const live = useLive();
  const found = useLoad(async () => (await survey.list({})).items.filter((s) => s.status !== 'answered'), [live.version]);
  if (!found.data?.length && !found.error) return null;
  return (
    <Section title={t('portal.surveys')}>
      <ErrorNote error={found.error} onRetry={found.reload} />
      <ul className="plain">
        {(found.data ?? []).map((s) => (
          <li key={s.id}>
            <a href={`#/portal/cases/${s.caseId}`}>{t('portal.answerSurvey', { caseNumber: s.caseNumber })}</a>{' '}
            <span className="muted">{t('survey.expires', { date: time(s.expiresAt) })}</span>
          </li>
        ))}
      </ul>
    </Section>
  );
}

/** The customer's carry-in and mail-in repairs; an out-of-warranty quote is accepted or declined here. */
function Quotes() {
  const { t } = useI18n();
  const live = useLive();
  const orders = useLoad(() => spares.repairOrders(), [live.version], pollEvery(live, 15000));
  if (!orders.data?.items.length && !orders.error) return null;
  return (
    <Section title={t('portal.repairs')}>
      <ErrorNote error={orders.error} onRetry={orders.reload} />
      {orders.data && <RepairTable rows={orders.data.items} onDone={orders.reload} />}
    </Section>
  );
}
