import { Controller } from '@nestjs/common';
import { Envelope, HandlerContext, Inbox, OnEvent } from '@aftersales/messaging';
import { ReportMetrics } from './report-metrics';
import { ReportsRepository } from './reports.repository';

/**
 * The facts other services report that management figures need, kept as rows keyed by their own
 * ids (a redelivery changes nothing): SLA clocks, breaches and rungs from escalation; reservations,
 * deliveries and stock events from spares; answers and callbacks from survey.
 */
@Controller()
export class ReportFactsHandler {
  constructor(
    private readonly repo: ReportsRepository,
    private readonly inbox: Inbox,
    private readonly metrics: ReportMetrics,
  ) {}

  @OnEvent('escalation.clock.started.v1', { consumer: 'case.reports-clock' })
  async onClock(e: Envelope<'escalation.clock.started.v1'>, { manager: m }: HandlerContext) {
    await this.repo.clock(m, e.data);
  }

  @OnEvent('escalation.target.breached.v1', { consumer: 'case.reports-breach' })
  async onBreach(e: Envelope<'escalation.target.breached.v1'>, { manager: m }: HandlerContext) {
    await this.repo.breach(m, e.data);
  }

  /**
   * The case log's bare `@EventPattern` for this type may be first in Nest's chain of handlers, and
   * then this one is called without the inbox transaction: it opens its own.
   */
  @OnEvent('escalation.rung.reached.v1', { consumer: 'case.reports-rung' })
  async onRung(e: Envelope<'escalation.rung.reached.v1'>, tx?: HandlerContext) {
    if (tx) await this.repo.rung(tx.manager, e.data);
    else await this.inbox.handleOnce('case.reports-rung', e, (m) => this.repo.rung(m, e.data));
  }

  @OnEvent('spares.part.reserved.v1', { consumer: 'case.reports-reserved' })
  async onReserved(e: Envelope<'spares.part.reserved.v1'>, { manager: m }: HandlerContext) {
    const d = e.data;
    await this.repo.delivery(m, {
      requestId: d.requestId,
      caseId: d.caseId ?? null,
      region: d.region,
      partClass: d.partClass,
      reservedAt: d.at,
      neededBy: d.neededBy,
    });
  }

  @OnEvent('spares.part.delivered.v1', { consumer: 'case.reports-delivered' })
  async onDelivered(e: Envelope<'spares.part.delivered.v1'>, tx: HandlerContext) {
    const d = e.data;
    const row = await this.repo.delivery(tx.manager, {
      requestId: d.requestId,
      caseId: d.caseId ?? null,
      region: d.region,
      partClass: d.partClass,
      neededBy: d.neededBy,
      deliveredAt: d.at,
      late: d.late,
    });
    // reserved → delivered, once (the inbox drops a redelivery); a delivery whose reservation we never saw is not timed
    if (row?.reservedAt && row.deliveredAt) {
      const seconds = Math.max(0, (new Date(row.deliveredAt).getTime() - new Date(row.reservedAt).getTime()) / 1000);
      tx.afterCommit(() => this.metrics.partDelivery.observe({ region: d.region, late: String(d.late) }, seconds));
    }
  }

  @OnEvent('spares.stock.below-minimum.v1', { consumer: 'case.reports-low-stock' })
  async onLowStock(e: Envelope<'spares.stock.below-minimum.v1'>, { manager: m }: HandlerContext) {
    await this.repo.stockEvent(m, stockFact(e, e.data.available <= 0 ? 'stock-out' : 'below-minimum'));
  }

  /** Only another region's depot had the part: the case's region was out of it. */
  @OnEvent('spares.transfer.requested.v1', { consumer: 'case.reports-transfer' })
  async onTransfer(e: Envelope<'spares.transfer.requested.v1'>, { manager: m }: HandlerContext) {
    await this.repo.stockEvent(m, stockFact(e, 'transfer'));
  }

  @OnEvent('survey.answered.v1', { consumer: 'case.reports-survey' })
  async onAnswered(e: Envelope<'survey.answered.v1'>, { manager: m }: HandlerContext) {
    await this.repo.survey(m, e.data);
  }

  @OnEvent('survey.callback.requested.v1', { consumer: 'case.reports-callback-requested' })
  async onCallback(e: Envelope<'survey.callback.requested.v1'>, { manager: m }: HandlerContext) {
    await this.repo.callback(m, { callbackId: e.data.callbackId, caseId: e.data.caseId, region: e.data.region, requestedAt: e.time });
  }

  @OnEvent('survey.callback.closed.v1', { consumer: 'case.reports-callback-closed' })
  async onCallbackClosed(e: Envelope<'survey.callback.closed.v1'>, { manager: m }: HandlerContext) {
    const d = e.data;
    await this.repo.callback(m, { callbackId: d.callbackId, caseId: d.caseId, region: d.region, closedAt: d.closedAt, outcome: d.outcome });
  }
}

/** A stock event of one part at one depot, as the reports keep it. */
function stockFact(
  e: Envelope<'spares.stock.below-minimum.v1' | 'spares.transfer.requested.v1'>,
  kind: 'stock-out' | 'below-minimum' | 'transfer',
) {
  const { region, depotId, partNumber, partClass, at } = e.data;
  return { eventId: e.id, kind, region, depotId, partNumber, partClass, at };
}
