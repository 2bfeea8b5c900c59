import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** Anything that runs a raw statement: a transaction's manager, the data source, a query runner. */
export type Queryable = Pick<EntityManager | DataSource | QueryRunner, 'query'>;

/**
 * The rows of a SELECT or INSERT … RETURNING, typed by the caller. Raw `query()` answers `any`;
 * this is the one place that cast happens, so the row type is written once, at the call.
 */
export async function selectRows<T>(db: Queryable, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  const rows: unknown = await db.query(sql, params as unknown[]);
  return rows as T[];
}

/** The first row of a SELECT, or undefined when there is none. */
export async function selectOne<T>(db: Queryable, sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
  const [row] = await selectRows<T>(db, sql, params);
  return row;
}

/**
 * The row of a statement that always answers exactly one (an aggregate, `SELECT f(…)`), so the
 * caller needs no `undefined` branch; a missing row is a broken statement and throws.
 */
export async function selectSingle<T>(db: Queryable, sql: string, params: readonly unknown[] = []): Promise<T> {
  const row = await selectOne<T>(db, sql, params);
  if (row === undefined) throw new Error(`expected one row, got none: ${sql.trim().slice(0, 80)}`);
  return row;
}

/**
 * The rows of an UPDATE or DELETE … RETURNING: TypeORM answers those as `[rows, affected]`
 * (and a SELECT or INSERT as the rows), so both shapes are accepted.
 */
export async function changedRows<T>(db: Queryable, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  const r: unknown = await db.query(sql, params as unknown[]);
  const updated = Array.isArray(r) && r.length === 2 && Array.isArray(r[0]) && typeof r[1] === 'number';
  return (updated ? r[0] : r) as T[];
}

/** How many rows an UPDATE or DELETE touched (without RETURNING). */
export async function affectedCount(db: Queryable, sql: string, params: readonly unknown[] = []): Promise<number> {
  const r: unknown = await db.query(sql, params as unknown[]);
  return Array.isArray(r) && typeof r[1] === 'number' ? r[1] : 0;
}

/** The number a `SELECT count(*)::int AS <any name> …` answers: its one row's one column. */
export async function selectCount(db: Queryable, sql: string, params: readonly unknown[] = []): Promise<number> {
  const row = await selectOne<Record<string, unknown>>(db, sql, params);
  const [n] = Object.values(row ?? {});
  if (typeof n !== 'number') throw new Error(`a count answered ${JSON.stringify(row)}, not one number`);
  return n;
}
