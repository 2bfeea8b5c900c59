import { TEXT_SEARCH_CONFIG } from './tokens';

export type Weight = 'A' | 'B' | 'C' | 'D';

/**
 * The SQL of a weighted tsvector over columns holding `toSearchDocument` output, for a
 * `GENERATED ALWAYS AS (…) STORED` column (to_tsvector with a fixed config is immutable).
 */
export function weightedTsvectorSql(columns: Partial<Record<Weight, string>>): string {
  return (Object.entries(columns) as Array<[Weight, string]>)
    .map(([w, col]) => `setweight(to_tsvector('${TEXT_SEARCH_CONFIG}'::regconfig, coalesce(${col}, '')), '${w}')`)
    .join(' || ');
}
