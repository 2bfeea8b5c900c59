import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { Envelope, Outbox, OutboxEvent } from '@aftersales/messaging';
import { Clock, Principal, problemException, SERVICE_SETTINGS } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { CaseDemandRepository } from '../cases/case-demand.repository';
import { CatalogRepository } from '../catalog/catalog.repository';
import { lateMinutes, partNeededBy } from '../domain';
import { PartRequestRepository } from '../requests/part-request.repository';
import { PartRequestsService } from '../requests/part-requests.service';
import { notFound, unknownRef } from '../shared/problems';
import { actorOf, canSee } from '../shared/scope';
import { AfterCommit, Transactions } from '../shared/tx';
import { SparesSettings } from '../spares.config';
import { PartAsk } from './part-ask';
import { askRef, PartAskMetrics, PartAskRelay } from './part-ask-relay';
import { PartAskRepository } from './part-ask.repository';
import { CreatePartAskDto } from './part-asks.dto';

type Severity = PartAsk['severity'];
type CaseEventType =
  'spares.part.reserved.v1' | 'spares.part.shipped.v1' | 'spares.part.delivered.v1' | 'spares.delivery.late.v1' | 'spares.part.released.v1';

/**
 * Parts asked of another region's deployment (domain §2, architecture §9). The asking region
 * records the ask and sends it over the interregion topic; the asked region holds the stock at its
 * depot as an ordinary cross-region part request awaiting its manager (or declines at once when no
 * depot has it); the answer and the delivery come back the same way and become the asking case's
 * `spares.part.*` events, so its clock pauses and resumes as for a part from its own region.
 */
@Injectable()
export class PartAsksService {
  constructor(
    private readonly tx: Transactions,
    private readonly outbox: Outbox,
    @Inject(SERVICE_SETTINGS) private readonly settings: SparesSettings,
    private readonly asks: PartAskRepository,
    private readonly relay: PartAskRelay,
    private readonly metrics: PartAskMetrics,
    private readonly cases: CaseDemandRepository,
    private readonly parts: CatalogRepository,
    private readonly requests: PartRequestRepository,
    private readonly partRequests: PartRequestsService,
    private readonly clock: Clock,
  ) {}

  // ---- the asking region ---------------------------------------------------------------------

  ask(d: CreatePartAskDto, by: Principal) {
    return this.tx.run(async (m, afterCommit) => {
      const c = await this.cases.get(m, d.caseId);
      if (!c || !canSee(by, c)) throw unknownRef('caseId', 'case', d.caseId);
      if (d.toRegion === c.region) {
        throw problemException(422, [
          { field: 'toRegion', reason: `the case is in ${c.region}: ask a part request of your own depots instead` },
        ]);
      }
      const now = this.clock.now();
      const severity = (d.severity ?? c.severity) as Severity;
      const due = partNeededBy({
        severity,
        requestedAt: now,
        hours: this.settings.SPARES_NEEDED_BY_HOURS,
        given: d.neededBy ? new Date(d.neededBy) : undefined,
        policy: await this.cases.policyDeadline(m, c.caseId),
      });
      if (due.getTime() <= now.getTime()) throw problemException(422, [{ field: 'neededBy', reason: 'must be in the future' }]);
      const ask: PartAsk = {
        id: randomUUID(),
        side: 'asking',
        fromRegion: c.region,
        toRegion: d.toRegion,
        caseId: c.caseId,
        caseNumber: c.caseNumber,
        severity,
        partNumber: d.partNumber,
        quantity: d.quantity,
        neededBy: due,
        state: 'requested',
        requestId: null,
        depotId: null,
        reason: null,
        requestedBy: by.subject,
        createdAt: now,
        updatedAt: now,
      };
      await this.asks.insert(m, ask);
      await this.outbox.append(m, [
        this.relay.event('spares.part-ask.requested.v1', ask, {
          ...askRef(ask),
          severity,
          partNumber: ask.partNumber,
          quantity: ask.quantity,
          neededBy: due.toISOString(),
          actor: actorOf(by),
          at: now.toISOString(),
        }),
      ]);
      afterCommit(() => this.metrics.count(ask.fromRegion, ask.toRegion, 'requested'));
      return ask;
    });
  }

  async get(id: string, by: Principal): Promise<PartAsk> {
    const m = this.tx.reads;
    const a = (await this.asks.get(m, id, 'asking')) ?? (await this.asks.get(m, id, 'asked'));
    if (!a || !canSee(by, { region: a.fromRegion, depotRegion: a.toRegion })) throw notFound('part ask', id);
    return a;
  }

  list(by: Principal, limit: number, offset: number) {
    return this.asks.list(this.tx.reads, by, limit, offset).then((p) => ({ ...p, limit, offset }));
  }

  /** The asked region answered: an approval holds the part for the case (it now waits on it). */
  async onAnswered(m: EntityManager, e: Envelope<'spares.part-ask.answered.v1'>, afterCommit: AfterCommit): Promise<void> {
    const d = e.data;
    const ask = await this.asks.get(m, d.askId, 'asking', true);
    // an approved part the asked region cancels before delivery no longer holds the case
    const withdrawn = d.outcome === 'declined' && (ask?.state === 'approved' || ask?.state === 'shipped');
    if (!ask || (ask.state !== 'requested' && !withdrawn)) return; // not ours, or answered already
    const now = this.clock.now();
    await this.asks.update(m, ask.id, { side: ask.side, state: d.outcome, depotId: d.depotId, reason: d.reason, updatedAt: now });
    afterCommit(() => this.metrics.count(ask.fromRegion, ask.toRegion, d.outcome));
    if (withdrawn) {
      const outstanding = (await this.requests.outstandingForCase(m, ask.caseId)) + (await this.asks.outstandingForCase(m, ask.caseId));
      await this.outbox.append(m, [
        this.caseEvent('spares.part.released.v1', ask, {
          ...(await this.partRef(m, ask, d.depotId ?? ask.depotId ?? 'unknown')),
          reason: `region ${ask.toRegion} withdrew the part: ${d.reason ?? 'no reason given'}`,
          outstandingForCase: outstanding,
          actor: d.actor,
          at: d.at,
        }),
      ]);
      return;
    }
    if (d.outcome !== 'approved') return;
    await this.outbox.append(m, [
      this.caseEvent('spares.part.reserved.v1', ask, {
        ...(await this.partRef(m, ask, d.depotId!)),
        neededBy: ask.neededBy.toISOString(),
        crossRegion: true,
        actor: d.actor,
        at: d.at,
      }),
    ]);
  }

  /** The part left the asked region's depot, or reached the site: the case's own delivery events. */
  async onProgressed(m: EntityManager, e: Envelope<'spares.part-ask.progressed.v1'>, afterCommit: AfterCommit): Promise<void> {
    const d = e.data;
    const ask = await this.asks.get(m, d.askId, 'asking', true);
    if (!ask || ask.state === d.step || ask.state === 'delivered') return;
    const now = this.clock.now();
    await this.asks.update(m, ask.id, { side: ask.side, state: d.step, updatedAt: now });
    afterCommit(() => this.metrics.count(ask.fromRegion, ask.toRegion, d.step));
    const ref = await this.partRef(m, ask, d.depotId);
    const step = { ...ref, neededBy: ask.neededBy.toISOString(), actor: d.actor, at: d.at };
    if (d.step === 'shipped') {
      const how = d.courier ? { courier: d.courier } : { carrier: d.carrier, trackingNumber: d.trackingNumber };
      await this.outbox.append(m, [this.caseEvent('spares.part.shipped.v1', ask, { ...step, ...how })]);
      return;
    }
    const late = lateMinutes(ask.neededBy, new Date(d.at));
    const outstanding = (await this.requests.outstandingForCase(m, ask.caseId)) + (await this.asks.outstandingForCase(m, ask.caseId));
    await this.outbox.append(m, [
      this.caseEvent('spares.part.delivered.v1', ask, { ...step, late: late > 0, outstandingForCase: outstanding }),
      ...(late > 0
        ? [
            this.caseEvent('spares.delivery.late.v1', ask, {
              ...ref,
              neededBy: ask.neededBy.toISOString(),
              deliveredAt: d.at,
              lateMinutes: late,
            }),
          ]
        : []),
    ]);
  }

  // ---- the asked region ----------------------------------------------------------------------

  /**
   * Another region asks this one: the stock is held at this region's best depot as a cross-region
   * part request its manager approves (the answer goes back when they do), or declined at once.
   */
  async onRequested(m: EntityManager, e: Envelope<'spares.part-ask.requested.v1'>, afterCommit: AfterCommit): Promise<void> {
    const d = e.data;
    const now = this.clock.now();
    const ask: PartAsk = {
      ...{ id: d.askId, fromRegion: d.fromRegion, toRegion: d.toRegion, caseId: d.caseId, caseNumber: d.caseNumber ?? null },
      side: 'asked',
      severity: d.severity,
      partNumber: d.partNumber,
      quantity: d.quantity,
      neededBy: new Date(d.neededBy),
      state: 'requested',
      requestId: null,
      depotId: null,
      reason: null,
      requestedBy: d.actor.subject,
      createdAt: now,
      updatedAt: now,
    };
    if (!(await this.asks.insert(m, ask))) return;
    afterCommit(() => this.metrics.count(ask.fromRegion, ask.toRegion, 'requested'));
    const system = { subject: 'system:spares', role: 'system' };
    const part = await this.parts.get(m, d.partNumber);
    if (!part)
      return this.relay.answer(
        m,
        ask,
        'declined',
        { reason: `no part ${d.partNumber} in ${d.toRegion}'s catalog` },
        system,
        now,
        afterCommit,
      );
    // the asking region's requester, as this region's records show who asked
    const requester: Principal = { subject: `${d.fromRegion}:${d.actor.subject}`, roles: ['agent'], region: d.fromRegion };
    await m.query('SAVEPOINT part_ask');
    try {
      const r = await this.partRequests.reserveNew(m, requester, afterCommit, {
        part,
        quantity: d.quantity,
        region: d.fromRegion,
        customerId: null,
        severity: d.severity,
        caseId: null, // the case lives in the asking region's database
        siteId: null,
        neededBy: ask.neededBy,
        exchangeOf: null,
      });
      await m.query('RELEASE SAVEPOINT part_ask');
      await this.asks.update(m, ask.id, { side: ask.side, requestId: r.id, depotId: r.depotId, updatedAt: now });
      if (r.state === 'reserved') {
        // this deployment also serves the asking region: nobody needs to approve
        await this.relay.answer(m, { ...ask, requestId: r.id }, 'approved', { depotId: r.depotId }, system, now, afterCommit);
      }
    } catch (err) {
      if (!(err instanceof ConflictException)) throw err;
      await m.query('ROLLBACK TO SAVEPOINT part_ask');
      const reason = (err.getResponse() as { message?: string }).message ?? 'out of stock';
      await this.relay.answer(m, ask, 'declined', { reason }, system, now, afterCommit);
    }
  }

  private async partRef(m: EntityManager, ask: PartAsk, depotId: string) {
    const part = await this.parts.get(m, ask.partNumber);
    return {
      requestId: ask.id,
      caseId: ask.caseId,
      region: ask.fromRegion,
      depotId,
      depotRegion: ask.toRegion,
      partNumber: ask.partNumber,
      partClass: part?.partClass ?? ('other' as const),
      quantity: ask.quantity,
    };
  }

  /** One of the case's own `spares.*` events, keyed by the case id (the ask id stands for the request id). */
  private caseEvent<T extends CaseEventType>(type: T, ask: PartAsk, data: OutboxEvent<T>['data']) {
    return { type, aggregateType: 'case', aggregateId: ask.caseId, data };
  }
}
