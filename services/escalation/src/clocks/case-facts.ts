import { EntityManager } from 'typeorm';

/** A case milestone that meets a target; recorded so a re-base does not start a clock for a target already met. */
export type Milestone = 'diagnosed' | 'responded' | 'dispatched' | 'arrived';
/** The milestones that meet a target (a dispatch starts the on-site one). */
export type MetMilestone = Exclude<Milestone, 'dispatched'>;

/** What the escalation service knows of a case beyond its clocks (migration 1700000000005). */
export interface CaseFacts {
  channel: string | null;
  serviceMode: string | null;
  /** milestone → the episodes it was reached in */
  milestones: Map<Milestone, Set<number>>;
}

/** The terms a case opened with that decide which targets apply to it. */
export async function recordCaseTerms(m: EntityManager, s: string, caseId: string, channel?: string, serviceMode?: string): Promise<void> {
  await m.query(`INSERT INTO "${s}".case_terms (case_id, channel, service_mode) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
    caseId,
    channel ?? null,
    serviceMode ?? null,
  ]);
}

/** A milestone of the case's current episode (the first time it is reached counts). */
export async function recordMilestone(m: EntityManager, s: string, caseId: string, milestone: Milestone, at: Date): Promise<void> {
  await m.query(
    `INSERT INTO "${s}".case_milestones (case_id, episode, milestone, at)
     SELECT $1, max(episode), $2, $3 FROM "${s}".sla_clocks WHERE case_id = $1 HAVING max(episode) IS NOT NULL
     ON CONFLICT DO NOTHING`,
    [caseId, milestone, at],
  );
}

export async function caseFactsOf(m: EntityManager, s: string, caseIds: string[]): Promise<Map<string, CaseFacts>> {
  const out = new Map<string, CaseFacts>();
  const facts = (id: string) => {
    let f = out.get(id);
    if (!f) out.set(id, (f = { channel: null, serviceMode: null, milestones: new Map() }));
    return f;
  };
  if (caseIds.length === 0) return out;
  const terms: Array<{ case_id: string; channel: string | null; service_mode: string | null }> = await m.query(
    `SELECT case_id, channel, service_mode FROM "${s}".case_terms WHERE case_id = ANY($1::uuid[])`,
    [caseIds],
  );
  for (const t of terms) Object.assign(facts(t.case_id), { channel: t.channel, serviceMode: t.service_mode });
  const reached: Array<{ case_id: string; episode: number; milestone: Milestone }> = await m.query(
    `SELECT case_id, episode, milestone FROM "${s}".case_milestones WHERE case_id = ANY($1::uuid[])`,
    [caseIds],
  );
  for (const r of reached) {
    const f = facts(r.case_id);
    let episodes = f.milestones.get(r.milestone);
    if (!episodes) f.milestones.set(r.milestone, (episodes = new Set()));
    episodes.add(r.episode);
  }
  return out;
}
