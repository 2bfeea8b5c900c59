import { useEffect, useState } from 'react';
import { configureHttp } from './api/http';
import { completeSignIn } from './auth/oidc';
import { clearSession, has, isCustomerOnly, loadSession, saveSession, Session } from './auth/session';
import { Inbox } from './components/Inbox';
import { ErrorNote } from './components/ui';
import { DeskConfig, loadConfig } from './config';
import { Lang, useI18n } from './i18n/i18n';
import { LiveProvider } from './live';
import { Route, useRoute } from './router';
import { CallScreen } from './views/CallScreen';
import { CaseView } from './views/CaseView';
import { ManagerBoard } from './views/ManagerBoard';
import { Portal } from './views/Portal';
import { PortalCase } from './views/PortalCase';
import { Queues } from './views/Queues';
import { SignIn } from './views/SignIn';
import { SparesDesk } from './views/SparesDesk';
import { VoicemailQueue } from './views/VoicemailQueue';

export function App() {
  const { t } = useI18n();
  const [config, setConfig] = useState<DeskConfig>();
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    configureHttp({ token: () => loadSession()?.token ?? null, unauthorized: () => setSession(null) });
    loadConfig()
      .then(async (c) => {
        setConfig(c);
        const token = c.oidc ? await completeSignIn(c.oidc) : null;
        if (token) setSession(saveSession(token));
      })
      .catch(setError);
  }, []);

  if (error) return <ErrorNote error={error} />;
  if (!config) return <p>{t('app.loading')}</p>;
  if (!session) return <SignIn config={config} onToken={(tok) => setSession(saveSession(tok))} />;
  return (
    <LiveProvider token={session.token} enabled={config.live}>
      <Shell
        session={session}
        onSignOut={() => {
          clearSession();
          setSession(null);
        }}
      />
    </LiveProvider>
  );
}

interface NavItem {
  hash: string;
  label: string;
  active: (r: Route) => boolean;
}

function navFor(s: Session, t: ReturnType<typeof useI18n>['t']): NavItem[] {
  if (isCustomerOnly(s)) return [{ hash: '#/portal', label: t('nav.portal'), active: (r) => r.name.startsWith('portal') }];
  const items: NavItem[] = [];
  if (has(s, 'agent', 'engineer', 'manager', 'admin')) {
    items.push({ hash: '#/call', label: t('nav.call'), active: (r) => r.name === 'call' });
    items.push({ hash: '#/voicemail', label: t('nav.voicemail'), active: (r) => r.name === 'voicemail' });
    items.push({ hash: '#/queues', label: t('nav.queues'), active: (r) => r.name === 'queues' || r.name === 'case' });
  }
  if (has(s, 'manager', 'admin')) items.push({ hash: '#/board', label: t('nav.board'), active: (r) => r.name === 'board' });
  items.push({ hash: '#/spares', label: t('nav.spares'), active: (r) => r.name === 'spares' });
  return items;
}

function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const { t, lang, setLang } = useI18n();
  const route = useRoute();
  const customer = isCustomerOnly(session);
  const items = navFor(session, t);
  return (
    <>
      <a className="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        {t('app.skip')}
      </a>
      <header className="top">
        <span className="brand">{t('app.title')}</span>
        <nav aria-label={t('nav.main')}>
          <ul>
            {items.map((i) => (
              <li key={i.hash}>
                <a href={i.hash} aria-current={i.active(route) ? 'page' : undefined}>
                  {i.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          {!customer && <Inbox />}
          <label>
            <span className="sr-only">{t('app.language')}</span>
            <select value={lang} onChange={(e) => setLang(e.target.value as Lang)} aria-label={t('app.language')}>
              <option value="en">English</option>
              <option value="zh-CN">中文</option>
            </select>
          </label>
          <span className="user">
            {t('app.signedInAs', { subject: session.subject, roles: session.roles.join(', '), region: session.region })}
          </span>
          <button type="button" onClick={onSignOut}>
            {t('app.signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <View route={route} session={session} customer={customer} />
      </main>
    </>
  );
}

function View({ route, session, customer }: { route: Route; session: Session; customer: boolean }) {
  if (customer) {
    if (route.name === 'portal-case') return <PortalCase id={route.id} session={session} />;
    return <Portal session={session} />;
  }
  switch (route.name) {
    case 'call':
      return <CallScreen key={route.voicemailId ?? 'call'} voicemailId={route.voicemailId} />;
    case 'voicemail':
      return <VoicemailQueue />;
    case 'queues':
      return <Queues session={session} />;
    case 'case':
      return <CaseView id={route.id} session={session} />;
    case 'board':
      return <ManagerBoard session={session} />;
    case 'spares':
      return <SparesDesk session={session} />;
    default:
      if (has(session, 'manager') && !has(session, 'agent')) return <ManagerBoard session={session} />;
      if (has(session, 'engineer') && !has(session, 'agent')) return <Queues session={session} />;
      return <CallScreen />;
  }
}
