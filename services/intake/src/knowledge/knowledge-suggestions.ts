import { Injectable } from '@nestjs/common';
import { codeKeysIn, errorCodeKey, queryTerms, TEXT_SEARCH_CONFIG } from '@aftersales/fulltext';
import { DataSource, EntityManager } from 'typeorm';
import { Outbox } from '@aftersales/messaging';

export interface SuggestionInput {
  symptom?: string | null;
  errorCodes?: string[] | null;
  productLine?: string | null;
  productModel?: string | null;
}

export interface KnowledgeSuggestion {
  articleId: string;
  version: number;
  title: string;
  symptom: string;
  solution: string;
  productLine: string | null;
  productModel: string | null;
  errorCodes: string[];
  language: 'zh-CN' | 'en';
  /** ranking score: +1 per exactly matched error code, up to +1 for text, small bonuses for product */
  score: number;
  /** the article's error codes that the input named (compared case-, width- and separator-insensitively) */
  matchedErrorCodes: string[];
}

/** A text-only match needs this many query terms found (fewer if the query has fewer). */
const MIN_TERM_HITS = 2;

/**
 * Published knowledge articles that fit what a customer reports, best first: an exact error code is the
 * strongest signal; otherwise the symptom's words / CJK bigrams are OR-ed and ranked by how many of them
 * the article has and where (title > symptom > solution). Product line/model only break ties.
 */
@Injectable()
export class KnowledgeSuggestions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}

  /** `db`: a transaction's manager to read in it, else a connection of the pool. */
  async suggest(input: SuggestionInput, limit = 5, db: EntityManager = this.dataSource.manager): Promise<KnowledgeSuggestion[]> {
    const terms = queryTerms(input.symptom);
    // codes typed into the symptom count as much as the ones entered as error codes
    const codeKeys = [
      ...new Set([...(input.errorCodes ?? []).map(errorCodeKey), ...codeKeysIn(input.symptom)].filter((k) => k.length > 0)),
    ];
    if (terms.length === 0 && codeKeys.length === 0) return [];
    const s = this.outbox.schema;
    const cfg = `'${TEXT_SEARCH_CONFIG}'`;
    const anyQuery = terms.join(' | ');
    const params: unknown[] = [codeKeys, input.productLine ?? null, input.productModel ?? null, Math.max(1, Math.min(limit, 50))];
    let textSql = '0::float8 AS text_score, 0 AS hits';
    let textWhere = 'false';
    if (terms.length > 0) {
      params.push(anyQuery, terms);
      textSql = `(0.5 * ts_rank_cd(a.search, to_tsquery(${cfg}, $5), 32)
          + 0.5 * (SELECT count(*) FROM unnest($6::text[]) t WHERE a.search @@ to_tsquery(${cfg}, t))::float8 / m.meaningful) AS text_score,
        (SELECT count(*) FROM unnest($6::text[]) t WHERE a.search @@ to_tsquery(${cfg}, t)) AS hits`;
      textWhere = `a.search @@ to_tsquery(${cfg}, $5)`;
    }
    const rows: Array<Record<string, unknown>> = await db.query(
      `WITH m AS (
         SELECT greatest(1, ${terms.length > 0 ? `(SELECT count(*) FROM unnest($6::text[]) t WHERE numnode(to_tsquery(${cfg}, t)) > 0)` : '1'}) AS meaningful
       ), c AS (
         SELECT a.*, m.meaningful,
           ARRAY(SELECT a.error_codes[i] FROM generate_subscripts(a.error_codes, 1) i WHERE a.error_code_keys[i] = ANY($1::text[])) AS matched,
           ${textSql}
         FROM "${s}".knowledge_articles a, m
         WHERE a.status = 'published' AND (a.error_code_keys && $1::text[] OR ${textWhere})
       )
       SELECT article_id, version, title, symptom, solution, product_line, product_model, error_codes, language, matched,
         cardinality(matched) + text_score
           + CASE WHEN $3::text IS NOT NULL AND lower(product_model) = lower($3::text) THEN 0.3 ELSE 0 END
           + CASE WHEN $2::text IS NOT NULL AND lower(product_line) = lower($2::text) THEN 0.2 ELSE 0 END AS score
       FROM c
       WHERE cardinality(matched) > 0 OR hits >= least(${MIN_TERM_HITS}, meaningful)
       ORDER BY score DESC, published_at DESC, article_id
       LIMIT $4`,
      params,
    );
    return rows.map((r) => ({
      articleId: r.article_id as string,
      version: Number(r.version),
      title: r.title as string,
      symptom: r.symptom as string,
      solution: r.solution as string,
      productLine: (r.product_line as string | null) ?? null,
      productModel: (r.product_model as string | null) ?? null,
      errorCodes: r.error_codes as string[],
      language: r.language as 'zh-CN' | 'en',
      score: Math.round(Number(r.score) * 1000) / 1000,
      matchedErrorCodes: r.matched as string[],
    }));
  }
}
