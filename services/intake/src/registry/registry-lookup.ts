import { Injectable } from '@nestjs/common';
import { BusinessCalendar } from '@aftersales/calendar';
import type { ContractTerms, WarrantyStatus } from '@aftersales/contracts';
import { DataSource, EntityManager, In } from 'typeorm';
import { Agreement, AgreementRepository } from '../agreements/agreement.repository';
import { Asset, CalendarRecord, ContactRecord, Contract, Customer, phoneDigits } from './registry.entities';
import { warrantyStatus } from '../domain/warranty';

/** Everything intake knows about who is calling about what, resolved from the registry. */
export interface CallerContext {
  customer: Customer | null;
  contact: ContactRecord | null;
  asset: Asset | null;
  contract: Contract | null;
  warranty: WarrantyStatus;
  /** the maintenance agreement covering the asset today, if any */
  agreement: Agreement | null;
  /** the terms copied onto the request and case (clocks read them from the case) */
  terms: ContractTerms | undefined;
}

/** Read side of the registry used by every channel: caller lookup, asset by serial, warranty, calendar. */
@Injectable()
export class RegistryLookup {
  constructor(
    private readonly dataSource: DataSource,
    private readonly agreements: AgreementRepository,
  ) {}

  /** set on the copy `within` returns */
  private manager?: EntityManager;

  private get m(): EntityManager {
    return this.manager ?? this.dataSource.manager;
  }

  /** The same lookups read inside the caller's transaction (no connection of their own). */
  within(m: EntityManager): RegistryLookup {
    const bound = new RegistryLookup(this.dataSource, this.agreements);
    bound.manager = m;
    return bound;
  }

  /** Contacts whose phone matches the caller's number (exact digits, else the last 8 digits). */
  async contactsByPhone(phone: string): Promise<ContactRecord[]> {
    const digits = phoneDigits(phone);
    if (!digits) return [];
    const exact = await this.m.find(ContactRecord, { where: { phoneDigits: digits }, order: { id: 'ASC' } });
    if (exact.length || digits.length < 8) return exact;
    return this.m
      .createQueryBuilder(ContactRecord, 'c')
      .where('right(c.phone_digits, 8) = right(:digits, 8)', { digits })
      .orderBy('c.id')
      .getMany();
  }

  async contactsByEmail(email: string): Promise<ContactRecord[]> {
    return this.m.createQueryBuilder(ContactRecord, 'c').where('lower(c.email) = lower(:email)', { email }).orderBy('c.id').getMany();
  }

  /** A caller who gave only a name: the customer's contacts of that name (the caller decides what one or several mean). */
  async contactsNamed(customerId: string, name: string): Promise<ContactRecord[]> {
    return this.m
      .createQueryBuilder(ContactRecord, 'c')
      .where('c.customer_id = :customerId AND lower(trim(c.name)) = lower(trim(:name))', { customerId, name })
      .orderBy('c.id')
      .getMany();
  }

  async assetBySerial(serialNumber: string): Promise<Asset | null> {
    return this.m.findOneBy(Asset, { serialNumber });
  }

  async customer(id: string): Promise<Customer | null> {
    return this.m.findOneBy(Customer, { id });
  }

  /** The contract in force for this customer (and asset, when known) on `today`, else the latest one. */
  async contractFor(customerId: string, asset: Asset | null, today: string): Promise<Contract | null> {
    if (asset?.contractId) return this.m.findOneBy(Contract, { id: asset.contractId });
    const all = await this.m.find(Contract, { where: { customerId }, order: { endsOn: 'DESC', id: 'ASC' } });
    return all.find((c) => c.startsOn <= today && today <= c.endsOn) ?? all[0] ?? null;
  }

  /** The contract's business calendar; 7x24 contracts (and customers without one) are always open. */
  async calendarFor(contract: Contract | null): Promise<BusinessCalendar> {
    if (!contract || contract.coverage === '7x24' || !contract.calendarId) return BusinessCalendar.always();
    const rec = await this.m.findOneBy(CalendarRecord, { id: contract.calendarId });
    return rec ? new BusinessCalendar(rec.definition) : BusinessCalendar.always();
  }

  /**
   * Resolves a caller: the customer (given, or from the contact), the asset by serial (only if it
   * belongs to that customer), the contract in force and the warranty status on `today`.
   */
  async resolve(o: { customerId?: string; contactId?: string; serialNumber?: string; today: string }): Promise<CallerContext> {
    const contact = o.contactId ? await this.m.findOneBy(ContactRecord, { id: o.contactId }) : null;
    const customerId = o.customerId ?? contact?.customerId;
    const customer = customerId ? await this.customer(customerId) : null;
    let asset = o.serialNumber ? await this.assetBySerial(o.serialNumber) : null;
    if (asset && customerId && asset.customerId !== customerId) asset = null; // never reveal another customer's asset
    const contract = customerId ? await this.contractFor(customerId, asset, o.today) : null;
    const agreement = asset ? await this.agreementFor(asset.id, o.today) : null;
    const warranty = warrantyStatus(o.today, asset, contract, agreement);
    // out of warranty under an agreement, its coverage, calendar and policy are what the case runs on
    const byAgreement = agreement && warranty === 'under-contract' ? agreementTerms(agreement, contract) : undefined;
    return {
      customer,
      contact: contact && (!customerId || contact.customerId === customerId) ? contact : null,
      asset,
      contract,
      warranty,
      agreement,
      terms: byAgreement ?? (contract ? termsOf(contract, asset) : undefined),
    };
  }

  /** The agreement covering the asset on `today`. */
  async agreementFor(assetId: string, today: string): Promise<Agreement | null> {
    const all = await this.agreements.forAssets(this.m, [assetId]);
    return all.find((a) => a.startsOn <= today && today <= a.endsOn) ?? null;
  }

  async assetsOf(customerIds: string[]): Promise<Asset[]> {
    if (!customerIds.length) return [];
    return this.m.find(Asset, { where: { customerId: In(customerIds) }, order: { id: 'ASC' }, take: 200 });
  }
}

export function termsOf(contract: Contract, asset: Asset | null): ContractTerms {
  const warrantyEndsOn = asset?.warrantyEndsOn ?? contract.warrantyEndsOn ?? undefined;
  return {
    contractId: contract.id,
    coverage: contract.coverage,
    ...(contract.calendarId ? { calendarId: contract.calendarId } : {}),
    ...(contract.policyId ? { policyId: contract.policyId } : {}),
    ...(warrantyEndsOn ? { warrantyEndsOn } : {}),
  };
}

/** The terms of a case under a maintenance agreement (its contract, else the agreement itself, names it). */
export function agreementTerms(a: Agreement, contract: Contract | null): ContractTerms {
  return {
    contractId: a.contractId ?? contract?.id ?? a.id,
    coverage: a.coverage,
    ...(a.calendarId ? { calendarId: a.calendarId } : {}),
    ...(a.policyId ? { policyId: a.policyId } : {}),
  };
}
