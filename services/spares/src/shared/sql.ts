import { EntityManager } from 'typeorm';
import { changedRows, Queryable, selectOne, selectRows } from '@aftersales/persistence';

/** One step of a row's history: who moved it from which state to which, when, with what. */
export interface Move {
  action: string;
  from: string | null;
  to: string;
  actor: { subject: string; role: string };
  at: Date;
  data: Record<string, unknown> | null;
}

/** A step as a service records it (its data is stored as JSON when given). */
export type NewMove = Omit<Move, 'data'> & { data?: unknown };

interface MoveRow {
  action: string;
  from_state: string | null;
  to_state: string;
  actor_subject: string;
  actor_role: string;
  at: Date;
  data: Record<string, unknown> | null;
}

/** The `n` of a `SELECT count(*)::int AS n …` (a count always answers one row). */
export async function countOf(db: Queryable, sql: string, params: readonly unknown[] = []): Promise<number> {
  const r = await selectOne<{ n: number }>(db, sql, params);
  return r?.n ?? 0;
}

/**
 * Insert, read by id, patch, list and move history for a table whose columns map one-to-one onto
 * a row type's fields (part requests, repair orders): the statements both repositories would
 * otherwise spell out, and the rows' history table (`history.table`, keyed by `history.owner`).
 */
export class MappedTable<T> {
  /** the select list naming each column as its field (`expr AS "field"`) */
  readonly select: string;
  private readonly keys: Array<keyof T>;
  private readonly table: string;
  private readonly moveTable: string;

  constructor(
    schema: string,
    table: string,
    private readonly fields: Record<keyof T, string>,
    private readonly history: { table: string; owner: string },
    selectAs: Partial<Record<keyof T, string>> = {},
  ) {
    this.table = `"${schema}".${table}`;
    this.moveTable = `"${schema}".${history.table}`;
    this.keys = Object.keys(fields) as Array<keyof T>;
    this.select = this.keys.map((k) => `${selectAs[k] ?? fields[k]} AS "${String(k)}"`).join(', ');
  }

  async insert(m: EntityManager, row: T): Promise<void> {
    await m.query(
      `INSERT INTO ${this.table} (${this.keys.map((k) => this.fields[k]).join(', ')}) VALUES (${this.keys.map((_, i) => `$${i + 1}`).join(', ')})`,
      this.keys.map((k) => row[k]),
    );
  }

  /** The row, locked for the rest of the transaction when `lock` (moves of one row queue). */
  async get(m: EntityManager, id: string, lock = false): Promise<T | null> {
    const r = await selectOne<T>(m, `SELECT ${this.select} FROM ${this.table} WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return r ?? null;
  }

  async update(m: EntityManager, id: string, patch: Partial<T>): Promise<T> {
    const keys = Object.keys(patch) as Array<keyof T>;
    const [r] = await changedRows<T>(
      m,
      `UPDATE ${this.table} SET ${keys.map((k, i) => `${this.fields[k]} = $${i + 2}`).join(', ')} WHERE id = $1 RETURNING ${this.select}`,
      [id, ...keys.map((k) => patch[k])],
    );
    if (!r) throw new Error(`${this.table}: no row ${id} to update (the caller holds its lock)`);
    return r;
  }

  /** One page of the rows matching `where` (SQL over `params`), with the count of all of them. */
  async page(m: EntityManager, where: string, params: unknown[], orderBy: string, limit: number, offset: number) {
    const total = await countOf(m, `SELECT count(*)::int AS n FROM ${this.table} WHERE ${where}`, params);
    const items = await selectRows<T>(
      m,
      `SELECT ${this.select} FROM ${this.table} WHERE ${where} ORDER BY ${orderBy} LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return { items, total };
  }

  async addMove(m: EntityManager, ownerId: string, mv: NewMove): Promise<void> {
    await m.query(
      `INSERT INTO ${this.moveTable} (${this.history.owner}, action, from_state, to_state, actor_subject, actor_role, at, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [ownerId, mv.action, mv.from, mv.to, mv.actor.subject, mv.actor.role, mv.at, mv.data === undefined ? null : JSON.stringify(mv.data)],
    );
  }

  async moves(m: EntityManager, ownerId: string): Promise<Move[]> {
    const rows = await selectRows<MoveRow>(m, `SELECT * FROM ${this.moveTable} WHERE ${this.history.owner} = $1 ORDER BY seq`, [ownerId]);
    return rows.map((r) => ({
      action: r.action,
      from: r.from_state,
      to: r.to_state,
      actor: { subject: r.actor_subject, role: r.actor_role },
      at: r.at,
      data: r.data,
    }));
  }
}
