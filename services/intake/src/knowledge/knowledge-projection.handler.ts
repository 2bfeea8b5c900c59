import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EventData, EventEnvelope } from '@aftersales/contracts';
import { errorCodeKey, toSearchDocument } from '@aftersales/fulltext';
import { SERVICE_RUNTIME, ServiceRuntime } from '@aftersales/platform';

/**
 * Keeps intake's copy of the published knowledge base. Redeliveries are dropped by the inbox; beyond that
 * an event only moves an article forward: a version replaces a lower one, never a higher one, and a
 * withdrawal counts only if it is not older than the version it would take down.
 */
@Controller()
export class KnowledgeProjectionHandler {
  constructor(@Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime) {}

  @EventPattern('case.knowledge.published.v1')
  async onPublished(@Payload() event: EventEnvelope<EventData<'case.knowledge.published.v1'>>): Promise<void> {
    const a = event.data;
    const s = this.rt.outbox.schema;
    await this.rt.inbox.handleOnce('intake.knowledge-projection', event, async (m) => {
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
          this.rt.clock.now(),
        ],
      );
    });
  }

  @EventPattern('case.knowledge.withdrawn.v1')
  async onWithdrawn(@Payload() event: EventEnvelope<EventData<'case.knowledge.withdrawn.v1'>>): Promise<void> {
    const s = this.rt.outbox.schema;
    await this.rt.inbox.handleOnce('intake.knowledge-projection', event, async (m) => {
      await m.query(
        `UPDATE "${s}".knowledge_articles SET status = 'withdrawn', withdrawn_at = $2, updated_at = $3
         WHERE article_id = $1 AND status = 'published' AND published_at <= $2`,
        [event.data.articleId, event.data.at, this.rt.clock.now()],
      );
    });
  }
}
