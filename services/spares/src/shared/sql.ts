import { EntityManager } from 'typeorm';

/** The rows an UPDATE or DELETE … RETURNING gave back (TypeORM answers those with `[rows, count]`). */
export async function returning<T = Record<string, unknown>>(m: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const [rows] = await m.query(sql, params);
  return rows as T[];
}
