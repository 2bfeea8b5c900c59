import { FormEvent, useState } from 'react';
import type { Role } from '../api/types';
import { beginSignIn } from '../auth/oidc';
import { EnumOptions, ErrorNote, Field } from '../components/ui';
import type { DeskConfig } from '../config';
import { useI18n } from '../i18n/i18n';

const ROLES: Role[] = ['agent', 'engineer', 'manager', 'customer', 'admin'];

/** Development sign-in (all-in-one) by role, region and customer; OIDC where the desk is configured for it. */
export function SignIn({ config, onToken }: { config: DeskConfig; onToken: (token: string) => void }) {
  const { t } = useI18n();
  const [role, setRole] = useState<Role>('agent');
  const [region, setRegion] = useState(config.region);
  const [customerId, setCustomerId] = useState('');
  const [subject, setSubject] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function devSignIn(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const res = await fetch('/auth/dev-token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          roles: [role],
          region,
          ...(role === 'customer' ? { customerId } : {}),
          ...(subject ? { sub: subject } : {}),
        }),
      });
      const body = (await res.json()) as { token: string; message?: string; errors?: Array<{ field: string; reason: string }> };
      if (!res.ok) throw new Error(body.errors?.map((x) => `${x.field}: ${x.reason}`).join('; ') ?? body.message);
      onToken(body.token);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="signin">
      <h1>{t('app.title')}</h1>
      {config.oidc && (
        <section className="panel" aria-labelledby="oidc-h">
          <h2 id="oidc-h">{t('signin.title')}</h2>
          <button type="button" className="primary" onClick={() => void beginSignIn(config.oidc!).catch(setError)}>
            {t('signin.oidc')}
          </button>
        </section>
      )}
      {config.devSignIn && (
        <form className="panel" onSubmit={(e) => void devSignIn(e)} aria-labelledby="dev-h">
          <h2 id="dev-h">{t('signin.dev')}</h2>
          <p className="hint">{t('signin.devHint')}</p>
          <Field label={t('signin.role')}>
            {(id) => (
              <select id={id} value={role} onChange={(e) => setRole(e.target.value as Role)}>
                <EnumOptions values={ROLES} prefix="role" />
              </select>
            )}
          </Field>
          <Field label={t('signin.region')}>
            {(id) => <input id={id} value={region} onChange={(e) => setRegion(e.target.value)} required pattern="[a-z][a-z0-9-]{0,31}" />}
          </Field>
          {role === 'customer' && (
            <Field label={t('signin.customer')}>
              {(id) => <input id={id} value={customerId} onChange={(e) => setCustomerId(e.target.value)} required />}
            </Field>
          )}
          <Field label={t('signin.subject')}>
            {(id) => <input id={id} value={subject} onChange={(e) => setSubject(e.target.value)} autoComplete="username" />}
          </Field>
          <button type="submit" className="primary" disabled={busy}>
            {t('signin.submit')}
          </button>
        </form>
      )}
      {!config.devSignIn && !config.oidc && <p role="alert">{t('signin.noMethod')}</p>}
      <ErrorNote error={error} />
    </main>
  );
}
