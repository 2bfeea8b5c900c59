import { Injectable } from '@nestjs/common';
import { selectRows, selectSingle } from '@aftersales/persistence';
import { SchemaRepository } from '@aftersales/platform';
import { EntityManager } from 'typeorm';

export interface BoardFiringRow {
  case_id: string;
  region: string;
  severity: string;
  target: string;
  event_key: string;
  due_at: Date;
  fired_at: Date;
}

/**
 * Every statement on `clock_firings`: what each clock fired, once each (the primary key is the
 * exactly-once), and when. Bound to the service's schema; methods given `m` run in the caller's
 * transaction, beside the clock rows they fire.
 */
@Injectable()
export class FiringRepository extends SchemaRepository {
  private get t(): string {
    return this.table('clock_firings');
  }

  async firedKeysOf(m: EntityManager, clockIds: readonly string[]): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    if (clockIds.length === 0) return out;
    const rows: Array<{ clock_id: string; event_key: string }> = await m.query(
      `SELECT clock_id, event_key FROM ${this.t} WHERE clock_id = ANY($1::uuid[])`,
      [clockIds],
    );
    for (const r of rows) {
      let set = out.get(r.clock_id);
      if (!set) out.set(r.clock_id, (set = new Set()));
      set.add(r.event_key);
    }
    return out;
  }

  /** When each event of the clocks fired (the timeline). */
  async firingsOf(clockIds: readonly string[]): Promise<Array<{ clock_id: string; event_key: string; fired_at: Date }>> {
    return this.dataSource.query(`SELECT clock_id, event_key, fired_at FROM ${this.t} WHERE clock_id = ANY($1::uuid[])`, [clockIds]);
  }

  /**
   * Records firings, once each (the primary key is the exactly-once): returns `clock|key` of those
   * recorded now — one that fired before (a re-plan rewound `next_due_at`) is not.
   */
  async recordFirings(
    m: EntityManager,
    due: ReadonlyArray<{ clockId: string; key: string; dueAt: Date }>,
    firedAt: Date,
  ): Promise<Set<string>> {
    const inserted: Array<{ clock_id: string; event_key: string }> = await m.query(
      `INSERT INTO ${this.t} (clock_id, event_key, fired_at, due_at)
       SELECT c, k, $3, d FROM unnest($1::uuid[], $2::text[], $4::timestamptz[]) AS f(c, k, d)
       ON CONFLICT DO NOTHING RETURNING clock_id, event_key`,
      [due.map((d) => d.clockId), due.map((d) => d.key), firedAt, due.map((d) => d.dueAt)],
    );
    return new Set(inserted.map((r) => `${r.clock_id}|${r.event_key}`));
  }

  /**
   * Moves each fired event of an episode to the row that fires it now (`owners`: event key
   * patterns and the row that owns them). One move per owner and key: should two rows hold the same
   * key, the first firing moves, the other stays. Returns the ids of the rows that took some.
   */
  async handOverFirings(
    m: EntityManager,
    episodeIds: readonly string[],
    owners: ReadonlyArray<{ key: string; id: string }>,
  ): Promise<string[]> {
    const took: Array<{ id: string }> = await m.query(
      `WITH moves AS (
         SELECT DISTINCT ON (o.id, f.event_key) f.clock_id AS from_id, f.event_key, o.id AS to_id
           FROM ${this.t} f JOIN unnest($2::text[], $3::uuid[]) AS o(key, id) ON f.event_key LIKE o.key
          WHERE f.clock_id = ANY($1::uuid[]) AND f.clock_id <> o.id
            AND NOT EXISTS (SELECT 1 FROM ${this.t} g WHERE g.clock_id = o.id AND g.event_key = f.event_key)
          ORDER BY o.id, f.event_key, f.fired_at)
       UPDATE ${this.t} f SET clock_id = mv.to_id FROM moves mv
        WHERE f.clock_id = mv.from_id AND f.event_key = mv.event_key
       RETURNING mv.to_id AS id`,
      [episodeIds, owners.map((o) => o.key), owners.map((o) => o.id)],
    );
    return [...new Set(took.map((r) => r.id))];
  }

  /** A page of firings since `since` whose key starts with `keyPrefix` (all: ''), newest first. */
  async boardFirings(
    f: { since: Date; region: string | null; keyPrefix: string },
    limit: number,
    offset: number,
  ): Promise<{ rows: BoardFiringRow[]; total: number }> {
    const params = [f.since, f.region, `${f.keyPrefix}%`];
    const from = `${this.t} f JOIN "${this.schema}".sla_clocks c ON c.id = f.clock_id
       WHERE f.fired_at >= $1 AND ($2::text IS NULL OR c.region = $2) AND f.event_key LIKE $3`;
    const [rows, { n }] = await Promise.all([
      selectRows<BoardFiringRow>(
        this.dataSource,
        `SELECT c.case_id, c.region, c.severity, c.target, f.event_key, f.due_at, f.fired_at FROM ${from}
          ORDER BY f.fired_at DESC, c.case_id, f.event_key LIMIT $4 OFFSET $5`,
        [...params, limit, offset],
      ),
      selectSingle<{ n: number }>(this.dataSource, `SELECT count(*)::int AS n FROM ${from}`, params),
    ]);
    return { rows, total: n };
  }
}
