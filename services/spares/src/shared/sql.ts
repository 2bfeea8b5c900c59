import { EntityManager } from 'typeorm';
import { changedRows } from '@aftersales/persistence';

/**
 * Insert, read by id and patch for a table whose columns map one-to-one onto a row type's fields
 * (part requests, repair orders): the statements both repositories would otherwise spell out.
 */
export class MappedTable<T> {
  /** the select list naming each column as its field (`expr AS "field"`) */
  readonly select: string;
  private readonly keys: Array<keyof T>;

  constructor(
    private readonly table: string,
    private readonly fields: Record<keyof T, string>,
    selectAs: Partial<Record<keyof T, string>> = {},
  ) {
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
    const [r] = await m.query(`SELECT ${this.select} FROM ${this.table} WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return (r as T | undefined) ?? null;
  }

  async update(m: EntityManager, id: string, patch: Partial<T>): Promise<T> {
    const keys = Object.keys(patch) as Array<keyof T>;
    const [r] = await changedRows<T>(
      m,
      `UPDATE ${this.table} SET ${keys.map((k, i) => `${this.fields[k]} = $${i + 2}`).join(', ')} WHERE id = $1 RETURNING ${this.select}`,
      [id, ...keys.map((k) => patch[k])],
    );
    return r;
  }
}

/** One step of a row's history (`<table>_moves`): who moved it from which state to which, when. */
export async function insertMove(
  m: EntityManager,
  table: string,
  ownerColumn: string,
  ownerId: string,
  mv: { action: string; from: string | null; to: string; actor: { subject: string; role: string }; at: Date; data?: unknown },
): Promise<void> {
  await m.query(
    `INSERT INTO ${table} (${ownerColumn}, action, from_state, to_state, actor_subject, actor_role, at, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [ownerId, mv.action, mv.from, mv.to, mv.actor.subject, mv.actor.role, mv.at, mv.data === undefined ? null : JSON.stringify(mv.data)],
  );
}
