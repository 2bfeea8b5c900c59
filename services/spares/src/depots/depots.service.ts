import { Injectable } from '@nestjs/common';
import { Clock, Principal, visibleTo } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { CatalogRepository } from '../catalog/catalog.repository';
import { Part } from '../catalog/part';
import { conflictOn, notFound, unknownRef } from '../shared/problems';
import { canSee, requireManagerOf } from '../shared/scope';
import { SparesMetrics } from '../shared/spares-metrics';
import { Transactions } from '../shared/tx';
import { Depot } from './depot';
import { DepotRepository } from './depot.repository';
import { CreateDepotDto, InboundDto, StockInDto } from './depots.dto';
import { StockLedger } from './stock-ledger';

/** Depots per region and what they hold; stock-in, announced inbound, minimum levels. */
@Injectable()
export class DepotsService {
  constructor(
    private readonly tx: Transactions,
    private readonly depots: DepotRepository,
    private readonly parts: CatalogRepository,
    private readonly ledger: StockLedger,
    private readonly metrics: SparesMetrics,
    private readonly clock: Clock,
  ) {}

  async create(d: CreateDepotDto, by: Principal): Promise<Depot> {
    requireManagerOf(by, d.region, 'add a depot');
    const depot = await this.tx.run(async (m) => {
      if (d.home && (await this.depots.homeOf(m, d.region))) {
        throw conflictOn('home', `region ${d.region} already has a home depot`);
      }
      const created = await this.depots.insert(
        m,
        { id: d.id, name: d.name.trim(), region: d.region, city: d.city ?? null, home: d.home ?? false },
        this.clock.now(),
      );
      if (!created) throw conflictOn('id', `depot ${d.id} already exists`);
      return created;
    });
    this.metrics.depotAdded(depot);
    return depot;
  }

  /** A depot the principal may see (404 otherwise, as if absent). */
  async visible(id: string, by: Principal, m: EntityManager = this.tx.reads): Promise<Depot> {
    const d = await this.depots.get(m, id);
    if (!d || !canSee(by, { region: d.region })) throw notFound('depot', id);
    return d;
  }

  async list(by: Principal, region: string | undefined, limit: number, offset: number) {
    const own = visibleTo(by).region;
    if (own !== undefined && region !== undefined && region !== own) return { items: [], total: 0, limit, offset };
    return { ...(await this.depots.list(this.tx.reads, own ?? region, limit, offset)), limit, offset };
  }

  async stock(id: string, by: Principal, belowMinimum: boolean, limit: number, offset: number) {
    await this.visible(id, by);
    return { ...(await this.depots.stockList(this.tx.reads, id, { belowMinimum }, limit, offset)), limit, offset };
  }

  async stockOf(id: string, partNumber: string, by: Principal) {
    await this.visible(id, by);
    const row = await this.depots.stock(this.tx.reads, id, partNumber);
    if (!row) throw notFound('stock of part', `${partNumber} at depot ${id}`);
    return row;
  }

  async setMinimum(id: string, partNumber: string, minLevel: number, by: Principal) {
    return this.tx.run(async (m, afterCommit) => {
      const depot = await this.managed(m, id, by, 'set minimum levels');
      const part = await this.part(m, partNumber, 'partNumber');
      const { before, after } = await this.depots.setMinimum(m, id, partNumber, minLevel, this.clock.now());
      await this.ledger.checkMinimum(m, depot, part, before, after, afterCommit);
      return after;
    });
  }

  stockIn(id: string, d: StockInDto, by: Principal, key?: string) {
    return this.tx.once(`stock-in:${id}:${by.subject}`, key, d, async (m, afterCommit) => {
      const depot = await this.managed(m, id, by, 'stock in');
      const part = await this.part(m, d.partNumber, 'partNumber');
      const row = await this.ledger.apply(m, depot, part, 'stock-in', d.quantity, afterCommit);
      return { status: 201, body: row! };
    });
  }

  announceInbound(id: string, d: InboundDto, by: Principal) {
    return this.tx.run(async (m, afterCommit) => {
      const depot = await this.managed(m, id, by, 'announce inbound stock');
      const part = await this.part(m, d.partNumber, 'partNumber');
      await this.ledger.apply(m, depot, part, 'announce-inbound', d.quantity, afterCommit);
      return this.depots.addInbound(
        m,
        {
          id: randomUUID(),
          depotId: id,
          partNumber: part.partNumber,
          quantity: d.quantity,
          expectedAt: new Date(d.expectedAt),
          planId: null,
        },
        this.clock.now(),
      );
    });
  }

  receiveInbound(id: string, inboundId: string, by: Principal) {
    return this.tx.run(async (m, afterCommit) => {
      const depot = await this.managed(m, id, by, 'receive inbound stock');
      const found = await this.depots.inbound(m, inboundId);
      if (!found || found.depotId !== id) throw notFound('inbound', inboundId);
      const [received] = await this.depots.receiveInbound(m, { id: inboundId }, this.clock.now());
      if (!received) throw conflictOn('state', `inbound ${inboundId} was already received`, { allowed: [] });
      const part = (await this.parts.get(m, received.partNumber))!;
      await this.ledger.apply(m, depot, part, 'receive-inbound', received.quantity, afterCommit);
      return received;
    });
  }

  async inbound(id: string, by: Principal) {
    await this.visible(id, by);
    return this.depots.openInbound(this.tx.reads, id);
  }

  async reports(id: string, by: Principal, limit: number, offset: number) {
    await this.visible(id, by);
    return { ...(await this.depots.reports(this.tx.reads, id, limit, offset)), limit, offset };
  }

  private async managed(m: EntityManager, id: string, by: Principal, what: string): Promise<Depot> {
    const depot = await this.visible(id, by, m);
    requireManagerOf(by, depot.region, what);
    return depot;
  }

  private async part(m: EntityManager, partNumber: string, field: string): Promise<Part> {
    const p = await this.parts.get(m, partNumber);
    if (!p) throw unknownRef(field, 'part', partNumber);
    return p;
  }
}
