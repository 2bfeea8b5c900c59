import { EntityManager, EntityTarget, FindOptionsSelect, In, ObjectLiteral } from 'typeorm';
import { Asset, CalendarRecord, ContactRecord, Contract, Customer, phoneDigits, Site } from './registry.entities';
import type { CreateAssetDto, CreateContactDto, CreateContractDto, CreateCustomerDto, CreateSiteDto } from './registry.dtos';
import type { RecordProblem } from './registry-problems';

/**
 * The registry's reference rules, shared by the REST API (one record) and the CSV import (thousands):
 * every check is one query per 1000 records, never one per record.
 */

export type CustomerRow = Pick<Customer, 'id' | 'name' | 'region'>;
export type SiteRow = Pick<Site, 'id' | 'customerId' | 'name' | 'address' | 'city' | 'region'>;
export type ContactRow = Pick<ContactRecord, 'id' | 'customerId' | 'siteId' | 'name' | 'phone' | 'phoneDigits' | 'email' | 'designated'>;
export type ContractRow = Pick<
  Contract,
  'id' | 'customerId' | 'coverage' | 'region' | 'calendarId' | 'policyId' | 'startsOn' | 'endsOn' | 'warrantyEndsOn' | 'homeCity'
>;
export type AssetRow = Pick<
  Asset,
  'id' | 'customerId' | 'siteId' | 'contractId' | 'model' | 'productLine' | 'serialNumber' | 'installedOn' | 'warrantyEndsOn'
>;

/** Region left empty: filled from the customer's region by the checks. */
const INHERIT = '';

export function customerRow(d: CreateCustomerDto, defaultRegion: string): CustomerRow {
  return { id: d.id, name: d.name, region: d.region ?? defaultRegion };
}
export function siteRow(d: CreateSiteDto): SiteRow {
  return {
    id: d.id,
    customerId: d.customerId,
    name: d.name,
    address: d.address ?? null,
    city: d.city ?? null,
    region: d.region ?? INHERIT,
  };
}
export function contactRow(d: CreateContactDto): ContactRow {
  return {
    id: d.id,
    customerId: d.customerId,
    siteId: d.siteId ?? null,
    name: d.name,
    phone: d.phone ?? null,
    phoneDigits: phoneDigits(d.phone),
    email: d.email ?? null,
    designated: d.designated ?? true,
  };
}
export function contractRow(d: CreateContractDto): ContractRow {
  return {
    id: d.id,
    customerId: d.customerId,
    coverage: d.coverage,
    region: d.region ?? INHERIT,
    calendarId: d.calendarId ?? null,
    policyId: d.policyId ?? null,
    startsOn: d.startsOn,
    endsOn: d.endsOn,
    warrantyEndsOn: d.warrantyEndsOn ?? null,
    homeCity: d.homeCity ?? null,
  };
}
export function assetRow(d: CreateAssetDto): AssetRow {
  return {
    id: d.id,
    customerId: d.customerId,
    siteId: d.siteId ?? null,
    contractId: d.contractId ?? null,
    model: d.model,
    productLine: d.productLine ?? null,
    serialNumber: d.serialNumber,
    installedOn: d.installedOn ?? null,
    warrantyEndsOn: d.warrantyEndsOn ?? null,
  };
}

const CHUNK = 1000;

/** Rows of `entity` whose `key` is one of `values`, keyed by that column (one query per 1000 values). */
export async function loadBy<T extends ObjectLiteral>(
  m: EntityManager,
  entity: EntityTarget<T>,
  key: keyof T & string,
  values: Iterable<string | null | undefined>,
  select?: FindOptionsSelect<T>,
): Promise<Map<string, T>> {
  const wanted = [...new Set([...values].filter((v): v is string => !!v))];
  const found = new Map<string, T>();
  for (let i = 0; i < wanted.length; i += CHUNK) {
    const rows = await m.find(entity, { where: { [key]: In(wanted.slice(i, i + CHUNK)) } as never, select });
    for (const r of rows) {
      const v: unknown = r[key];
      if (typeof v === 'string') found.set(v, r);
    }
  }
  return found;
}

type Problems = Array<RecordProblem | null>;

const unknown = (field: string, kind: string, id: string): RecordProblem => ({
  status: 422,
  field,
  reason: `${field} ${id}: no such ${kind}`,
});
const otherCustomers = (field: string, kind: string, id: string, customerId: string): RecordProblem => ({
  status: 422,
  field,
  reason: `${field} ${id}: the ${kind} belongs to another customer than ${customerId}`,
});

async function customersOf(m: EntityManager, rows: Array<{ customerId: string }>): Promise<Map<string, Customer>> {
  return loadBy(
    m,
    Customer,
    'id',
    rows.map((r) => r.customerId),
    { id: true, region: true },
  );
}

/** Customers have no references: nothing to check. */
export function checkCustomers(rows: CustomerRow[]): Problems {
  return rows.map(() => null);
}

export async function checkSites(m: EntityManager, rows: SiteRow[]): Promise<Problems> {
  const customers = await customersOf(m, rows);
  return rows.map((r) => {
    const c = customers.get(r.customerId);
    if (!c) return unknown('customerId', 'customer', r.customerId);
    if (!r.region) r.region = c.region;
    return null;
  });
}

export async function checkContacts(m: EntityManager, rows: ContactRow[]): Promise<Problems> {
  const customers = await customersOf(m, rows);
  const sites = await loadBy(
    m,
    Site,
    'id',
    rows.map((r) => r.siteId),
    { id: true, customerId: true },
  );
  return rows.map((r) => {
    r.phoneDigits = phoneDigits(r.phone); // always derived, whatever the caller sent
    if (!customers.has(r.customerId)) return unknown('customerId', 'customer', r.customerId);
    return siteProblem(r, sites);
  });
}

function siteProblem(r: { customerId: string; siteId: string | null }, sites: Map<string, Site>): RecordProblem | null {
  if (!r.siteId) return null;
  const s = sites.get(r.siteId);
  if (!s) return unknown('siteId', 'site', r.siteId);
  if (s.customerId !== r.customerId) return otherCustomers('siteId', 'site', r.siteId, r.customerId);
  return null;
}

export async function checkContracts(m: EntityManager, rows: ContractRow[]): Promise<Problems> {
  const customers = await customersOf(m, rows);
  const calendars = await loadBy(
    m,
    CalendarRecord,
    'id',
    rows.map((r) => r.calendarId),
    { id: true },
  );
  return rows.map((r) => {
    const c = customers.get(r.customerId);
    if (!c) return unknown('customerId', 'customer', r.customerId);
    if (r.endsOn < r.startsOn) return { status: 422, field: 'endsOn', reason: `endsOn ${r.endsOn} is before startsOn ${r.startsOn}` };
    if (r.coverage === 'business-hours' && !r.calendarId) {
      return { status: 422, field: 'calendarId', reason: 'a business-hours contract needs the calendar its clocks run on' };
    }
    if (r.calendarId && !calendars.has(r.calendarId)) return unknown('calendarId', 'calendar', r.calendarId);
    if (!r.region) r.region = c.region;
    return null;
  });
}

export async function checkAssets(m: EntityManager, rows: AssetRow[]): Promise<Problems> {
  const customers = await customersOf(m, rows);
  const sites = await loadBy(
    m,
    Site,
    'id',
    rows.map((r) => r.siteId),
    { id: true, customerId: true },
  );
  const contracts = await loadBy(
    m,
    Contract,
    'id',
    rows.map((r) => r.contractId),
    { id: true, customerId: true },
  );
  const serials = await loadBy(
    m,
    Asset,
    'serialNumber',
    rows.map((r) => r.serialNumber),
    { id: true, serialNumber: true },
  );
  return rows.map((r) => {
    if (!customers.has(r.customerId)) return unknown('customerId', 'customer', r.customerId);
    const site = siteProblem(r, sites);
    if (site) return site;
    if (r.contractId) {
      const k = contracts.get(r.contractId);
      if (!k) return unknown('contractId', 'contract', r.contractId);
      if (k.customerId !== r.customerId) return otherCustomers('contractId', 'contract', r.contractId, r.customerId);
    }
    const holder = serials.get(r.serialNumber);
    if (holder && holder.id !== r.id) {
      return { status: 409, field: 'serialNumber', reason: `serial number ${r.serialNumber} is already asset ${holder.id}` };
    }
    return null;
  });
}
