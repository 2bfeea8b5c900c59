import { FormEvent, useState } from 'react';
import { spares } from '../api/client';
import type { PartReturn, ReturnOutcome } from '../api/types';
import { has, Session } from '../auth/session';
import { EnumOptions, ErrorNote, Field, Section } from '../components/ui';
import { useAction, useLoad } from '../hooks';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { pollEvery, useLive } from '../live';
import { Returns } from './Parts';

const RETURNS_POLL_MS = 15000;
const OUTCOMES: ReturnOutcome[] = ['repaired', 'sent-to-vendor', 'scrapped'];

type Acting = { r: PartReturn; kind: 'receive' | 'dispose' };

/**
 * Faulty parts owed back (overdue ones flagged) and the ones back at the depot: the desk receives a
 * part when it arrives, an engineer or manager decides what becomes of it (the spares service's rule).
 */
export function OpenReturns({ session }: { session: Session }) {
  const { t } = useI18n();
  const live = useLive();
  const list = useLoad(
    async () => {
      const [expected, received] = await Promise.all([spares.returns({ state: 'expected' }), spares.returns({ state: 'received' })]);
      return [...expected.items, ...received.items];
    },
    [live.version],
    pollEvery(live, RETURNS_POLL_MS),
  );
  const [acting, setActing] = useState<Acting | null>(null);
  const decides = has(session, 'engineer', 'manager', 'admin');
  const rows = list.data ?? [];
  const overdue = rows.filter((r) => r.overdue).length;
  const done = () => {
    setActing(null);
    list.reload();
  };
  const button = (r: PartReturn, kind: Acting['kind']) => (
    <button type="button" aria-pressed={acting?.r.id === r.id && acting.kind === kind} onClick={() => setActing({ r, kind })}>
      {t(`returns.${kind}` as MessageKey)}
      <span className="sr-only"> {r.partNumber}</span>
    </button>
  );
  return (
    <Section title={t('returns.title')}>
      <ErrorNote error={list.error} onRetry={list.reload} />
      {list.data && rows.length === 0 && <p>{t('returns.none')}</p>}
      {list.data && rows.length > 0 && (
        <>
          <p>{overdue > 0 ? <strong className="late">{t('returns.overdue', { count: overdue })}</strong> : t('spares.noOverdue')}</p>
          <Returns
            returns={rows}
            title={t('returns.title')}
            actions={(r) => (r.state === 'expected' ? button(r, 'receive') : decides ? button(r, 'dispose') : null)}
          />
        </>
      )}
      {acting?.kind === 'receive' && <ReceiveForm key={acting.r.id} r={acting.r} onDone={done} onCancel={() => setActing(null)} />}
      {acting?.kind === 'dispose' && <DisposeForm key={acting.r.id} r={acting.r} onDone={done} onCancel={() => setActing(null)} />}
    </Section>
  );
}

function ReceiveForm({ r, onDone, onCancel }: { r: PartReturn; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [condition, setCondition] = useState('');
  const act = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void act.run(() => spares.receiveReturn(r.id, condition.trim()), onDone);
  };
  return (
    <form className="inline" onSubmit={submit} aria-label={t('returns.receiveOf', { part: r.partNumber })}>
      <Field label={t('returns.condition')}>
        {(id) => <input id={id} value={condition} onChange={(e) => setCondition(e.target.value)} required autoFocus />}
      </Field>
      <FormEnd submit={t('returns.receiveSubmit')} busy={act.busy} error={act.error} onCancel={onCancel} />
    </form>
  );
}

function DisposeForm({ r, onDone, onCancel }: { r: PartReturn; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [outcome, setOutcome] = useState<ReturnOutcome>('repaired');
  const [reason, setReason] = useState('');
  const [rma, setRma] = useState('');
  const act = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = { outcome, reason: reason.trim(), ...(outcome === 'sent-to-vendor' ? { rmaNumber: rma.trim() } : {}) };
    void act.run(() => spares.disposeReturn(r.id, body), onDone);
  };
  return (
    <form className="inline" onSubmit={submit} aria-label={t('returns.disposeOf', { part: r.partNumber })}>
      <Field label={t('returns.outcome')}>
        {(id) => (
          <select id={id} value={outcome} onChange={(e) => setOutcome(e.target.value as ReturnOutcome)} autoFocus>
            <EnumOptions values={OUTCOMES} prefix="returnState" />
          </select>
        )}
      </Field>
      <Field label={t('returns.reason')}>
        {(id) => <input id={id} value={reason} onChange={(e) => setReason(e.target.value)} required />}
      </Field>
      {outcome === 'sent-to-vendor' && (
        <Field label={t('returns.rma')}>{(id) => <input id={id} value={rma} onChange={(e) => setRma(e.target.value)} required />}</Field>
      )}
      <FormEnd submit={t('returns.disposeSubmit')} busy={act.busy} error={act.error} onCancel={onCancel} />
    </form>
  );
}

/** A return form's submit and cancel buttons, and the service's answer when it refused. */
function FormEnd(p: { submit: string; busy: boolean; error: unknown; onCancel: () => void }) {
  const { t } = useI18n();
  return (
    <>
      <button type="submit" className="primary" disabled={p.busy}>
        {p.submit}
      </button>
      <button type="button" onClick={p.onCancel}>
        {t('app.cancel')}
      </button>
      <ErrorNote error={p.error} />
    </>
  );
}
