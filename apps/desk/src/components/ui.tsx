import { ReactNode, useId } from 'react';
import { ApiError } from '../api/http';
import { formatCountdown, Risk, riskOf } from '../domain/sla';
import { useI18n } from '../i18n/i18n';

export function ErrorNote({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
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
