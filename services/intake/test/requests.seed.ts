import { DataSource } from 'typeorm';
import { Asset, ContactRecord, Contract, Customer, Site, phoneDigits } from '../src/registry';

/** Registry rows for request tests, written straight through the registry's entities. */
export interface RegistrySeed {
  customers?: Array<Partial<Customer> & { id: string }>;
  sites?: Array<Partial<Site> & { id: string; customerId: string }>;
  contacts?: Array<Partial<ContactRecord> & { id: string; customerId: string; name: string }>;
  contracts?: Array<Partial<Contract> & { id: string; customerId: string; startsOn: string; endsOn: string }>;
  assets?: Array<Partial<Asset> & { id: string; customerId: string; serialNumber: string }>;
}

export async function seedRegistry(ds: DataSource, seed: RegistrySeed): Promise<void> {
  await ds.transaction(async (m) => {
    for (const c of seed.customers ?? []) await m.save(Customer, { name: c.id, region: 'north', ...c });
    for (const s of seed.sites ?? []) await m.save(Site, { name: s.id, region: 'north', address: null, city: null, ...s });
    for (const c of seed.contacts ?? []) {
      await m.save(ContactRecord, { siteId: null, phone: null, email: null, designated: true, ...c, phoneDigits: phoneDigits(c.phone) });
    }
    for (const c of seed.contracts ?? []) {
      await m.save(Contract, {
        coverage: '7x24',
        region: 'north',
        calendarId: null,
        policyId: null,
        warrantyEndsOn: null,
        homeCity: null,
        ...c,
      });
    }
    for (const a of seed.assets ?? []) {
      await m.save(Asset, {
        siteId: null,
        contractId: null,
        model: 'X-1',
        productLine: null,
        installedOn: null,
        warrantyEndsOn: null,
        ...a,
      });
    }
  });
}
