import { useState } from 'react';
import { intake } from '../api/client';
import { ErrorNote } from '../components/ui';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n/i18n';

/** After hours: the messages of callers without 7x24 cover, due at the next opening of their contract's calendar. */
export function VoicemailQueue() {
  const { t, time } = useI18n();
  const [dueOnly, setDueOnly] = useState(false);
  const q = useLoad(() => intake.voicemails({ status: 'queued', ...(dueOnly ? { due: true } : {}) }), [dueOnly], 15000);
  const items = q.data?.items ?? [];
  return (
    <div>
      <h1>{t('voicemail.title')}</h1>
      <p className="hint">{t('voicemail.hint')}</p>
      <label className="check">
        <input type="checkbox" checked={dueOnly} onChange={(e) => setDueOnly(e.target.checked)} /> {t('voicemail.dueOnly')}
      </label>
      <ErrorNote error={q.error} onRetry={q.reload} />
      {q.data && items.length === 0 ? (
        <p>{t('voicemail.empty')}</p>
      ) : (
        <table className="cases">
          <thead>
            <tr>
              <th scope="col">{t('voicemail.due')}</th>
              <th scope="col">{t('voicemail.caller')}</th>
              <th scope="col">{t('voicemail.message')}</th>
              <th scope="col">{t('voicemail.recorded')}</th>
              <th scope="col">
                <span className="sr-only">{t('voicemail.take')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((v) => (
              <tr key={v.id}>
                <td>{time(v.dueAt)}</td>
                <td>
                  {v.callerName ?? '—'} <code>{v.callerNumber}</code>
                </td>
                <td className="symptom-cell">{v.message}</td>
                <td>{time(v.recordedAt)}</td>
                <td>
                  <a className="button" href={`#/call?voicemail=${v.id}`}>
                    {t('voicemail.take')}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
