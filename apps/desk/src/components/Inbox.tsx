import { useEffect, useRef, useState } from 'react';
import { NEEDS, capability } from '../api/capabilities';
import { inbox } from '../api/client';
import { useAction, useLoad } from '../hooks';
import { useI18n } from '../i18n/i18n';
import { pollEvery, useLive } from '../live';
import { ErrorNote } from './ui';

const INBOX_POLL_MS = 20000;

/**
 * The header's in-app notifications (notify's inbox of the signed-in person): the unread count
 * always in sight, the list on demand, each marked read by a click or all at once.
 */
export function Inbox() {
  const { t, time } = useI18n();
  const live = useLive();
  const ready = useLoad(() => capability(NEEDS.notifications.service, NEEDS.notifications.needs), []);
  const on = ready.data?.ready === true;
  const count = useLoad(() => (on ? inbox.unread() : Promise.resolve({ unread: 0 })), [on, live.version], pollEvery(live, INBOX_POLL_MS));
  const [open, setOpen] = useState(false);
  const list = useLoad(() => (open ? inbox.list() : Promise.resolve(null)), [open, live.version]);
  const act = useAction();
  const button = useRef<HTMLButtonElement>(null);
  const reload = () => {
    count.reload();
    list.reload();
  };
  useEffect(() => {
    if (!open) return;
    const close = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    window.addEventListener('keydown', close);
    return () => window.removeEventListener('keydown', close);
  }, [open]);
  if (!on) return null;
  const unread = list.data?.unread ?? count.data?.unread ?? 0;
  return (
    <div className="inbox">
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls="inbox-panel"
        onClick={() => setOpen((o) => !o)}
        className={unread ? 'has-unread' : undefined}
      >
        {t('inbox.button')} <span className="badge">{t('inbox.unread', { count: unread })}</span>
      </button>
      {open && (
        <div id="inbox-panel" className="inbox-panel" role="region" aria-label={t('inbox.title')}>
          <div className="panel-head">
            <h2>{t('inbox.title')}</h2>
            <button type="button" disabled={act.busy || unread === 0} onClick={() => void act.run(() => inbox.readAll(), reload)}>
              {t('inbox.readAll')}
            </button>
          </div>
          <ErrorNote error={list.error ?? act.error} />
          {list.data && list.data.items.length === 0 && <p>{t('inbox.empty')}</p>}
          <ul className="plain">
            {(list.data?.items ?? []).map((n) => (
              <li key={n.id} className={n.readAt ? 'read' : 'unread'} data-notice={n.template}>
                <div>
                  <strong>{n.subject}</strong> <span className="muted">{time(n.createdAt)}</span>
                </div>
                <div className="notice-body">{n.body}</div>
                <div className="buttons">
                  {n.caseId && <a href={`#/cases/${n.caseId}`}>{t('inbox.toCase')}</a>}
                  {!n.readAt && (
                    <button type="button" disabled={act.busy} onClick={() => void act.run(() => inbox.read(n.id), reload)}>
                      {t('inbox.markRead')}
                    </button>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
