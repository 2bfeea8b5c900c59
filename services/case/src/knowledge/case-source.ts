import { selectOne, selectRows } from '@aftersales/persistence';
import { EntityManager } from 'typeorm';

/** What an article written from a case starts with. */
export interface CaseFacts {
  id: string;
  caseNumber: string;
  status: string;
  region: string;
  symptom: string;
  errorCodes: string[];
  productLine: string | null;
  productModel: string | null;
  /** the written-up solution, if the case has one anywhere */
  resolution: string | null;
}

/** Statuses after which a case has a solution worth writing up. */
export const SOLVED_STATUSES = ['resolved', 'confirmed', 'closed'];

/**
 * Reads a case from the case service's own tables with SQL. The lifecycle columns (error codes, product,
 * resolution) arrive with other migrations, so only the columns and tables that exist are read; the
 * resolution falls back to the reason given on the transition to `resolved`, then to the work done in
 * the latest signed service report.
 */
export async function readCaseFacts(m: EntityManager, schema: string, caseId: string, region?: string): Promise<CaseFacts | null> {
  const present = await selectRows<{ column_name: string }>(
    m,
    `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'cases'`,
    [schema],
  );
  const columns = new Set(present.map((r) => r.column_name));
  const optional = (col: string, fallback: string) => (columns.has(col) ? `c.${col}` : `${fallback}`);
  const row = await selectOne<CaseFactsRow>(
    m,
    `SELECT c.id, c.case_number, c.status, c.region, c.symptom,
       ${optional('error_codes', `'{}'::text[]`)} AS error_codes,
       ${optional('product_line', 'NULL::text')} AS product_line,
       ${optional('product_model', 'NULL::text')} AS product_model,
       ${optional('resolution', 'NULL::text')} AS resolution
     FROM "${schema}".cases c WHERE c.id = $1 ${region ? 'AND c.region = $2' : ''}`,
    region ? [caseId, region] : [caseId],
  );
  if (!row) return null;
  const facts: CaseFacts = {
    id: row.id,
    caseNumber: row.case_number,
    status: row.status,
    region: row.region,
    symptom: row.symptom,
    errorCodes: row.error_codes ?? [],
    productLine: row.product_line,
    productModel: row.product_model,
    resolution: nonEmpty(row.resolution),
  };
  facts.resolution ??= await newestText(
    m,
    schema,
    { table: 'case_transitions', column: 'reason', where: ['to_status', `to_status = 'resolved'`], newest: 'at' },
    caseId,
  );
  facts.resolution ??= await newestText(
    m,
    schema,
    { table: 'service_reports', column: 'work_done', where: ['status', `status = 'signed'`], newest: 'signed_at' },
    caseId,
  );
  return facts;
}

interface CaseFactsRow {
  id: string;
  case_number: string;
  status: string;
  region: string;
  symptom: string;
  error_codes: string[] | null;
  product_line: string | null;
  product_model: string | null;
  resolution: string | null;
}

interface TextSource {
  table: string;
  column: string;
  /** a condition on one column: [column, SQL] */
  where: [string, string];
  /** newest first by this column */
  newest: string;
}

/** The newest non-empty text of a case's rows in a table, if that table and its columns exist. */
async function newestText(m: EntityManager, schema: string, src: TextSource, caseId: string): Promise<string | null> {
  const needed = [...new Set(['case_id', src.column, src.where[0], src.newest])];
  const present = await selectOne<{ n: number }>(
    m,
    `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND column_name = ANY($3)`,
    [schema, src.table, needed],
  );
  if ((present?.n ?? 0) < needed.length) return null;
  const row = await selectOne<{ v: string | null }>(
    m,
    `SELECT ${src.column} AS v FROM "${schema}".${src.table}
     WHERE case_id = $1 AND ${src.where[1]} AND coalesce(${src.column}, '') <> '' ORDER BY ${src.newest} DESC LIMIT 1`,
    [caseId],
  );
  return nonEmpty(row?.v);
}

function nonEmpty(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}
