import { Queryable, selectOne } from '@aftersales/persistence';

/** The `n` of a `SELECT count(*)::int AS n …` (a count always answers one row). */
export async function countOf(db: Queryable, sql: string, params: readonly unknown[] = []): Promise<number> {
  const r = await selectOne<{ n: number }>(db, sql, params);
  return r?.n ?? 0;
}
