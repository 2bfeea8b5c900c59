import { Controller } from '@nestjs/common';
import { errorCodeKey, toSearchDocument } from '@aftersales/fulltext';
import { Clock } from '@aftersales/platform';
import { Envelope, HandlerContext, OnEvent, Outbox } from '@aftersales/messaging';

/**
 * Keeps intake's copy of the published knowledge base. Redeliveries are dropped by the inbox; beyond that
 * an event only moves an article forward: a version replaces a lower one, never a higher one, and a
 * withdrawal counts only if it is not older than the version it would take down.
 */
@Controller()
export class KnowledgeProjectionHandler {
  constructor(
    private readonly clock: Clock,
    private readonly outbox: Outbox,
  ) {}

  @OnEvent('case.knowledge.published.v1', { consumer: 'intake.knowledge-projection' })
  async onPublished(event: Envelope<'case.knowledge.published.v1'>, { manager: m }: HandlerContext): Promise<void> {
    const a = event.data;
    const s = this.outbox.schema;
    await m.query(
      `INSERT INTO "${s}".knowledge_articles AS k (article_id, version, status, title, product_line, product_model, symptom,
         error_codes, error_code_keys, solution, language, source_case_id, published_at, withdrawn_at, search_a, search_b, search_c, updated_at)
       VALUES ($1, $2, 'published', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL, $13, $14, $15, $16)
       ON CONFLICT (article_id) DO UPDATE SET version = EXCLUDED.version, status = 'published', title = EXCLUDED.title,
         product_line = EXCLUDED.product_line, product_model = EXCLUDED.product_model, symptom = EXCLUDED.symptom,
         error_codes = EXCLUDED.error_codes, error_code_keys = EXCLUDED.error_code_keys, solution = EXCLUDED.solution,
         language = EXCLUDED.language, source_case_id = EXCLUDED.source_case_id, published_at = EXCLUDED.published_at,
         withdrawn_at = NULL, search_a = EXCLUDED.search_a, search_b = EXCLUDED.search_b, search_c = EXCLUDED.search_c,
         updated_at = EXCLUDED.updated_at
       WHERE k.version < EXCLUDED.version`,
      [
        a.articleId,
        a.version,
        a.title,
        a.productLine ?? null,
        a.productModel ?? null,
        a.symptom,
        a.errorCodes,
        a.errorCodes.map(errorCodeKey),
        a.solution,
        a.language,
        a.sourceCaseId ?? null,
        a.publishedAt,
        toSearchDocument(a.title, a.productModel, ...a.errorCodes),
        toSearchDocument(a.symptom),
        toSearchDocument(a.solution),
        this.clock.now(),
      ],
    );
  }

  @OnEvent('case.knowledge.withdrawn.v1', { consumer: 'intake.knowledge-projection' })
  async onWithdrawn(event: Envelope<'case.knowledge.withdrawn.v1'>, { manager: m }: HandlerContext): Promise<void> {
    const s = this.outbox.schema;
    await m.query(
      `UPDATE "${s}".knowledge_articles SET status = 'withdrawn', withdrawn_at = $2, updated_at = $3
       WHERE article_id = $1 AND status = 'published' AND published_at <= $2`,
      [event.data.articleId, event.data.at, this.clock.now()],
    );
  }
}
