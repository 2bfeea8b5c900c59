import { Injectable } from '@nestjs/common';
import { Clock, Page, Principal, regionScope, visibleTo, withIdempotency } from '@aftersales/platform';
import { DataSource, EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral, Raw } from 'typeorm';
import { assetRegisteredEvents } from './asset-events';
import { Asset, ContactRecord, Contract, Customer, idOf, Site, textOf } from './registry.entities';
import { checkAssets, checkContacts, checkContracts, checkCustomers, checkSites } from './registry-rules';
import { notFound, problemException, RecordProblem, throwProblem } from './registry-problems';
import { Outbox } from '@aftersales/messaging';

export type RegistryKind = 'customers' | 'sites' | 'contacts' | 'contracts' | 'assets';

interface KindSpec {
  entity: EntityTarget<ObjectLiteral>;
  label: string;
  check(m: EntityManager, rows: ObjectLiteral[]): Promise<Array<RecordProblem | null>> | Array<RecordProblem | null>;
  /** fields a PATCH may not set to null */
  required: string[];
  /** who points at a record of this kind: deleting it would leave them dangling */
  referencedBy: Array<{ entity: EntityTarget<ObjectLiteral>; column: string; label: string }>;
}

export const KINDS: Record<RegistryKind, KindSpec> = {
  customers: {
    entity: Customer,
    label: 'customer',
    check: (_m, rows) => checkCustomers(rows as Customer[]),
    required: ['name', 'region'],
    referencedBy: [
      { entity: Site, column: 'customerId', label: 'sites' },
      { entity: ContactRecord, column: 'customerId', label: 'contacts' },
      { entity: Contract, column: 'customerId', label: 'contracts' },
      { entity: Asset, column: 'customerId', label: 'assets' },
    ],
  },
  sites: {
    entity: Site,
    label: 'site',
    check: (m, rows) => checkSites(m, rows as Site[]),
    required: ['name', 'region'],
    referencedBy: [
      { entity: ContactRecord, column: 'siteId', label: 'contacts' },
      { entity: Asset, column: 'siteId', label: 'assets' },
    ],
  },
  contacts: {
    entity: ContactRecord,
    label: 'contact',
    check: (m, rows) => checkContacts(m, rows as ContactRecord[]),
    required: ['name', 'designated'],
    referencedBy: [],
  },
  contracts: {
    entity: Contract,
    label: 'contract',
    check: (m, rows) => checkContracts(m, rows as Contract[]),
    required: ['coverage', 'region', 'startsOn', 'endsOn'],
    referencedBy: [{ entity: Asset, column: 'contractId', label: 'assets' }],
  },
  assets: {
    entity: Asset,
    label: 'asset',
    check: (m, rows) => checkAssets(m, rows as Asset[]),
    required: ['customerId', 'model', 'serialNumber'],
    referencedBy: [],
  },
};

/** A customer token sees its own customer and what belongs to it; staff their token's region's records (global: all). */
export function customerScope(by: Principal): string | undefined {
  return visibleTo(by).customerId;
}

/** Customers, sites and contracts carry their region; contacts and assets are in their customer's. */
const OWN_REGION: RegistryKind[] = ['customers', 'sites', 'contracts'];

/** CRUD of customers, sites, contacts, contracts and assets, with the reference rules of `registry-rules`. */
@Injectable()
export class RegistryService {
  constructor(
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}

  async create(kind: RegistryKind, row: ObjectLiteral, by: Principal, idempotencyKey?: string) {
    const spec = KINDS[kind];
    return this.dataSource.transaction((m) =>
      withIdempotency(m, this.outbox.schema, `registry:${kind}:${by.subject}`, idempotencyKey, row, async () => {
        const id = idOf(row);
        if (await m.exists(spec.entity, { where: { id } })) {
          throwProblem({ status: 409, field: 'id', reason: `${spec.label} ${id} already exists` });
        }
        const [p] = await spec.check(m, [row]);
        if (p) throwProblem(p);
        await this.mustStayInScope(m, kind, row, by);
        await m.insert(spec.entity, row);
        const created = await m.findOneByOrFail(spec.entity, { id });
        if (created instanceof Contract) await this.contractSigned(m, created);
        if (created instanceof Asset) await this.outbox.append(m, await assetRegisteredEvents(m, [created], new Map(), this.clock.now()));
        return { status: 201, body: created };
      }),
    );
  }

  async list(
    kind: RegistryKind,
    where: FindOptionsWhere<ObjectLiteral>,
    by: Principal,
    limit: number,
    offset: number,
  ): Promise<Page<ObjectLiteral>> {
    const own = customerScope(by);
    if (own !== undefined) {
      const key = kind === 'customers' ? 'id' : 'customerId';
      // a filter on another customer finds nothing, rather than being silently replaced
      if (where[key] !== undefined && where[key] !== own) return { items: [], total: 0, limit, offset };
      where = { ...where, [key]: own };
    }
    const region = own === undefined ? regionScope(by) : undefined;
    if (region !== undefined && OWN_REGION.includes(kind)) {
      // a filter on another region finds nothing: `?region=` never widens the token's scope
      if (where.region !== undefined && where.region !== region) return { items: [], total: 0, limit, offset };
      where = { ...where, region };
    } else if (region !== undefined) {
      const cid: unknown = where.customerId;
      const customers = `"${this.outbox.schema}".customers`;
      where = {
        ...where,
        customerId: Raw(
          (a) => `${cid !== undefined ? `${a} = :cid AND ` : ''}${a} IN (SELECT id FROM ${customers} WHERE region = :region)`,
          {
            cid,
            region,
          },
        ),
      };
    }
    const [items, total] = await this.dataSource.manager.findAndCount(KINDS[kind].entity, {
      where,
      order: { id: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items, total, limit, offset };
  }

  async get(kind: RegistryKind, id: string, by: Principal, m: EntityManager = this.dataSource.manager): Promise<ObjectLiteral> {
    const own = customerScope(by);
    const found = await m.findOneBy(KINDS[kind].entity, { id });
    // 404 for another customer's record too: a customer must not learn that it exists
    if (!found || (own !== undefined && (kind === 'customers' ? found.id : found.customerId) !== own))
      throw notFound(KINDS[kind].label, id);
    if (!(await this.inRegion(m, kind, found, by))) throw notFound(KINDS[kind].label, id);
    return found;
  }

  /** Whether a staff token's region holds the record (a customer's own records are checked by customer). */
  private async inRegion(m: EntityManager, kind: RegistryKind, row: ObjectLiteral, by: Principal): Promise<boolean> {
    const region = customerScope(by) === undefined ? regionScope(by) : undefined;
    if (region === undefined) return true;
    if (OWN_REGION.includes(kind)) return row.region === region;
    const customer = await m.findOne(Customer, { where: { id: textOf(row, 'customerId') }, select: { id: true, region: true } });
    return customer?.region === region;
  }

  /** A write never puts a record outside the writer's region, nor under a customer of another region (refused as unknown). */
  private async mustStayInScope(m: EntityManager, kind: RegistryKind, row: ObjectLiteral, by: Principal): Promise<void> {
    const region = customerScope(by) === undefined ? regionScope(by) : undefined;
    if (region === undefined) return;
    if (kind !== 'customers') {
      const customerId = textOf(row, 'customerId');
      const customer = await m.findOne(Customer, { where: { id: customerId }, select: { id: true, region: true } });
      if (customer?.region !== region)
        throwProblem({ status: 422, field: 'customerId', reason: `customerId ${customerId ?? '(none)'}: no such customer` });
    }
    const own = textOf(row, 'region');
    if (OWN_REGION.includes(kind) && own !== region) {
      throwProblem({ status: 422, field: 'region', reason: `region ${own ?? '(none)'} is not the token's region ${region}` });
    }
  }

  /** Partial update: the merged record passes the same rules as a new one; a moved warranty end is announced. */
  async update(kind: RegistryKind, id: string, patch: ObjectLiteral, by: Principal): Promise<ObjectLiteral> {
    const spec = KINDS[kind];
    const { reason, ...changes } = patch;
    const nulls = spec.required.filter((f) => changes[f] === null);
    if (nulls.length)
      throw problemException(
        400,
        nulls.map((field) => ({ field, reason: `${field} cannot be cleared` })),
      );
    return this.dataSource.transaction(async (m) => {
      const before = await this.get(kind, id, by, m);
      const merged: ObjectLiteral = { ...before };
      for (const [k, v] of Object.entries<unknown>(changes)) if (v !== undefined) merged[k] = v;
      const [p] = await spec.check(m, [merged]);
      if (p) throwProblem(p);
      await this.mustStayInScope(m, kind, merged, by);
      const { createdAt: _c, updatedAt: _u, ...fields } = merged;
      await m.update(spec.entity, { id }, { ...fields, updatedAt: this.clock.now() });
      const after = await m.findOneByOrFail(spec.entity, { id });
      if ((after instanceof Contract || after instanceof Asset) && after.warrantyEndsOn && after.warrantyEndsOn !== before.warrantyEndsOn) {
        await this.warrantyChanged(
          m,
          after,
          after.warrantyEndsOn,
          typeof reason === 'string' ? reason : `registry update by ${by.subject}`,
        );
      }
      if (after instanceof Asset && before instanceof Asset)
        await this.outbox.append(m, await assetRegisteredEvents(m, [after], new Map([[id, before]]), this.clock.now()));
      return after;
    });
  }

  async remove(kind: RegistryKind, id: string, by: Principal): Promise<void> {
    const spec = KINDS[kind];
    await this.dataSource.transaction(async (m) => {
      await this.get(kind, id, by, m);
      const users: string[] = [];
      for (const ref of spec.referencedBy) {
        const n = await m.count(ref.entity, { where: { [ref.column]: id } });
        if (n) users.push(`${n} ${ref.label}`);
      }
      if (users.length)
        throwProblem({ status: 409, field: 'id', reason: `${spec.label} ${id} is still referenced by ${users.join(', ')}` });
      await m.delete(spec.entity, { id });
    });
  }

  /** `intake.contract.signed.v1`, with the assets already under the contract: spares drafts its purchase plan. */
  private async contractSigned(m: EntityManager, c: Contract): Promise<void> {
    const assets = await m.find(Asset, { where: { contractId: c.id }, order: { id: 'ASC' } });
    await this.outbox.append(m, [
      {
        type: 'intake.contract.signed.v1',
        aggregateType: 'contract',
        aggregateId: c.id,
        data: {
          contractId: c.id,
          customerId: c.customerId,
          region: c.region,
          coverage: c.coverage,
          startsOn: c.startsOn,
          endsOn: c.endsOn,
          ...(c.warrantyEndsOn ? { warrantyEndsOn: c.warrantyEndsOn } : {}),
          assets: assets.map((a) => ({ assetId: a.id, model: a.model, ...(a.productLine ? { productLine: a.productLine } : {}) })),
          signedAt: this.clock.now().toISOString(),
        },
      },
    ]);
  }

  /** `intake.warranty.changed.v1`: clocks and cases under the contract pick up the new end (an asset without a contract has no clocks). */
  private async warrantyChanged(m: EntityManager, rec: Contract | Asset, warrantyEndsOn: string, reason: string): Promise<void> {
    const asset = rec instanceof Asset;
    const contractId = asset ? rec.contractId : rec.id;
    if (!contractId) return;
    await this.outbox.append(m, [
      {
        type: 'intake.warranty.changed.v1',
        aggregateType: asset ? 'asset' : 'contract',
        aggregateId: rec.id,
        data: { contractId, ...(asset ? { assetId: rec.id } : {}), warrantyEndsOn, reason },
      },
    ]);
  }
}
