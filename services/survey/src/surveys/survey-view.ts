import { ITEM_LABELS, ITEMS, SCALE, SMOOTH_LABEL } from '../domain/scores';
import { Survey } from './surveys.repository';

/** What a survey shows: staff see the owners too; a customer or a link holder does not. */
export function surveyView(s: Survey, staff: boolean) {
  const base = {
    id: s.id,
    caseId: s.caseId,
    caseNumber: s.caseNumber,
    region: s.region,
    week: s.week,
    customerId: s.customerId,
    status: s.status,
    scores: s.scores,
    smooth: s.smooth,
    comment: s.comment,
    sentAt: s.sentAt,
    expiresAt: s.expiresAt,
    via: s.via,
    answeredAt: s.answeredAt,
  };
  return staff ? { ...base, ownerName: s.ownerName, escalationOwnerName: s.escalationOwnerName, contact: s.contact } : base;
}

/** The one-time form: the items with their meanings in both languages, and what was saved so far. */
export function answerForm(s: Survey) {
  return {
    caseNumber: s.caseNumber,
    status: s.status,
    expiresAt: s.expiresAt,
    items: ITEMS.map((item) => ({ item, label: ITEM_LABELS[item] })),
    scale: SCALE,
    smoothQuestion: SMOOTH_LABEL,
    scores: s.scores,
    smooth: s.smooth,
    comment: s.comment,
  };
}
