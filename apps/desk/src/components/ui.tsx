import { ReactNode, useId } from 'react';
import { ApiError } from '../api/http';
import { formatCountdown, Risk, riskOf } from '../domain/sla';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import type { useAction } from '../hooks';

export function ErrorNote({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  if (!error) return null;
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error);
  const fields = error instanceof ApiError ? error.errors : [];
  return (
    <div role="alert" className="error">
      {t('app.error', { message })}
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={f.field}>
              <strong>{f.field}</strong>: {f.reason}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t('app.retry')}
        </button>
      )}
    </div>
  );
}

/** One `<option>` per value of a closed set, labelled by the message `<prefix>.<value>`. */
export function EnumOptions({ values, prefix }: { values: readonly string[]; prefix: string }) {
  const { t } = useI18n();
  return (
    <>
      {values.map((v) => (
        <option key={v} value={v}>
          {t(`${prefix}.${v}` as MessageKey)}
        </option>
      ))}
    </>
  );
}

/** A table's column headings in the user's language; `false` or `undefined` leaves a column out. */
export function ColumnHeads({ keys }: { keys: Array<MessageKey | false | undefined> }) {
  const { t } = useI18n();
  return (
    <thead>
      <tr>
        {keys
          .filter((k): k is MessageKey => !!k)
          .map((k) => (
            <th key={k} scope="col">
              {t(k)}
            </th>
          ))}
      </tr>
    </thead>
  );
}

/**
 * A button for each of `actions`, labelled `<keys>.<action>` and, for screen readers, `<keys>.<action>.label`
 * with `params` naming what it acts on; a click runs the write through `act`, then `after`.
 */
export function ActionButtons<A extends string>(p: {
  actions: readonly A[];
  keys: string;
  params: Record<string, string | number>;
  act: ReturnType<typeof useAction>;
  run: (action: A) => Promise<unknown>;
  after: () => void;
  primary?: A;
}) {
  const { t } = useI18n();
  return (
    <>
      {p.actions.map((a) => (
        <button
          key={a}
          type="button"
          className={a === p.primary ? 'primary' : undefined}
          disabled={p.act.busy}
          onClick={() => void p.act.run(() => p.run(a), p.after)}
          aria-label={t(`${p.keys}.${a}.label` as MessageKey, p.params)}
        >
          {t(`${p.keys}.${a}` as MessageKey)}
        </button>
      ))}
    </>
  );
}

export function Section({ title, children, actions, id }: { title: string; children: ReactNode; actions?: ReactNode; id?: string }) {
  const auto = useId();
  const headingId = id ?? auto;
  return (
    <section className="panel" aria-labelledby={headingId}>
      <div className="panel-head">
        <h2 id={headingId}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function SeverityBadge({ severity }: { severity: string }) {
  return <span className={`sev sev-${severity.toLowerCase()}`}>{severity}</span>;
}

/** A live countdown to the breach, coloured by risk, with the risk in words for screen readers and colour-blind users. */
export function Countdown({ dueAt, paused, now }: { dueAt: number | null; paused?: boolean; now: number }) {
  const { t } = useI18n();
  const left = dueAt === null ? null : dueAt - now;
  const risk: Risk = riskOf(left, paused);
  return (
    <span className={`countdown risk-${risk}`} data-risk={risk}>
      <span className="countdown-time">{left === null ? '—' : formatCountdown(left)}</span>
      <span className="countdown-risk">{t(`risk.${risk}`)}</span>
    </span>
  );
}

export function Field({ label, children, hint }: { label: string; children: (id: string) => ReactNode; hint?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {hint && <p className="hint">{hint}</p>}
    </div>
  );
}

/** A one-field form inline with its submit button: a required text the user types, then sends. */
export function OneFieldForm(p: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  submit: string;
  onSubmit: () => void;
  placeholder?: string;
}) {
  return (
    <form
      className="inline"
      onSubmit={(e) => {
        e.preventDefault();
        p.onSubmit();
      }}
    >
      <Field label={p.label}>
        {(id) => <input id={id} value={p.value} onChange={(e) => p.onChange(e.target.value)} placeholder={p.placeholder} required />}
      </Field>
      <button type="submit">{p.submit}</button>
    </form>
  );
}
