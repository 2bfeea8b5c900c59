import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@aftersales/config';
import { selectRows, selectSingle } from '@aftersales/persistence';
import { Principal, SERVICE_CONFIG, visibleTo } from '@aftersales/platform';
import { DataSource, EntityManager } from 'typeorm';
import { DeadlineKind, DeadlineState } from '../domain/deadline-policy';

export interface Deadline {
  id: string;
  kind: DeadlineKind;
  subjectId: string;
  caseId: string | null;
  region: string;
  dueAt: Date | null;
  notifyRoles: string[];
  state: DeadlineState;
  recordedAt: Date;
  firedAt: Date | null;
  metAt: Date | null;
}

const COLUMNS = `id, kind, subject_id AS "subjectId", case_id AS "caseId", region, due_at AS "dueAt", notify_roles AS "notifyRoles",
  state, recorded_at AS "recordedAt", fired_at AS "firedAt", met_at AS "metAt"`;

/** Every SQL statement on `deadlines`. */
@Injectable()
export class DeadlinesRepository {
  private readonly s: string;
  constructor(
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
    private readonly dataSource: DataSource,
  ) {
    this.s = config.database.schema;
  }

  /** Records an open deadline; false when the task already has one (a redelivery, or done first). */
  async open(m: EntityManager, d: Omit<Deadline, 'state' | 'firedAt' | 'metAt'>): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO "${this.s}".deadlines (id, kind, subject_id, case_id, region, due_at, notify_roles, state, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8) ON CONFLICT (kind, subject_id) DO NOTHING RETURNING id`,
      [d.id, d.kind, d.subjectId, d.caseId, d.region, d.dueAt, d.notifyRoles, d.recordedAt],
    );
    return rows.length === 1;
  }

  /**
   * The task is done: its deadline (open or already overdue) is met. When the deadline was never
   * recorded, a met row stands in for it so that a late request starts nothing. Returns the state
   * it was in, or undefined when it was unknown or already met.
   */
  async meet(
    m: EntityManager,
    t: { id: string; kind: DeadlineKind; subjectId: string; caseId: string | null; region: string },
    at: Date,
  ): Promise<DeadlineState | undefined> {
    // a SELECT around the UPDATE: TypeORM answers a bare UPDATE with [rows, count]
    const [updated] = await selectRows<{ before: DeadlineState }>(
      m,
      `WITH o AS (SELECT id, state AS before FROM "${this.s}".deadlines WHERE kind = $1 AND subject_id = $2 AND state <> 'met' FOR UPDATE),
            u AS (UPDATE "${this.s}".deadlines d SET state = 'met', met_at = $3 FROM o WHERE d.id = o.id RETURNING o.before)
       SELECT before FROM u`,
      [t.kind, t.subjectId, at],
    );
    if (updated) return updated.before;
    await m.query(
      `INSERT INTO "${this.s}".deadlines (id, kind, subject_id, case_id, region, state, recorded_at, met_at)
       VALUES ($1, $2, $3, $4, $5, 'met', $6, $6) ON CONFLICT (kind, subject_id) DO NOTHING`,
      [t.id, t.kind, t.subjectId, t.caseId, t.region, at],
    );
    return undefined;
  }

  /** Open deadlines due at `now`, oldest first, locked; rows another replica holds are skipped. */
  async claimDue(m: EntityManager, now: Date, limit: number): Promise<Deadline[]> {
    return m.query(
      `SELECT ${COLUMNS} FROM "${this.s}".deadlines WHERE state = 'open' AND due_at <= $1 ORDER BY due_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
  }

  async markOverdue(m: EntityManager, ids: string[], at: Date): Promise<void> {
    await m.query(`UPDATE "${this.s}".deadlines SET state = 'overdue', fired_at = $2 WHERE id = ANY($1::uuid[])`, [ids, at]);
  }

  async list(
    by: Principal,
    f: { kind?: DeadlineKind; state?: DeadlineState; subjectId?: string },
    limit: number,
    offset: number,
  ): Promise<{ items: Deadline[]; total: number }> {
    const params: unknown[] = [];
    const where: string[] = [];
    const region = visibleTo(by).region;
    for (const [col, v] of [
      ['region', region],
      ['kind', f.kind],
      ['state', f.state],
      ['subject_id', f.subjectId],
    ] as const) {
      if (v === undefined) continue;
      params.push(v);
      where.push(`${col} = $${params.length}`);
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const { n } = await selectSingle<{ n: number }>(this.dataSource, `SELECT count(*)::int AS n FROM "${this.s}".deadlines ${w}`, params);
    const items = await selectRows<Deadline>(
      this.dataSource,
      `SELECT ${COLUMNS} FROM "${this.s}".deadlines ${w} ORDER BY due_at NULLS LAST, id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    );
    return { items, total: n };
  }

  async countsByKind(): Promise<Array<{ kind: string; state: string; n: number }>> {
    return this.dataSource.query(
      `SELECT kind, state, count(*)::int AS n FROM "${this.s}".deadlines WHERE state <> 'met' GROUP BY kind, state`,
    );
  }
}
