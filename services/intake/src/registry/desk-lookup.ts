import { BadRequestException, Controller, Get, Injectable, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { WarrantyStatus } from '@aftersales/contracts';
import { Clock, CurrentPrincipal, Principal, regionScope, Roles } from '@aftersales/platform';
import { DataSource, In } from 'typeorm';
import { WarrantyLedgerView, WarrantyView } from '../warranty';
import { DeskLookupQuery } from './registry.dtos';
import { Asset, CalendarRecord, ContactRecord, Contract, Customer, Site } from './registry.entities';
import { RegistryLookup } from './registry-lookup';
import { isChargeable, warrantyStatus } from '../domain/warranty';
import { Agreement, AgreementRepository } from '../agreements/agreement.repository';
import { DeskLookupView } from '../api/responses';

export interface AssetOnCall {
  asset: Asset;
  contract: Contract | null;
  warranty: WarrantyStatus;
  /** the local date the status was judged on (the contract calendar's time zone, else UTC) */
  asOf: string;
  /** the warranty that covers the asset (its own, else its contract's) and where its end came from */
  warrantyLedger: WarrantyLedgerView | null;
  /** the maintenance agreement in force today, else the latest one */
  agreement: Agreement | null;
  /** neither warranty nor agreement: take the call, the work is paid (seed 004) */
  chargeable: boolean;
}

export interface DeskMatch {
  customer: Customer;
  /** the contacts the caller matched (for a serial: the customer's designated reporters) */
  contacts: ContactRecord[];
  sites: Site[];
  contracts: Array<Contract & { inForce: boolean; warranty: WarrantyStatus; asOf: string; warrantyLedger: WarrantyLedgerView | null }>;
  assets: AssetOnCall[];
}

export interface DeskLookupResult {
  query: { phone?: string; email?: string; serial?: string };
  matches: DeskMatch[];
}

const MAX_ROWS = 200;

/** `YYYY-MM-DD` of an instant in a time zone. */
export function localDate(t: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(t);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

interface Rows {
  customers: Customer[];
  sites: Site[];
  contracts: Contract[];
  assets: Asset[];
  designated: ContactRecord[];
}

interface Screen {
  today: (c: Contract | null) => string;
  agreementOf: (a: Asset, today: string) => Agreement | null;
  ledgerOf: (a: Asset | null, c: Contract | null) => WarrantyLedgerView | null;
}

/** Exactly one of phone, e-mail and serial (400 otherwise). */
function oneKey(q: DeskLookupQuery): 'phone' | 'email' | 'serial' {
  const given = (['phone', 'email', 'serial'] as const).filter((k) => q[k] !== undefined && q[k] !== '');
  const [key] = given;
  if (key === undefined || given.length !== 1) {
    throw new BadRequestException({
      statusCode: 400,
      message: 'validation failed',
      errors: [{ field: given.length ? given.join(',') : 'phone', reason: 'give exactly one of phone, email or serial' }],
    });
  }
  return key;
}

/** One customer on the screen: its callers, sites, contracts and assets, each with its coverage today. */
function matchOf(customer: Customer, contacts: ContactRecord[], rows: Rows, screen: Screen): DeskMatch {
  const { today, agreementOf, ledgerOf } = screen;
  const own = rows.contracts.filter((c) => c.customerId === customer.id);
  // as RegistryLookup.contractFor: the asset's own contract, else the one in force, else the latest
  const contractOf = (a: Asset) =>
    a.contractId
      ? (own.find((c) => c.id === a.contractId) ?? null)
      : (own.find((c) => c.startsOn <= today(c) && today(c) <= c.endsOn) ?? own[0] ?? null);
  return {
    customer,
    contacts: contacts.filter((c) => c.customerId === customer.id),
    sites: rows.sites.filter((s) => s.customerId === customer.id),
    contracts: own.map((c) => {
      const asOf = today(c);
      return {
        ...c,
        inForce: c.startsOn <= asOf && asOf <= c.endsOn,
        warranty: warrantyStatus(asOf, null, c),
        asOf,
        warrantyLedger: ledgerOf(null, c),
      };
    }),
    assets: rows.assets
      .filter((a) => a.customerId === customer.id)
      .map((a) => {
        const contract = contractOf(a);
        const asOf = today(contract);
        const agreement = agreementOf(a, asOf);
        const inForce = agreement && agreement.startsOn <= asOf && asOf <= agreement.endsOn ? agreement : null;
        const warranty = warrantyStatus(asOf, a, contract, inForce);
        return {
          asset: a,
          contract,
          warranty,
          asOf,
          warrantyLedger: ledgerOf(a, contract),
          agreement,
          chargeable: isChargeable(warranty),
        };
      }),
  };
}

/** The agent's screen during a call: who is calling, for which customer, about what, and is it covered today. */
@Injectable()
export class DeskLookupService {
  constructor(
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly lookup: RegistryLookup,
    private readonly ledger: WarrantyView,
    private readonly agreements: AgreementRepository,
  ) {}

  async find(q: DeskLookupQuery, by: Principal): Promise<DeskLookupResult> {
    const key = oneKey(q);
    const { contacts, asset } = await this.callers(q);
    const found = asset ? [asset.customerId] : [...new Set(contacts.map((c) => c.customerId))];
    const customerIds = await this.inScope(found, by);
    if (!customerIds.length) return { query: { [key]: q[key] }, matches: [] };
    const rows = await this.load(customerIds, asset);
    const screen = await this.screenOf(rows);
    const callers = contacts.filter((c) => customerIds.includes(c.customerId));
    const matches = rows.customers.map((customer) => matchOf(customer, asset ? rows.designated : callers, rows, screen));
    return { query: { [key]: q[key] }, matches };
  }

  /** The contacts a phone number or e-mail address names, or the asset a serial number names. */
  private async callers(q: DeskLookupQuery): Promise<{ contacts: ContactRecord[]; asset: Asset | null }> {
    if (q.phone) return { contacts: await this.lookup.contactsByPhone(q.phone), asset: null };
    if (q.email) return { contacts: await this.lookup.contactsByEmail(q.email), asset: null };
    return { contacts: [], asset: await this.lookup.assetBySerial(q.serial!.trim()) };
  }

  /** The registry rows of the matched customers (for a serial: its asset and the designated reporters). */
  private async load(customerIds: string[], asset: Asset | null): Promise<Rows> {
    const m = this.dataSource.manager;
    const order = { id: 'ASC' } as const;
    const [customers, sites, contracts, assets, designated] = await Promise.all([
      m.find(Customer, { where: { id: In(customerIds) }, order }),
      m.find(Site, { where: { customerId: In(customerIds) }, order, take: MAX_ROWS }),
      m.find(Contract, { where: { customerId: In(customerIds) }, order: { endsOn: 'DESC', id: 'ASC' } }),
      asset ? Promise.resolve([asset]) : m.find(Asset, { where: { customerId: In(customerIds) }, order, take: MAX_ROWS }),
      asset ? m.find(ContactRecord, { where: { customerId: asset.customerId, designated: true }, order, take: MAX_ROWS }) : [],
    ]);
    return { customers, sites, contracts, assets, designated };
  }

  /** What the screen judges coverage by: each contract's local today, the warranties and the agreements. */
  private async screenOf({ contracts, assets }: Rows): Promise<Screen> {
    const zones = await this.zonesOf(contracts);
    const now = this.clock.now();
    const ledgers = await this.ledgersOf(contracts, assets);
    const agreements = await this.agreements.forAssets(
      this.dataSource.manager,
      assets.map((a) => a.id),
    );
    return {
      today: (c) => localDate(now, (c?.calendarId && zones.get(c.calendarId)) || 'UTC'),
      agreementOf: (a, today) => {
        const own = agreements.filter((x) => x.assetId === a.id);
        const found = own.find((x) => x.startsOn <= today && today <= x.endsOn) ?? own[0];
        if (!found) return null;
        const { assetId: _, ...agreement } = found;
        return agreement;
      },
      ledgerOf: (a, c) => (a?.warrantyEndsOn ? ledgers.get(`asset:${a.id}`) : c ? ledgers.get(`contract:${c.id}`) : undefined) ?? null,
    };
  }

  /** Callers of customers in the token's region only: another region's callers are unknown here. */
  private async inScope(customerIds: string[], by: Principal): Promise<string[]> {
    const region = regionScope(by);
    if (region === undefined || !customerIds.length) return customerIds;
    const rows = await this.dataSource.manager.find(Customer, { where: { id: In(customerIds), region }, select: { id: true } });
    return rows.map((c) => c.id);
  }

  /** Every warranty on the screen: the assets' own and the contracts'. */
  private ledgersOf(contracts: Contract[], assets: Asset[]) {
    return this.ledger.of([
      ...contracts.map((c) => ({ type: 'contract' as const, id: c.id, endsOn: c.warrantyEndsOn })),
      ...assets.filter((a) => a.warrantyEndsOn).map((a) => ({ type: 'asset' as const, id: a.id, endsOn: a.warrantyEndsOn })),
    ]);
  }

  private async zonesOf(contracts: Contract[]): Promise<Map<string, string>> {
    const ids = [...new Set(contracts.map((c) => c.calendarId).filter((id): id is string => !!id))];
    if (!ids.length) return new Map();
    const calendars = await this.dataSource.manager.find(CalendarRecord, { where: { id: In(ids) } });
    return new Map(calendars.map((c) => [c.id, c.definition.timeZone]));
  }
}

@ApiTags('desk')
@ApiBearerAuth()
@Controller('desk')
export class DeskLookupController {
  constructor(private readonly desk: DeskLookupService) {}

  /** Unknown callers are not an error: the agent records them as new. */
  @Get('lookup')
  @Roles('agent', 'engineer', 'manager', 'admin')
  @ApiOkResponse({ type: DeskLookupView })
  lookup(@Query() q: DeskLookupQuery, @CurrentPrincipal() by: Principal): Promise<DeskLookupResult> {
    return this.desk.find(q, by);
  }
}
