import { DataSource, EntityManager } from 'typeorm';

/**
 * Rows of an UPDATE or DELETE … RETURNING: TypeORM answers those as `[rows, affected]`
 * (and a SELECT or INSERT as the rows).
 */
export async function changed<T>(m: EntityManager | DataSource, sql: string, args: unknown[]): Promise<T[]> {
  const r: unknown = await m.query(sql, args);
  return (Array.isArray(r) && r.length === 2 && Array.isArray(r[0]) && typeof r[1] === 'number' ? r[0] : r) as T[];
}
