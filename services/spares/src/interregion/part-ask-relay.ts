import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@aftersales/config';
import { Outbox, OutboxEvent } from '@aftersales/messaging';
import { InterregionMetrics, PlatformMetrics } from '@aftersales/observability';
import { SERVICE_CONFIG } from '@aftersales/platform';
import { EntityManager } from 'typeorm';
import { PartRequest } from '../requests/part-request';
import { Actor } from '../shared/scope';
import { AfterCommit } from '../shared/tx';
import { PartAsk, PartAskState } from './part-ask';
import { PartAskRepository } from './part-ask.repository';

/** What a move of the asked region's part request means to the region that asked. */
const STEP_OF: Record<string, PartAskState | undefined> = {
  approve: 'approved',
  reject: 'declined',
  cancel: 'declined',
  ship: 'shipped',
  deliver: 'delivered',
};

export const askRef = (a: PartAsk) => ({
  askId: a.id,
  fromRegion: a.fromRegion,
  toRegion: a.toRegion,
  caseId: a.caseId,
  ...(a.caseNumber ? { caseNumber: a.caseNumber } : {}),
});

/** Metrics of parts asked across regions (both sides count each step). */
@Injectable()
export class PartAskMetrics extends InterregionMetrics {
  constructor(@Inject(SERVICE_CONFIG) config: ServiceConfig, metrics: PlatformMetrics) {
    super(metrics.registry, config.region, config.interregionPeers, 'part');
  }
}

/**
 * The asked region's side: its manager approves or rejects, its depot ships and delivers through
 * the ordinary part request; each of those moves of a request that serves another region's ask is
 * told to that region over the interregion topic, in the move's transaction.
 */
@Injectable()
export class PartAskRelay {
  constructor(
    private readonly outbox: Outbox,
    private readonly asks: PartAskRepository,
    private readonly metrics: PartAskMetrics,
  ) {}

  async followMove(m: EntityManager, r: PartRequest, action: string, actor: Actor, now: Date, afterCommit: AfterCommit): Promise<void> {
    const step = STEP_OF[action];
    if (!step) return;
    const ask = await this.asks.byRequest(m, r.id);
    if (!ask || ask.side !== 'asked') return;
    if (step === 'approved' || step === 'declined') {
      return this.answer(m, ask, step, { depotId: r.depotId, reason: r.decisionReason ?? undefined }, actor, now, afterCommit);
    }
    if (step !== 'shipped' && step !== 'delivered') return;
    await this.asks.update(m, ask.id, { side: ask.side, state: step, updatedAt: now });
    await this.outbox.append(m, [
      this.event('spares.part-ask.progressed.v1', ask, {
        ...askRef(ask),
        step,
        partNumber: ask.partNumber,
        quantity: ask.quantity,
        depotId: r.depotId,
        ...(r.carrier ? { carrier: r.carrier } : {}),
        ...(r.trackingNumber ? { trackingNumber: r.trackingNumber } : {}),
        ...(r.courier ? { courier: r.courier } : {}),
        actor,
        at: now.toISOString(),
      }),
    ]);
    afterCommit(() => this.metrics.count(ask.fromRegion, ask.toRegion, step));
  }

  /** The asked region's answer: approved (stock held at `depotId`) or declined with a reason. */
  async answer(
    m: EntityManager,
    ask: PartAsk,
    outcome: 'approved' | 'declined',
    o: { depotId?: string; reason?: string },
    actor: Actor,
    now: Date,
    afterCommit: AfterCommit,
  ): Promise<void> {
    await this.asks.update(m, ask.id, { side: ask.side, state: outcome, depotId: o.depotId, reason: o.reason, updatedAt: now });
    await this.outbox.append(m, [
      this.event('spares.part-ask.answered.v1', ask, {
        ...askRef(ask),
        outcome,
        partNumber: ask.partNumber,
        quantity: ask.quantity,
        ...(o.depotId ? { depotId: o.depotId } : {}),
        ...(o.reason ? { reason: o.reason } : {}),
        actor,
        at: now.toISOString(),
      }),
    ]);
    afterCommit(() => this.metrics.count(ask.fromRegion, ask.toRegion, outcome));
  }

  event<T extends 'spares.part-ask.answered.v1' | 'spares.part-ask.progressed.v1' | 'spares.part-ask.requested.v1'>(
    type: T,
    ask: PartAsk,
    data: OutboxEvent<T>['data'],
  ): OutboxEvent<T> {
    return { type, aggregateType: 'part-ask', aggregateId: ask.id, data };
  }
}
