import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { codeKeysIn, errorCodeKey, looksChinese, queryTerms, TEXT_SEARCH_CONFIG, toSearchDocument } from '@aftersales/fulltext';
import { Clock, Page, Principal, StoredResponse, visibleTo, withIdempotency } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { changedRows, selectOne, selectRows } from '@aftersales/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { readCaseFacts, SOLVED_STATUSES } from './case-source';
import { ArticleFromCaseDto, CreateArticleDto, Language, SearchQuery, UpdateArticleDto, WithdrawArticleDto } from './knowledge.dto';
import { Outbox } from '@aftersales/messaging';

export type ArticleStatus = 'draft' | 'published' | 'withdrawn' | 'superseded';

export interface Article {
  id: string;
  version: number;
  status: ArticleStatus;
  title: string;
  productLine: string | null;
  productModel: string | null;
  symptom: string;
  errorCodes: string[];
  solution: string;
  language: Language;
  sourceCaseId: string | null;
  author: string;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  publishedBy: string | null;
  withdrawnAt: string | null;
  withdrawReason: string | null;
}

export interface SearchHit extends Article {
  score: number;
  matchedErrorCodes: string[];
}

type Fields = Pick<Article, 'title' | 'productLine' | 'productModel' | 'symptom' | 'errorCodes' | 'solution' | 'language' | 'sourceCaseId'>;

/** A text-only symptom match needs this many query terms found (fewer if the query has fewer). */
const MIN_TERM_HITS = 2;
const CFG = `'${TEXT_SEARCH_CONFIG}'`;

const fail = (status: 409 | 422, message: string, field?: string, reason?: string) => {
  const body = { statusCode: status, message, ...(field ? { errors: [{ field, reason: reason ?? message }] } : {}) };
  return status === 409 ? new ConflictException(body) : new UnprocessableEntityException(body);
};

const isCustomer = (by: Principal) => visibleTo(by).customerId !== undefined;

/**
 * The knowledge base: solutions written up as articles, one row per version. A draft is edited in
 * place; editing a published (or withdrawn) article starts the next version as a draft, and the
 * published version stays live until that draft is published. Publishing and withdrawing announce
 * themselves on the bus in the same transaction.
 */
@Injectable()
export class KnowledgeService {
  constructor(
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}

  private get schema() {
    return this.outbox.schema;
  }

  async create(dto: CreateArticleDto, by: Principal, idempotencyKey?: string): Promise<StoredResponse<Article>> {
    return this.dataSource.transaction((m) =>
      withIdempotency(m, this.schema, `knowledge:${by.subject}`, idempotencyKey, dto, async () => {
        if (dto.sourceCaseId) {
          const found = await selectOne(m, `SELECT 1 FROM "${this.schema}".cases WHERE id = $1`, [dto.sourceCaseId]);
          if (!found) throw fail(422, 'validation failed', 'sourceCaseId', 'no such case');
        }
        const fields = this.complete({ ...dto, sourceCaseId: dto.sourceCaseId ?? null });
        return { status: 201, body: await this.insertVersion(m, randomUUID(), 1, fields, by) };
      }),
    );
  }

  /** A draft prefilled from a solved case: its symptom, error codes, product and written-up resolution. */
  async fromCase(caseId: string, dto: ArticleFromCaseDto, by: Principal, idempotencyKey?: string): Promise<StoredResponse<Article>> {
    return this.dataSource.transaction((m) =>
      withIdempotency(m, this.schema, `knowledge-from-case:${by.subject}`, idempotencyKey, { caseId, ...dto }, async () => {
        const c = await readCaseFacts(m, this.schema, caseId, visibleTo(by).region);
        if (!c) throw new NotFoundException(`case ${caseId} not found`);
        if (!SOLVED_STATUSES.includes(c.status)) {
          throw new ConflictException({
            statusCode: 409,
            message: `case ${c.caseNumber} is ${c.status}: only a resolved or closed case can become an article`,
            errors: [{ field: 'status', reason: `must be one of ${SOLVED_STATUSES.join(', ')}` }],
          });
        }
        const symptom = dto.symptom ?? c.symptom;
        const fields = this.complete({
          title: dto.title ?? `${c.caseNumber}: ${firstLine(symptom, 120)}`,
          symptom,
          errorCodes: dto.errorCodes ?? c.errorCodes,
          productLine: dto.productLine ?? c.productLine,
          productModel: dto.productModel ?? c.productModel,
          solution: dto.solution ?? c.resolution ?? '',
          language: dto.language,
          sourceCaseId: c.id,
        });
        return { status: 201, body: await this.insertVersion(m, randomUUID(), 1, fields, by) };
      }),
    );
  }

  /** Edits the draft, or starts the next version as a draft from the latest one. */
  async update(id: string, dto: UpdateArticleDto, by: Principal): Promise<Article> {
    return this.dataSource.transaction(async (m) => {
      const [latest] = await this.lockVersions(m, id);
      const patch = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)) as Partial<Fields>;
      const fields = this.complete({ ...latest, ...patch });
      if (latest.status !== 'draft') return this.insertVersion(m, id, latest.version + 1, fields, by);
      const rows = await changedRows<ArticleRow>(
        m,
        `UPDATE "${this.schema}".knowledge_articles SET title = $3, product_line = $4, product_model = $5, symptom = $6,
           error_codes = $7, error_code_keys = $8, solution = $9, language = $10, search_a = $11, search_b = $12, search_c = $13,
           updated_at = $14
         WHERE id = $1 AND version = $2 RETURNING *`,
        [id, latest.version, ...this.columnValues(fields), this.clock.now()],
      );
      return lockedArticle(rows, id);
    });
  }

  async publish(id: string, by: Principal): Promise<Article> {
    return this.dataSource.transaction(async (m) => {
      const versions = await this.lockVersions(m, id);
      const draft = versions.find((v) => v.status === 'draft');
      if (!draft) throw fail(409, `article ${id} has no draft to publish (edit it to start a new version)`);
      const missing = (['title', 'symptom', 'solution'] as const).filter((f) => draft[f].trim() === '');
      if (missing.length > 0) {
        throw new UnprocessableEntityException({
          statusCode: 422,
          message: 'the draft is not complete enough to publish',
          errors: missing.map((field) => ({ field, reason: `a published article needs a ${field}` })),
        });
      }
      const now = this.clock.now();
      await m.query(
        `UPDATE "${this.schema}".knowledge_articles SET status = 'superseded', updated_at = $2 WHERE id = $1 AND status = 'published'`,
        [id, now],
      );
      const rows = await changedRows<ArticleRow>(
        m,
        `UPDATE "${this.schema}".knowledge_articles SET status = 'published', published_at = $3, published_by = $4, updated_at = $3
         WHERE id = $1 AND version = $2 RETURNING *`,
        [id, draft.version, now, by.subject],
      );
      const a = lockedArticle(rows, id);
      await this.outbox.append(m, [
        {
          type: 'case.knowledge.published.v1',
          aggregateType: 'knowledge-article',
          aggregateId: id,
          data: {
            articleId: id,
            version: a.version,
            title: a.title,
            productLine: a.productLine ?? undefined,
            productModel: a.productModel ?? undefined,
            symptom: a.symptom,
            errorCodes: a.errorCodes,
            solution: a.solution,
            language: a.language,
            sourceCaseId: a.sourceCaseId ?? undefined,
            publishedAt: a.publishedAt!,
          },
        },
      ]);
      return a;
    });
  }

  async withdraw(id: string, dto: WithdrawArticleDto, by: Principal): Promise<Article> {
    return this.dataSource.transaction(async (m) => {
      const versions = await this.lockVersions(m, id);
      const live = versions.find((v) => v.status === 'published');
      if (!live) throw fail(409, `article ${id} has no published version to withdraw`);
      const now = this.clock.now();
      const rows = await changedRows<ArticleRow>(
        m,
        `UPDATE "${this.schema}".knowledge_articles SET status = 'withdrawn', withdrawn_at = $3, withdrawn_by = $4, withdraw_reason = $5,
           updated_at = $3
         WHERE id = $1 AND version = $2 RETURNING *`,
        [id, live.version, now, by.subject, dto.reason ?? null],
      );
      await this.outbox.append(m, [
        {
          type: 'case.knowledge.withdrawn.v1',
          aggregateType: 'knowledge-article',
          aggregateId: id,
          data: { articleId: id, at: now.toISOString() },
        },
      ]);
      return lockedArticle(rows, id);
    });
  }

  /** Staff see the latest version (or the one asked for) and the version list; a customer only the published one. */
  async get(id: string, by: Principal, version?: number): Promise<Article & { versions?: Array<Pick<Article, 'version' | 'status'>> }> {
    const found = await selectRows<ArticleRow>(
      this.dataSource,
      `SELECT * FROM "${this.schema}".knowledge_articles WHERE id = $1 ORDER BY version DESC`,
      [id],
    );
    const rows = found.map(toArticle);
    if (isCustomer(by)) {
      const live = rows.find((r) => r.status === 'published' && (version === undefined || r.version === version));
      if (!live) throw new NotFoundException(`article ${id} not found`);
      return live;
    }
    const chosen = version === undefined ? rows[0] : rows.find((r) => r.version === version);
    if (!chosen) throw new NotFoundException(`article ${id}${version ? ` version ${version}` : ''} not found`);
    return { ...chosen, versions: rows.map((r) => ({ version: r.version, status: r.status })) };
  }

  /**
   * Ranked search. `q` must match as a whole (every word / CJK bigram), `symptom` ranks by how much of it
   * matches, `errorCode` is an exact filter; an exactly matched code (also one typed into q or symptom)
   * outweighs any text match. Customers search published articles only.
   */
  async search(f: SearchQuery, by: Principal): Promise<Page<SearchHit>> {
    const qTerms = queryTerms(f.q);
    const symptomTerms = queryTerms(f.symptom);
    const filterCodes = [...new Set((f.errorCode ?? []).map(errorCodeKey))];
    const codeKeys = [...new Set([...filterCodes, ...codeKeysIn(f.q), ...codeKeysIn(f.symptom)])];
    const status = isCustomer(by) ? 'published' : (f.status ?? 'published');
    if (qTerms.length + symptomTerms.length + filterCodes.length === 0 && !f.productLine && !f.productModel) {
      throw new UnprocessableEntityException({
        statusCode: 422,
        message: 'nothing to search for',
        errors: [{ field: 'q', reason: 'give q, symptom, errorCode, productLine or productModel with something searchable' }],
      });
    }
    const params: unknown[] = [];
    const p = (v: unknown) => `$${params.push(v)}`;
    const allTerms = [...new Set([...qTerms, ...symptomTerms])];
    const where = [`a.status = ${p(status)}`];
    if (qTerms.length) where.push(`a.search @@ to_tsquery(${CFG}, ${p(qTerms.join(' & '))})`);
    if (symptomTerms.length) where.push(`a.search @@ to_tsquery(${CFG}, ${p(symptomTerms.join(' | '))})`);
    if (f.q && qTerms.length === 0) where.push('false'); // q had nothing searchable in it
    if (filterCodes.length) where.push(`a.error_code_keys && ${p(filterCodes)}::text[]`);
    if (f.productLine) where.push(`lower(a.product_line) = lower(${p(f.productLine)})`);
    if (f.productModel) where.push(`lower(a.product_model) = lower(${p(f.productModel)})`);
    const terms = p(allTerms);
    const rank = allTerms.length ? `ts_rank_cd(a.search, to_tsquery(${CFG}, ${p(allTerms.join(' | '))}), 32)` : '0::float8';
    const rows = await selectRows<SearchRow>(
      this.dataSource,
      `WITH m AS (
         SELECT greatest(1, (SELECT count(*) FROM unnest(${terms}::text[]) t WHERE numnode(to_tsquery(${CFG}, t)) > 0)) AS meaningful
       ), c AS (
         SELECT a.*, m.meaningful,
           ARRAY(SELECT a.error_codes[i] FROM generate_subscripts(a.error_codes, 1) i WHERE a.error_code_keys[i] = ANY(${p(codeKeys)}::text[])) AS matched,
           (SELECT count(*) FROM unnest(${terms}::text[]) t WHERE a.search @@ to_tsquery(${CFG}, t)) AS hits,
           ${rank} AS rank
         FROM "${this.schema}".knowledge_articles a, m
         WHERE ${where.join(' AND ')}
       )
       SELECT c.*, cardinality(matched) + 0.5 * rank + 0.5 * hits::float8 / meaningful AS score, count(*) OVER () AS total
       FROM c
       WHERE ${symptomTerms.length ? `cardinality(matched) > 0 OR hits >= least(${MIN_TERM_HITS}, meaningful)` : 'true'}
       ORDER BY score DESC, published_at DESC NULLS LAST, updated_at DESC, id
       LIMIT ${p(f.limit)} OFFSET ${p(f.offset)}`,
      params,
    );
    return {
      items: rows.map((r) => ({
        ...toArticle(r),
        score: Math.round(Number(r.score) * 1000) / 1000,
        matchedErrorCodes: r.matched,
      })),
      total: rows[0] ? Number(rows[0].total) : 0,
      limit: f.limit,
      offset: f.offset,
    };
  }

  /** All versions of an article, newest first, locked: edits, publishing and withdrawal of one article queue up. */
  private async lockVersions(m: EntityManager, id: string): Promise<[Article, ...Article[]]> {
    const rows = await selectRows<ArticleRow>(
      m,
      `SELECT * FROM "${this.schema}".knowledge_articles WHERE id = $1 ORDER BY version DESC FOR UPDATE`,
      [id],
    );
    const [latest, ...older] = rows.map(toArticle);
    if (!latest) throw new NotFoundException(`article ${id} not found`);
    return [latest, ...older];
  }

  private complete(f: Partial<Fields> & Pick<Fields, 'title' | 'symptom'>): Fields {
    const solution = f.solution ?? '';
    return {
      title: f.title,
      symptom: f.symptom,
      solution,
      productLine: f.productLine ?? null,
      productModel: f.productModel ?? null,
      errorCodes: [...new Set((f.errorCodes ?? []).map((c) => c.trim()))],
      language: f.language ?? (looksChinese(`${f.title} ${f.symptom} ${solution}`) ? 'zh-CN' : 'en'),
      sourceCaseId: f.sourceCaseId ?? null,
    };
  }

  private columnValues(f: Fields): unknown[] {
    return [
      f.title,
      f.productLine,
      f.productModel,
      f.symptom,
      f.errorCodes,
      f.errorCodes.map(errorCodeKey),
      f.solution,
      f.language,
      toSearchDocument(f.title, f.productModel, ...f.errorCodes),
      toSearchDocument(f.symptom),
      toSearchDocument(f.solution),
    ];
  }

  private async insertVersion(m: EntityManager, id: string, version: number, f: Fields, by: Principal): Promise<Article> {
    const now = this.clock.now();
    const [row] = await selectRows<ArticleRow>(
      m,
      `INSERT INTO "${this.schema}".knowledge_articles (id, version, status, title, product_line, product_model, symptom, error_codes,
         error_code_keys, solution, language, search_a, search_b, search_c, source_case_id, author, created_at, updated_at)
       VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) RETURNING *`,
      [id, version, ...this.columnValues(f), f.sourceCaseId, by.subject, now],
    );
    if (!row) throw new Error(`article ${id} version ${version}: the insert returned no row`);
    return toArticle(row);
  }
}

function firstLine(text: string, max: number): string {
  const [first = ''] = text.split(/\r?\n/);
  const line = first.trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** A row of `knowledge_articles` as `SELECT *` answers it. */
interface ArticleRow {
  id: string;
  version: number;
  status: ArticleStatus;
  title: string;
  product_line: string | null;
  product_model: string | null;
  symptom: string;
  error_codes: string[];
  solution: string;
  language: Language;
  source_case_id: string | null;
  author: string;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
  published_by: string | null;
  withdrawn_at: Date | null;
  withdraw_reason: string | null;
}

interface SearchRow extends ArticleRow {
  score: number;
  matched: string[];
  /** count(*) OVER (): a bigint, answered as text */
  total: string;
}

/** The version an UPDATE … RETURNING wrote; its row was locked first, so it is there. */
function lockedArticle(rows: ArticleRow[], id: string): Article {
  const [row] = rows;
  if (!row) throw new Error(`article ${id}: a locked version was not updated`);
  return toArticle(row);
}

const iso = (v: Date) => v.toISOString();
const isoOrNull = (v: Date | null) => (v === null ? null : iso(v));

function toArticle(r: ArticleRow): Article {
  const { id, status, title, symptom, solution, language, author } = r;
  return {
    ...{ id, version: Number(r.version), status, title, symptom, solution, language, author },
    ...{ productLine: r.product_line, productModel: r.product_model, errorCodes: r.error_codes, sourceCaseId: r.source_case_id },
    ...{ createdAt: iso(r.created_at), updatedAt: iso(r.updated_at), publishedAt: isoOrNull(r.published_at) },
    ...{ publishedBy: r.published_by, withdrawnAt: isoOrNull(r.withdrawn_at), withdrawReason: r.withdraw_reason },
  };
}
