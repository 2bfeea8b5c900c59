import { Injectable } from '@nestjs/common';
import { selectRows, selectSingle } from '@aftersales/persistence';
import { SchemaRepository } from '@aftersales/platform';
import { EntityManager } from 'typeorm';
import { CaseFacts, ClockPause, ClockRow, measuredBy, Milestone, PauseReason, SlaPolicy } from '../domain';
import { countMetOnCommit } from './sla-met';

/** The columns of `ClockRow` (every column of `sla_clocks`), for SELECTs and the INSERT. */
const CLOCK_COLUMNS =
  'id, case_id, region, severity, target, episode, state, started_at, due_at, next_due_at, policy_id, policy_version, calendar_id, contract_id, coverage, paused_since, stopped_at, stop_reason';

export interface BoardClockFilter {
  state: 'running' | 'stopped';
  region: string | null;
  caseIds: string[] | null;
  dueBefore: string | null;
}

export interface BoardClockRow {
  id: string;
  case_id: string;
  region: string;
  severity: string;
  target: string;
  state: string;
  started_at: Date;
  due_at: Date | null;
  next_due_at: Date | null;
  paused_since: Date | null;
}

/** The rows of one case's current episode (its newest). */
const CURRENT_EPISODE = (s: string, caseRef: string) => `episode = (SELECT max(episode) FROM "${s}".sla_clocks WHERE case_id = ${caseRef})`;

/**
 * Every statement on a case's clocks and what hangs off them: `sla_clocks`, their pauses (their
 * firings: `FiringRepository`), the case's waits (`case_waits`), terms and milestones. Bound to the service's schema;
 * each method runs in the caller's transaction (`m`), so a handler's reads, locks and writes
 * commit together with its inbox row and outbox events. Rows come and go as `ClockRow`, the
 * domain's one model of a clock.
 */
@Injectable()
export class ClockRepository extends SchemaRepository {
  private get t(): string {
    return this.table('sla_clocks');
  }

  // --- a case's clocks ---------------------------------------------------------------------------

  /**
   * The rows of the case's current episode, locked (`FOR UPDATE`, by target: the order in which
   * every handler of a case's clocks locks them, so two never wait on each other crosswise).
   * `targets` / `running` narrow them.
   */
  async lockCurrentEpisode(
    m: EntityManager,
    caseId: string,
    o: { targets?: readonly string[]; running?: boolean } = {},
  ): Promise<ClockRow[]> {
    return m.query(
      `SELECT ${CLOCK_COLUMNS} FROM ${this.t}
        WHERE case_id = $1 AND ${CURRENT_EPISODE(this.schema, '$1')}
          AND ($2::text[] IS NULL OR target = ANY($2::text[])) AND (NOT $3 OR state = 'running')
        ORDER BY target FOR UPDATE`,
      [caseId, o.targets ?? null, o.running ?? false],
    );
  }

  /** The rows of the current episodes of many cases, locked per case and target (a re-base). */
  async lockCurrentEpisodes(m: EntityManager, caseIds: readonly string[]): Promise<ClockRow[]> {
    if (caseIds.length === 0) return [];
    return m.query(
      `SELECT ${CLOCK_COLUMNS} FROM ${this.t} k
        WHERE case_id = ANY($1::uuid[]) AND ${CURRENT_EPISODE(this.schema, 'k.case_id')}
        ORDER BY case_id, target FOR UPDATE`,
      [caseIds],
    );
  }

  /** The rows of one episode of a case. */
  async episode(m: EntityManager, caseId: string, episode: number): Promise<ClockRow[]> {
    return m.query(`SELECT ${CLOCK_COLUMNS} FROM ${this.t} WHERE case_id = $1 AND episode = $2`, [caseId, episode]);
  }

  /** Every row of a case, every episode (the timeline). */
  async allOfCase(caseId: string, m: EntityManager = this.dataSource.manager, region?: string): Promise<ClockRow[]> {
    return m.query(
      `SELECT ${CLOCK_COLUMNS} FROM ${this.t}
        WHERE case_id = $1 AND ($2::text IS NULL OR region = $2) ORDER BY episode, target`,
      [caseId, region ?? null],
    );
  }

  /** A case's clocks as stored (`GET /cases/{id}/clocks`), by target. */
  async listOfCase(caseId: string, region?: string): Promise<ClockRow[]> {
    return this.dataSource.query(
      `SELECT ${CLOCK_COLUMNS} FROM ${this.t} WHERE case_id = $1 AND ($2::text IS NULL OR region = $2) ORDER BY target`,
      [caseId, region ?? null],
    );
  }

  /** Cases under the policy whose current episode is not resolved (one whose clocks all stopped at met targets included). */
  async openCasesUnder(m: EntityManager, policyId: string, resolution: readonly string[]): Promise<string[]> {
    const rows: Array<{ case_id: string }> = await m.query(
      `SELECT DISTINCT k.case_id FROM ${this.t} k
        WHERE k.policy_id = $1
          AND NOT EXISTS (SELECT 1 FROM ${this.t} r
                           WHERE r.case_id = k.case_id AND (r.episode > k.episode OR (r.episode = k.episode AND r.stop_reason = ANY($2::text[]))))`,
      [policyId, resolution],
    );
    return rows.map((r) => r.case_id);
  }

  async get(m: EntityManager, id: string): Promise<ClockRow> {
    const [row]: ClockRow[] = await m.query(`SELECT ${CLOCK_COLUMNS} FROM ${this.t} WHERE id = $1`, [id]);
    if (!row) throw new Error(`clock ${id} not found`);
    return row;
  }

  async insert(m: EntityManager, k: ClockRow): Promise<ClockRow> {
    await m.query(
      `INSERT INTO ${this.t} (${CLOCK_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
      [
        k.id,
        k.case_id,
        k.region,
        k.severity,
        k.target,
        k.episode,
        k.state,
        k.started_at,
        k.due_at,
        k.next_due_at,
        k.policy_id,
        k.policy_version,
        k.calendar_id,
        k.contract_id,
        k.coverage,
        k.paused_since,
        k.stopped_at,
        k.stop_reason,
      ],
    );
    return k;
  }

  // --- changes of state ----------------------------------------------------------------------------

  /** Stops clocks at `at` for `reason`; a wait open then ends for them there (nothing would close it later). */
  async stop(m: EntityManager, ids: readonly string[], at: Date, reason: string): Promise<void> {
    if (ids.length === 0) return;
    const [stopped]: [Array<{ severity: string; region: string; target: string; breached: boolean }>, number] = await m.query(
      `UPDATE ${this.t} k SET state = 'stopped', stopped_at = $2, stop_reason = $3, next_due_at = NULL, paused_since = NULL
        WHERE id = ANY($1::uuid[])
        RETURNING k.severity, k.region, k.target,
                  EXISTS (SELECT 1 FROM "${this.schema}".clock_firings f WHERE f.clock_id = k.id AND f.event_key LIKE 'breach:%') AS breached`,
      [ids, at, reason],
    );
    // a re-base replaces a clock: neither met nor breached
    if (reason !== 'rebased')
      countMetOnCommit(
        m,
        stopped.map((c) => ({ ...c, target: measuredBy(c.target) })),
      );
    await m.query(
      `UPDATE "${this.schema}".clock_pauses SET to_at = GREATEST(from_at, $2) WHERE clock_id = ANY($1::uuid[]) AND to_at IS NULL`,
      [ids, at],
    );
  }

  /** Runs a clock a re-base stopped again, under `policy`. */
  async restart(m: EntityManager, id: string, policy: Pick<SlaPolicy, 'id' | 'version'>): Promise<void> {
    await m.query(
      `UPDATE ${this.t} SET state = 'running', stopped_at = NULL, stop_reason = NULL, policy_id = $2, policy_version = $3 WHERE id = $1`,
      [id, policy.id, policy.version],
    );
  }

  /** What the firing loop and people see of a re-planned clock: its next due event and its open pause. */
  async setPlanned(m: EntityManager, id: string, nextDueAt: Date | null, pausedSince: Date | null): Promise<void> {
    await m.query(`UPDATE ${this.t} SET next_due_at = $2, paused_since = $3 WHERE id = $1`, [id, nextDueAt, pausedSince]);
  }

  /** The breach of the target the clock measures, as planned now. */
  async setDueAt(m: EntityManager, id: string, dueAt: Date): Promise<void> {
    await m.query(`UPDATE ${this.t} SET due_at = $2 WHERE id = $1`, [id, dueAt]);
  }

  async setPolicyVersion(m: EntityManager, ids: readonly string[], version: number): Promise<void> {
    if (ids.length === 0) return;
    await m.query(`UPDATE ${this.t} SET policy_version = $2 WHERE id = ANY($1::uuid[])`, [ids, version]);
  }

  /** New row targets (a change of the ladder's role), under the version that made it. */
  async retarget(m: EntityManager, changes: ReadonlyArray<{ id: string; target: string }>, version: number): Promise<void> {
    await m.query(
      `UPDATE ${this.t} k SET target = c.target, policy_version = $3
         FROM unnest($1::uuid[], $2::text[]) AS c(id, target) WHERE k.id = c.id`,
      [changes.map((c) => c.id), changes.map((c) => c.target), version],
    );
  }

  // --- waits and pauses --------------------------------------------------------------------------

  async pausesOf(m: EntityManager, clockIds: readonly string[]): Promise<Map<string, ClockPause[]>> {
    const out = new Map<string, ClockPause[]>();
    if (clockIds.length === 0) return out;
    const rows: Array<{ clock_id: string; from_at: Date; to_at: Date | null; reason: PauseReason }> = await m.query(
      `SELECT clock_id, from_at, to_at, reason FROM "${this.schema}".clock_pauses WHERE clock_id = ANY($1::uuid[]) ORDER BY from_at`,
      [clockIds],
    );
    for (const r of rows) {
      let list = out.get(r.clock_id);
      if (!list) out.set(r.clock_id, (list = []));
      list.push({ from: new Date(r.from_at), to: r.to_at ? new Date(r.to_at) : null, reason: r.reason });
    }
    return out;
  }

  /** The case's waits, apart from its clocks: the current wait ends at `at`, and `reason` (if any) opens the next. */
  async recordCaseWait(m: EntityManager, caseId: string, episode: number, at: Date, reason: PauseReason | undefined): Promise<void> {
    await m.query(
      `UPDATE "${this.schema}".case_waits SET to_at = GREATEST(from_at, $3) WHERE case_id = $1 AND episode = $2 AND to_at IS NULL`,
      [caseId, episode, at],
    );
    if (reason) {
      await m.query(
        `INSERT INTO "${this.schema}".case_waits (case_id, episode, from_at, reason) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [caseId, episode, at, reason],
      );
    }
  }

  /** The same for running clocks: their open pause ends at `at`, and `reason` (if any) opens the next. */
  async recordClockPause(m: EntityManager, ids: readonly string[], at: Date, reason: PauseReason | undefined): Promise<void> {
    if (ids.length === 0) return;
    await m.query(`UPDATE "${this.schema}".clock_pauses SET to_at = $2 WHERE clock_id = ANY($1::uuid[]) AND to_at IS NULL`, [ids, at]);
    if (reason) {
      await m.query(
        `INSERT INTO "${this.schema}".clock_pauses (clock_id, from_at, reason) SELECT unnest($1::uuid[]), $2, $3 ON CONFLICT DO NOTHING`,
        [ids, at, reason],
      );
    }
  }

  /**
   * Gives a clock started late (or again) the episode's waits: the case's own record of them, and
   * what its clocks had of them before case_waits existed (1700000000004); a wait the clock has
   * already (a restart) takes the episode's end of it.
   */
  async takeEpisodeWaits(m: EntityManager, clockId: string, sibling: ClockRow, episodeIds: readonly string[]): Promise<void> {
    await m.query(
      `INSERT INTO "${this.schema}".clock_pauses (clock_id, from_at, to_at, reason)
       SELECT DISTINCT ON (from_at) $1::uuid, from_at, to_at, reason FROM (
         SELECT from_at, to_at, reason FROM "${this.schema}".case_waits WHERE case_id = $2 AND episode = $3
         UNION ALL
         SELECT from_at, to_at, reason FROM "${this.schema}".clock_pauses WHERE clock_id = ANY($4::uuid[])
       ) w ORDER BY from_at, to_at DESC NULLS FIRST
       ON CONFLICT (clock_id, from_at) DO UPDATE SET to_at = EXCLUDED.to_at, reason = EXCLUDED.reason`,
      [clockId, sibling.case_id, sibling.episode, episodeIds],
    );
  }

  // --- the firing loop and burst staging ---------------------------------------------------------

  /** Running clocks due by `now`, oldest first, locked (`SKIP LOCKED`: replicas and workers share them). */
  async claimDue(m: EntityManager, now: Date, limit: number): Promise<Array<ClockRow & { next_due_at: Date }>> {
    return m.query(
      `SELECT ${CLOCK_COLUMNS} FROM ${this.t}
        WHERE state = 'running' AND next_due_at <= $2
        ORDER BY next_due_at LIMIT $1
        FOR UPDATE SKIP LOCKED`,
      [limit, now],
    );
  }

  /** Running clocks due in `[from, to)` (epoch ms), oldest first, locked like `claimDue` (a staged window). */
  async claimWindow(m: EntityManager, from: number, to: number, limit: number): Promise<ClockRow[]> {
    return m.query(
      `SELECT ${CLOCK_COLUMNS} FROM ${this.t}
        WHERE state = 'running' AND next_due_at >= to_timestamp($1 / 1000.0) AND next_due_at < to_timestamp($2 / 1000.0)
        ORDER BY next_due_at LIMIT $3
        FOR UPDATE SKIP LOCKED`,
      [from, to, limit],
    );
  }

  /** Windows of `windowMs` in `[from, to)` (epoch ms) with at least `dense` running clocks due: window number and count. */
  async denseWindows(windowMs: number, from: number, to: number, dense: number): Promise<Array<{ w: string; n: number }>> {
    return this.dataSource.query(
      `SELECT floor(extract(epoch FROM next_due_at) * 1000 / $1)::bigint AS w, count(*)::int AS n
         FROM ${this.t}
        WHERE state = 'running' AND next_due_at >= to_timestamp($2 / 1000.0) AND next_due_at < to_timestamp($3 / 1000.0)
        GROUP BY 1 HAVING count(*) >= $4 ORDER BY 1`,
      [windowMs, from, to, dense],
    );
  }

  /** Milliseconds from `now` to the earliest future `next_due_at`, or null when none. */
  async msToNextDue(now: Date): Promise<number | null> {
    const [row]: Array<{ ms: number | null }> = await this.dataSource.query(
      `SELECT extract(epoch FROM min(next_due_at) - $1::timestamptz) * 1000 AS ms
         FROM ${this.t} WHERE state = 'running' AND next_due_at > $1`,
      [now],
    );
    return row?.ms === null || row?.ms === undefined ? null : Number(row.ms);
  }

  /** Whether another transaction waits on a lock this one (`m`) holds: a staged batch then gives way. */
  async blocksAnother(m: EntityManager): Promise<boolean> {
    const { blocked } = await selectSingle<{ blocked: boolean }>(
      m,
      // only waiting backends are asked whom they wait for (pg_blocking_pids is not cheap)
      `SELECT EXISTS (SELECT 1 FROM pg_locks w WHERE NOT w.granted AND pg_backend_pid() = ANY (pg_blocking_pids(w.pid))) AS blocked`,
    );
    return blocked;
  }

  /** Each clock's next due time (null: nothing more planned). */
  async setNextDue(m: EntityManager, ids: readonly string[], at: ReadonlyArray<Date | null>): Promise<void> {
    await m.query(
      `UPDATE ${this.t} c SET next_due_at = n.at
         FROM unnest($1::uuid[], $2::timestamptz[]) AS n(id, at) WHERE c.id = n.id`,
      [ids, at],
    );
  }

  // --- gauges ------------------------------------------------------------------------------------

  async openCounts(): Promise<Array<{ severity: string; target: string; region: string; paused: boolean; n: number }>> {
    return this.dataSource.query(
      `SELECT severity, target, region, paused_since IS NOT NULL AS paused, count(*)::int AS n
         FROM ${this.t} WHERE state = 'running' GROUP BY 1, 2, 3, 4`,
    );
  }

  /** Running, unpaused clocks by time left to their planned breach at `now`. */
  async atRisk(now: Date): Promise<Array<{ severity: string; region: string; bucket: string; n: number; next: number }>> {
    return this.dataSource.query(
      `SELECT severity, region,
              CASE WHEN due_at <= $1::timestamptz THEN 'breached'
                   WHEN due_at <= $1::timestamptz + interval '15 minutes' THEN 'lt_15m'
                   WHEN due_at <= $1::timestamptz + interval '1 hour' THEN 'lt_1h'
                   WHEN due_at <= $1::timestamptz + interval '4 hours' THEN 'lt_4h'
                   ELSE 'later' END AS bucket,
              count(*)::int AS n,
              extract(epoch FROM min(due_at) - $1::timestamptz)::float8 AS next
         FROM ${this.t} WHERE state = 'running' AND paused_since IS NULL AND due_at IS NOT NULL GROUP BY 1, 2, 3`,
      [now],
    );
  }

  // --- the board (many cases at once, region-scoped) ---------------------------------------------

  /** A page of clocks in `state`, soonest planned breach first; null filters are off. */
  async boardClocks(f: BoardClockFilter, limit: number, offset: number): Promise<{ rows: BoardClockRow[]; total: number }> {
    const params = [f.state, f.region, f.caseIds, f.dueBefore];
    const where = `state = $1 AND ($2::text IS NULL OR region = $2) AND ($3::uuid[] IS NULL OR case_id = ANY($3::uuid[]))
       AND ($4::timestamptz IS NULL OR due_at < $4)`;
    const [rows, { n }] = await Promise.all([
      selectRows<BoardClockRow>(
        this.dataSource,
        `SELECT id, case_id, region, severity, target, state, started_at, due_at, next_due_at, paused_since
           FROM ${this.t} WHERE ${where}
          ORDER BY due_at ASC NULLS LAST, id LIMIT $5 OFFSET $6`,
        [...params, limit, offset],
      ),
      selectSingle<{ n: number }>(this.dataSource, `SELECT count(*)::int AS n FROM ${this.t} WHERE ${where}`, params),
    ]);
    return { rows, total: n };
  }

  // --- what the service knows of a case beyond its clocks ----------------------------------------

  /** The terms a case opened with that decide which targets apply to it. */
  async recordCaseTerms(m: EntityManager, caseId: string, channel?: string, serviceMode?: string): Promise<void> {
    await m.query(`INSERT INTO "${this.schema}".case_terms (case_id, channel, service_mode) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
      caseId,
      channel ?? null,
      serviceMode ?? null,
    ]);
  }

  /** A milestone of the case's current episode (the first time it is reached counts). */
  async recordMilestone(m: EntityManager, caseId: string, milestone: Milestone, at: Date): Promise<void> {
    await m.query(
      `INSERT INTO "${this.schema}".case_milestones (case_id, episode, milestone, at)
       SELECT $1, max(episode), $2, $3 FROM ${this.t} WHERE case_id = $1 HAVING max(episode) IS NOT NULL
       ON CONFLICT DO NOTHING`,
      [caseId, milestone, at],
    );
  }

  async caseFactsOf(m: EntityManager, caseIds: readonly string[]): Promise<Map<string, CaseFacts>> {
    const out = new Map<string, CaseFacts>();
    const facts = (id: string) => {
      let f = out.get(id);
      if (!f) out.set(id, (f = { channel: null, serviceMode: null, milestones: new Map() }));
      return f;
    };
    if (caseIds.length === 0) return out;
    const terms: Array<{ case_id: string; channel: string | null; service_mode: string | null }> = await m.query(
      `SELECT case_id, channel, service_mode FROM "${this.schema}".case_terms WHERE case_id = ANY($1::uuid[])`,
      [caseIds],
    );
    for (const t of terms) Object.assign(facts(t.case_id), { channel: t.channel, serviceMode: t.service_mode });
    const reached: Array<{ case_id: string; episode: number; milestone: Milestone }> = await m.query(
      `SELECT case_id, episode, milestone FROM "${this.schema}".case_milestones WHERE case_id = ANY($1::uuid[])`,
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
}
