import { FormEvent, KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { cases, CreateRequestBody, intake } from '../api/client';
import type {
  Contact,
  DeskLookup,
  DeskMatch,
  FaultKind,
  Impact,
  KnowledgeSuggestion,
  ServiceMode,
  ServiceRequest,
  Severity,
  TriagePreview,
  WarrantyLedger,
} from '../api/types';
import { ColumnHeads, EnumOptions, ErrorNote, Field, Section, SeverityBadge } from '../components/ui';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';

export const IMPACTS: Impact[] = ['system-down', 'data-loss', 'degraded', 'partial-fault', 'question'];
export const KINDS: Array<{ kind: FaultKind; key: string }> = [
  { kind: 'hardware', key: 'h' },
  { kind: 'software', key: 's' },
  { kind: 'question', key: 'q' },
];
const SEVERITIES: Severity[] = ['P1', 'P2', 'P3', 'P4'];
const MODES: ServiceMode[] = ['remote', 'on-site', 'carry-in', 'mail-in', 'paid', 'return-exchange', 'complaint'];

/** What the agent typed: an e-mail has an @, a phone number is digits and separators, anything else is a serial. */
export function lookupKind(q: string): 'email' | 'phone' | 'serial' {
  const v = q.trim();
  if (v.includes('@')) return 'email';
  if (/^\+?[0-9 ()-]{5,}$/.test(v)) return 'phone';
  return 'serial';
}

const isTyping = (el: EventTarget | null) =>
  el instanceof HTMLTextAreaElement ||
  (el instanceof HTMLInputElement && !['radio', 'checkbox', 'button', 'submit'].includes(el.type)) ||
  el instanceof HTMLSelectElement;

/**
 * The incoming call: number / e-mail / serial → who, where, which contract and asset, warranty; the
 * symptom form with the live suggestion; open duplicates and known solutions before filing; one
 * keystroke (Ctrl+Enter) to file. Also files a voicemail taken from the after-hours queue.
 */
export function CallScreen({ voicemailId }: { voicemailId?: string }) {
  const { t, time } = useI18n();
  const lookupRef = useRef<HTMLInputElement>(null);
  const impactRef = useRef<HTMLFieldSetElement>(null);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<DeskLookup | null>(null);
  const [matchIx, setMatchIx] = useState(0);
  const [contactId, setContactId] = useState<string>('');
  const [assetId, setAssetId] = useState<string>('');
  const [newCustomerId, setNewCustomerId] = useState('');
  const [contactName, setContactName] = useState('');
  const [impact, setImpact] = useState<Impact | undefined>();
  const [kind, setKind] = useState<FaultKind | undefined>();
  const [symptom, setSymptom] = useState('');
  const [autoSymptom, setAutoSymptom] = useState('');
  const [codes, setCodes] = useState('');
  const [severity, setSeverity] = useState<Severity | ''>('');
  const [severityReason, setSeverityReason] = useState('');
  const [mode, setMode] = useState<ServiceMode | ''>('');
  const [modeReason, setModeReason] = useState('');
  const [preview, setPreview] = useState<TriagePreview | null>(null);
  const [duplicates, setDuplicates] = useState<ServiceRequest[]>([]);
  const [articles, setArticles] = useState<KnowledgeSuggestion[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [filed, setFiled] = useState<ServiceRequest | null>(null);
  const [caseOf, setCaseOf] = useState<{ id: string; caseNumber: string } | null>(null);
  const [voicemail, setVoicemail] = useState<{ caller: string; at: string } | null>(null);
  const [focusImpact, setFocusImpact] = useState(0);

  const match: DeskMatch | undefined = found?.matches[matchIx];
  const asset = match?.assets.find((a) => a.asset.id === assetId);
  const customerId = match?.customer.id ?? (newCustomerId.trim() || undefined);
  const serialNumber =
    asset?.asset.serialNumber ?? (found && lookupKind(found.query.serial ?? '') === 'serial' ? found.query.serial : undefined);
  const errorCodes = useMemo(
    () =>
      codes
        .split(/[,\s]+/)
        .map((c) => c.trim())
        .filter(Boolean),
    [codes],
  );

  useEffect(() => lookupRef.current?.focus(), []);
  // after a lookup, on to the symptom form: the impact is the next key
  useEffect(() => {
    if (focusImpact) impactRef.current?.querySelector<HTMLInputElement>('input')?.focus();
  }, [focusImpact]);

  // a voicemail taken from the queue: the caller's number is looked up, the message is the symptom
  useEffect(() => {
    if (!voicemailId) return;
    intake.voicemail(voicemailId).then((v) => {
      setVoicemail({ caller: v.callerName ?? v.callerNumber, at: v.recordedAt });
      setQuery(v.callerNumber);
      setSymptom(v.message);
      void lookup(v.callerNumber);
    }, setError);
  }, [voicemailId]);

  // the suggestion follows the form
  useEffect(() => {
    if (!customerId && !impact && !kind) return setPreview(null);
    const ctl = setTimeout(() => {
      intake.triage({ customerId, serialNumber, impact, faultKind: kind }).then(setPreview, () => setPreview(null));
    }, 150);
    return () => clearTimeout(ctl);
  }, [customerId, serialNumber, impact, kind]);

  // open requests for the same asset: the call would be linked to them
  useEffect(() => {
    if (!serialNumber || !customerId) return setDuplicates([]);
    intake.requests({ customerId, serialNumber, limit: 20 }).then(
      (p) => setDuplicates(p.items.filter((r) => !r.linkedRequestId && r.caseStatus !== 'closed' && r.serviceMode !== 'complaint')),
      () => setDuplicates([]),
    );
  }, [serialNumber, customerId]);

  // known solutions for what the caller reports
  useEffect(() => {
    if (!symptom.trim() && errorCodes.length === 0) return setArticles([]);
    const ctl = setTimeout(() => {
      intake.suggestions({ symptom, errorCode: errorCodes, productLine: asset?.asset.productLine }).then(
        (r) => setArticles(r.items),
        () => setArticles([]),
      );
    }, 300);
    return () => clearTimeout(ctl);
  }, [symptom, errorCodes, asset?.asset.productLine]);

  // the case opens a moment after the request (the case service hears of it on the bus)
  useEffect(() => {
    if (!filed) return;
    if (filed.duplicateOf?.caseId) return setCaseOf({ id: filed.duplicateOf.caseId, caseNumber: filed.duplicateOf.caseNumber ?? '' });
    let stop = false;
    const poll = async () => {
      while (!stop) {
        const page = await cases.list({ requestId: filed.id, limit: 1 }).catch(() => null);
        if (page?.items[0]) return setCaseOf({ id: page.items[0].id, caseNumber: page.items[0].caseNumber });
        await new Promise((r) => setTimeout(r, 500));
      }
    };
    void poll();
    return () => {
      stop = true;
    };
  }, [filed]);

  async function lookup(value = query) {
    const v = value.trim();
    if (!v) return;
    setError(undefined);
    try {
      const kindOf = lookupKind(v);
      const res = await intake.lookup(kindOf, v);
      setFound(res);
      setMatchIx(0);
      const m = res.matches[0];
      const designated = m?.contacts.find((c) => c.designated) ?? m?.contacts[0];
      setContactId(designated?.id ?? '');
      setAssetId(kindOf === 'serial' ? (m?.assets[0]?.asset.id ?? '') : '');
      setFocusImpact((n) => n + 1);
    } catch (e) {
      setError(e);
    }
  }

  function chooseImpact(i: Impact) {
    setImpact(i);
    const label = t(`impact.${i}` as MessageKey) + (kind ? ` (${t(`kind.${kind}` as MessageKey)})` : '');
    if (!symptom.trim() || symptom === autoSymptom) {
      setSymptom(label);
      setAutoSymptom(label);
    }
  }

  function chooseKind(k: FaultKind) {
    setKind(k);
    if (impact && (!symptom.trim() || symptom === autoSymptom)) {
      const label = `${t(`impact.${impact}` as MessageKey)} (${t(`kind.${k}` as MessageKey)})`;
      setSymptom(label);
      setAutoSymptom(label);
    }
  }

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void create();
      return;
    }
    if (isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
    const impact = IMPACTS[Number(e.key) - 1];
    if (impact) {
      e.preventDefault();
      chooseImpact(impact);
      return;
    }
    const k = KINDS.find((x) => x.key === e.key.toLowerCase());
    if (k) {
      e.preventDefault();
      chooseKind(k.kind);
    }
  }

  function body(): CreateRequestBody {
    const contact: Contact | undefined = match?.contacts.find((c) => c.id === contactId);
    const lookedUp = found?.query ?? {};
    return {
      channel: 'phone',
      ...(customerId ? { customerId } : {}),
      ...(contact
        ? { contactId: contact.id }
        : {
            contact: {
              name: contactName.trim() || t('call.contactName'),
              ...(lookedUp.phone ? { phone: lookedUp.phone } : {}),
              ...(lookedUp.email ? { email: lookedUp.email } : {}),
            },
          }),
      ...(impact ? { impact } : {}),
      ...(kind ? { faultKind: kind } : {}),
      symptom: symptom.trim(),
      ...(errorCodes.length ? { errorCodes } : {}),
      ...(serialNumber ? { serialNumber } : {}),
      ...(severity ? { severity, ...(severityReason ? { severityReason } : {}) } : {}),
      ...(mode ? { serviceMode: mode, ...(modeReason ? { serviceModeReason: modeReason } : {}) } : {}),
    };
  }

  async function create(e?: FormEvent) {
    e?.preventDefault();
    if (busy || filed) return;
    setBusy(true);
    setError(undefined);
    try {
      const b = body();
      const { channel: _c, ...rest } = b;
      // a voicemail answers with itself, the request it became inside
      const res = voicemailId ? (await intake.recordVoicemail(voicemailId, rest)).request : await intake.createRequest(b);
      setFiled(res);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  function nextCall() {
    if (voicemailId) location.hash = '#/voicemail';
    setQuery('');
    setFound(null);
    setImpact(undefined);
    setKind(undefined);
    setSymptom('');
    setAutoSymptom('');
    setCodes('');
    setSeverity('');
    setMode('');
    setSeverityReason('');
    setModeReason('');
    setFiled(null);
    setCaseOf(null);
    setError(undefined);
    setTimeout(() => lookupRef.current?.focus(), 0);
  }

  const sevOverridden = !!severity && !!preview?.suggestedSeverity && severity !== preview.suggestedSeverity;
  const modeOverridden = !!mode && !!preview && mode !== preview.suggestedServiceMode;

  return (
    <div className="call" onKeyDown={onKeyDown}>
      <h1>{t('call.title')}</h1>
      {voicemail && <p className="note">{t('call.fromVoicemail', { caller: voicemail.caller, time: time(voicemail.at) })}</p>}
      <form
        className="lookup"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void lookup();
        }}
      >
        <label htmlFor="lookup">{t('call.lookup')}</label>
        <div className="row">
          <input
            id="lookup"
            ref={lookupRef}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            autoComplete="off"
            aria-describedby="lookup-hint"
          />
          <button type="submit">{t('call.find')}</button>
        </div>
        <p id="lookup-hint" className="hint">
          {t('call.lookupHint')}
        </p>
      </form>
      <ErrorNote error={error} />
      {found && (
        <Caller
          found={found}
          matchIx={matchIx}
          setMatchIx={setMatchIx}
          contactId={contactId}
          setContactId={setContactId}
          assetId={assetId}
          setAssetId={setAssetId}
        />
      )}
      {found && found.matches.length === 0 && (
        <div className="grid2">
          <Field label={t('call.customerId')}>
            {(id) => <input id={id} value={newCustomerId} onChange={(e) => setNewCustomerId(e.target.value)} />}
          </Field>
          <Field label={t('call.contactName')}>
            {(id) => <input id={id} value={contactName} onChange={(e) => setContactName(e.target.value)} />}
          </Field>
        </div>
      )}
      {found && !filed && (
        <form className="symptom" onSubmit={(e) => void create(e)} aria-labelledby="symptom-h">
          <h2 id="symptom-h">{t('call.symptomForm')}</h2>
          <div className="grid2">
            <fieldset ref={impactRef} className="choices">
              <legend>{t('call.impact')}</legend>
              {IMPACTS.map((i, ix) => (
                <label key={i}>
                  <input type="radio" name="impact" value={i} checked={impact === i} onChange={() => chooseImpact(i)} />
                  <kbd>{ix + 1}</kbd> {t(`impact.${i}` as MessageKey)}
                </label>
              ))}
            </fieldset>
            <fieldset className="choices">
              <legend>{t('call.faultKind')}</legend>
              {KINDS.map(({ kind: k, key }) => (
                <label key={k}>
                  <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => chooseKind(k)} />
                  <kbd>{key.toUpperCase()}</kbd> {t(`kind.${k}` as MessageKey)}
                </label>
              ))}
            </fieldset>
          </div>
          <Field label={t('call.symptom')}>
            {(id) => <textarea id={id} rows={3} value={symptom} onChange={(e) => setSymptom(e.target.value)} required />}
          </Field>
          <Field label={t('call.errorCodes')}>{(id) => <input id={id} value={codes} onChange={(e) => setCodes(e.target.value)} />}</Field>
          <div className="suggestion" aria-live="polite">
            {preview && (
              <p>
                {t('call.suggested')}: {preview.suggestedSeverity ? <SeverityBadge severity={preview.suggestedSeverity} /> : '—'}{' '}
                {preview.severityWhy && <span className="why">({preview.severityWhy})</span>} ·{' '}
                {t(`mode.${preview.suggestedServiceMode}` as MessageKey)} <span className="why">({preview.serviceModeWhy})</span>
              </p>
            )}
          </div>
          <div className="grid2">
            <Field label={t('call.severity')}>
              {(id) => (
                <select id={id} value={severity} onChange={(e) => setSeverity(e.target.value as Severity | '')}>
                  <option value="">{t('call.useSuggestion')}</option>
                  {SEVERITIES.map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('call.serviceMode')}>
              {(id) => (
                <select id={id} value={mode} onChange={(e) => setMode(e.target.value as ServiceMode | '')}>
                  <option value="">{t('call.useSuggestion')}</option>
                  <EnumOptions values={MODES} prefix="mode" />
                </select>
              )}
            </Field>
          </div>
          {sevOverridden && (
            <Field label={`${t('call.overrideReason')} (${t('call.severity')})`}>
              {(id) => <input id={id} value={severityReason} onChange={(e) => setSeverityReason(e.target.value)} required />}
            </Field>
          )}
          {modeOverridden && (
            <Field label={`${t('call.overrideReason')} (${t('call.serviceMode')})`}>
              {(id) => <input id={id} value={modeReason} onChange={(e) => setModeReason(e.target.value)} required />}
            </Field>
          )}
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('call.creating') : t('call.create')}
          </button>
        </form>
      )}
      {filed && <Filed filed={filed} caseOf={caseOf} onNext={nextCall} />}
      {found && (
        <div className="grid2">
          <Section title={t('call.duplicates')}>
            {duplicates.length === 0 ? (
              <p>{t('call.noDuplicates')}</p>
            ) : (
              <>
                <p className="note">{t('call.duplicateNote')}</p>
                <ul>
                  {duplicates.map((d) => (
                    <li key={d.id}>
                      {d.caseId ? <a href={`#/cases/${d.caseId}`}>{d.caseNumber}</a> : d.id.slice(0, 8)}{' '}
                      <SeverityBadge severity={d.severity} /> {d.symptom} ({d.caseStatus ?? '—'}, {time(d.receivedAt)})
                    </li>
                  ))}
                </ul>
              </>
            )}
          </Section>
          <Section title={t('call.knowledge')}>
            {articles.length === 0 ? (
              <p>{t('call.noKnowledge')}</p>
            ) : (
              <ul className="articles">
                {articles.map((a) => (
                  <li key={a.articleId}>
                    <details>
                      <summary>
                        {a.title} {a.matchedErrorCodes.length > 0 && <code>{a.matchedErrorCodes.join(', ')}</code>}
                      </summary>
                      <p>{a.solution}</p>
                    </details>
                  </li>
                ))}
              </ul>
            )}
          </Section>
        </div>
      )}
    </div>
  );
}

function Caller(p: {
  found: DeskLookup;
  matchIx: number;
  setMatchIx(i: number): void;
  contactId: string;
  setContactId(id: string): void;
  assetId: string;
  setAssetId(id: string): void;
}) {
  const { t } = useI18n();
  const m = p.found.matches[p.matchIx];
  if (!m) return <p role="status">{t('call.unknown', { query: Object.values(p.found.query).join('') })}</p>;
  return (
    <section className="panel caller" aria-labelledby="caller-h" role="region">
      <h2 id="caller-h">
        {t('call.customer')}: {m.customer.name} <span className="muted">({m.customer.id})</span>
      </h2>
      {p.found.matches.length > 1 && (
        <Field label={t('call.customer')}>
          {(id) => (
            <select id={id} value={p.matchIx} onChange={(e) => p.setMatchIx(Number(e.target.value))}>
              {p.found.matches.map((x, i) => (
                <option key={x.customer.id} value={i}>
                  {x.customer.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <div className="grid3">
        <div>
          {m.contacts.length === 0 ? (
            <p>
              {t('call.contact')}: {t('app.none')}
            </p>
          ) : (
            <Field label={t('call.contact')}>
              {(id) => (
                <select id={id} value={p.contactId} onChange={(e) => p.setContactId(e.target.value)}>
                  {m.contacts.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name} {c.phone ?? ''} {c.designated ? '★' : ''}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          <h3>{t('call.site')}</h3>
          <ul className="plain">
            {m.sites.map((s) => (
              <li key={s.id}>
                {s.name} {s.city ? `· ${s.city}` : ''}
              </li>
            ))}
            {m.sites.length === 0 && <li>{t('app.none')}</li>}
          </ul>
        </div>
        <div>
          <h3>{t('call.contract')}</h3>
          <ul className="plain">
            {m.contracts.map((c) => (
              <li key={c.id}>
                <strong>{c.id}</strong> · {t('call.coverage')} <strong className="coverage">{c.coverage}</strong> ·{' '}
                {c.inForce ? t('call.inForce', { date: c.endsOn }) : t('call.notInForce', { from: c.startsOn, to: c.endsOn })}
              </li>
            ))}
            {m.contracts.length === 0 && <li>{t('app.none')}</li>}
          </ul>
        </div>
        <div>
          <fieldset className="choices">
            <legend>{t('call.asset')}</legend>
            {m.assets.length > 1 || p.found.query.serial === undefined ? (
              <label>
                <input type="radio" name="asset" checked={p.assetId === ''} onChange={() => p.setAssetId('')} /> {t('call.noAsset')}
              </label>
            ) : null}
            {m.assets.map((a) => (
              <label key={a.asset.id}>
                <input type="radio" name="asset" checked={p.assetId === a.asset.id} onChange={() => p.setAssetId(a.asset.id)} />
                {a.asset.model} · <code>{a.asset.serialNumber}</code> · {t('call.warranty')}:{' '}
                <strong className={`warranty w-${a.warranty}`}>{t(`warranty.${a.warranty}` as MessageKey)}</strong>
                {a.asset.warrantyEndsOn ? ` (${t('call.warrantyEnds', { date: a.asset.warrantyEndsOn })})` : ''}
              </label>
            ))}
          </fieldset>
          {m.assets
            .filter((a) => a.warrantyLedger && (m.assets.length === 1 || a.asset.id === p.assetId))
            .map((a) => (
              <WarrantyLedgerView key={a.asset.id} ledger={a.warrantyLedger!} />
            ))}
        </div>
      </div>
    </section>
  );
}

/** Where the warranty's end comes from: the base end plus each extension earned by supplier-caused downtime. */
function WarrantyLedgerView({ ledger }: { ledger: WarrantyLedger }) {
  const { t } = useI18n();
  return (
    <div className="ledger">
      <p>{t('ledger.summary', { end: ledger.endsOn ?? '—', base: ledger.baseEndsOn ?? '—', days: ledger.extendedDays })}</p>
      {ledger.extensions.length > 0 && (
        <table className="cases">
          <caption>{t('ledger.title')}</caption>
          <ColumnHeads keys={['col.case', 'ledger.cause', 'ledger.days', 'ledger.counted']} />
          <tbody>
            {ledger.extensions.map((x) => (
              <tr key={x.caseId + x.at}>
                <td>{x.caseNumber ?? x.caseId.slice(0, 8)}</td>
                <td>{x.cause ?? '—'}</td>
                <td>{x.days}</td>
                <td>{x.counted ? t('survey.yes') : t('survey.no')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Filed({
  filed,
  caseOf,
  onNext,
}: {
  filed: ServiceRequest;
  caseOf: { id: string; caseNumber: string } | null;
  onNext: () => void;
}) {
  const { t } = useI18n();
  const next = useRef<HTMLButtonElement>(null);
  useEffect(() => next.current?.focus(), []);
  return (
    <section className="panel done" role="status" aria-live="polite">
      <p>
        {t('call.created', { severity: filed.severity, mode: t(`mode.${filed.serviceMode}` as MessageKey) })}{' '}
        {filed.duplicateOf && t('call.linked', { ref: filed.duplicateOf.caseNumber ?? filed.duplicateOf.requestId })}
      </p>
      <p>{caseOf ? <a href={`#/cases/${caseOf.id}`}>{t('call.caseOpened', { number: caseOf.caseNumber })}</a> : t('call.waitingCase')}</p>
      <button type="button" ref={next} onClick={onNext}>
        {t('call.next')}
      </button>
    </section>
  );
}
