import { FormEvent, useState } from 'react';
import { survey } from '../api/client';
import { Survey, SURVEY_ITEMS, SurveyItem } from '../api/types';
import { ErrorNote } from '../components/ui';
import { useAction } from '../hooks';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';

const SCORES = [5, 4, 3, 2, 1] as const;

/**
 * The satisfaction survey of a case as the customer answers it in the portal (`POST
 * /surveys/{id}/answer`): the four items scored 5 (very satisfied) to 1, whether the case went
 * smoothly, a comment. What was saved before (a partial answer) is filled in.
 */
export function SurveyForm({ s, onAnswered }: { s: Survey; onAnswered: () => void }) {
  const { t, time } = useI18n();
  const [scores, setScores] = useState<Partial<Record<SurveyItem, number>>>(s.scores ?? {});
  const [smooth, setSmooth] = useState<boolean | null>(s.smooth);
  const [comment, setComment] = useState(s.comment ?? '');
  const act = useAction();
  if (s.status === 'answered')
    return (
      <p role="status">
        {t('survey.thanks', {
          scores: SURVEY_ITEMS.map((i) => `${t(`survey.item.${i}` as MessageKey)} ${s.scores[i] ?? '—'}`).join(', '),
        })}
      </p>
    );
  const missing = SURVEY_ITEMS.filter((i) => scores[i] === undefined);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void act.run(
      () => survey.answer(s.id, { scores, ...(smooth === null ? {} : { smooth }), ...(comment.trim() ? { comment: comment.trim() } : {}) }),
      onAnswered,
    );
  };
  return (
    <form onSubmit={submit} className="survey">
      <p className="muted">{t('survey.expires', { date: time(s.expiresAt) })}</p>
      {SURVEY_ITEMS.map((item) => (
        <fieldset key={item} className="choices scores">
          <legend>{t(`survey.item.${item}` as MessageKey)}</legend>
          {SCORES.map((n) => (
            <label key={n}>
              <input
                type="radio"
                name={`score-${item}`}
                value={n}
                checked={scores[item] === n}
                onChange={() => setScores((o) => ({ ...o, [item]: n }))}
              />{' '}
              {t(`survey.score.${n}` as MessageKey)}
            </label>
          ))}
        </fieldset>
      ))}
      <fieldset className="choices">
        <legend>{t('survey.smooth')}</legend>
        <label>
          <input type="radio" name="smooth" checked={smooth === true} onChange={() => setSmooth(true)} /> {t('survey.yes')}
        </label>
        <label>
          <input type="radio" name="smooth" checked={smooth === false} onChange={() => setSmooth(false)} /> {t('survey.no')}
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor={`comment-${s.id}`}>{t('survey.comment')}</label>
        <textarea id={`comment-${s.id}`} rows={2} maxLength={4000} value={comment} onChange={(e) => setComment(e.target.value)} />
      </div>
      <button type="submit" className="primary" disabled={act.busy || missing.length > 0}>
        {t('survey.send')}
      </button>
      {missing.length > 0 && (
        <p className="hint">{t('survey.missing', { items: missing.map((i) => t(`survey.item.${i}` as MessageKey)).join(', ') })}</p>
      )}
      <ErrorNote error={act.error} />
    </form>
  );
}
