/**
 * The demo data set behind `npm run seed` and `npm start -- --demo`: enough registry for the
 * printed "Try it" request to end in an assigned case with a running SLA clock and recorded
 * notices. Loaded through the public APIs with an admin token; loading it twice changes nothing.
 */

export interface DemoUrls {
  intake: string;
  case: string;
  notify: string;
}

export const DEMO = {
  customerId: 'C-DEMO',
  serialNumber: 'SN-DEMO-0001',
  contactEmail: 'li.wei@northbank.example',
} as const;

type Step = { url: string; path: string; method: 'POST' | 'PUT'; body: Record<string, unknown> };

function steps(u: DemoUrls, region: string): Step[] {
  const post = (url: string, path: string, body: Record<string, unknown>): Step => ({ url, path, method: 'POST', body });
  const engineer = (id: string, name: string, tier: string, grade: string, senior = false) =>
    post(u.case, '/engineers', { id, name, tier, grade, senior, region, skills: ['storage'] });
  const recipient = (role: string, address: string, channel = 'email'): Step => ({
    url: u.notify,
    path: '/role-recipients',
    method: 'PUT',
    body: { region, role, channel, address },
  });
  return [
    post(u.intake, '/calendars', {
      id: 'CAL-DEMO-WORKWEEK',
      timeZone: 'Asia/Shanghai',
      kind: 'business-hours',
      weekly: Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [{ start: '09:00', end: '18:00' }]])),
      holidays: [{ date: '2027-01-01', name: 'New Year' }],
    }),
    post(u.intake, '/customers', { id: DEMO.customerId, name: 'North Bank (demo)', region }),
    post(u.intake, '/sites', { id: 'S-DEMO-DC', customerId: DEMO.customerId, name: 'North Bank data centre', city: 'Beijing' }),
    post(u.intake, '/contacts', {
      id: 'K-DEMO-LI',
      customerId: DEMO.customerId,
      siteId: 'S-DEMO-DC',
      name: 'Li Wei',
      phone: '+86 10 5555 0100',
      email: DEMO.contactEmail,
      designated: true,
    }),
    // around the clock, so the clock runs whenever you try it; the business-hours one shows a calendar in use
    post(u.intake, '/contracts', {
      id: 'K-DEMO-7X24',
      customerId: DEMO.customerId,
      coverage: '7x24',
      policyId: 'ladder-b',
      startsOn: '2026-01-01',
      endsOn: '2030-12-31',
    }),
    post(u.intake, '/contracts', {
      id: 'K-DEMO-OFFICE',
      customerId: DEMO.customerId,
      coverage: 'business-hours',
      calendarId: 'CAL-DEMO-WORKWEEK',
      policyId: 'ladder-a',
      startsOn: '2026-01-01',
      endsOn: '2030-12-31',
    }),
    post(u.intake, '/assets', {
      id: 'A-DEMO-1',
      customerId: DEMO.customerId,
      siteId: 'S-DEMO-DC',
      contractId: 'K-DEMO-7X24',
      model: 'OceanStor 5500',
      productLine: 'storage',
      serialNumber: DEMO.serialNumber,
      warrantyEndsOn: '2029-12-31',
    }),
    engineer('E-DEMO-WANG', 'Wang Expert', 'L3', 'technical-expert', true),
    engineer('E-DEMO-SUN', 'Sun Second', 'L3', 'system-engineer'),
    engineer('E-DEMO-ZHAO', 'Zhao Field', 'L2', 'product-engineer'),
    engineer('E-DEMO-LI', 'Li Hotline', 'L1', 'product-engineer'),
    recipient('customer-service-manager', 'csm@aftersales.example'),
    recipient('manager1', 'manager1@aftersales.example'),
    recipient('senior-engineer', 'wang.expert@aftersales.example'),
    recipient('service-delivery-manager', 'sdm@aftersales.example'),
    recipient('hotline-engineer', 'hotline', 'in-app'),
  ];
}

export class SeedError extends Error {
  override name = 'SeedError';
}

/** Loads the demo data set; returns what it did, one line per step. Already there (409) counts as done. */
export async function seedDemo(u: DemoUrls, adminToken: string, region: string): Promise<string[]> {
  const done: string[] = [];
  for (const s of steps(u, region)) {
    let res: Response;
    try {
      res = await fetch(s.url + s.path, {
        method: s.method,
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(s.body),
      });
    } catch {
      throw new SeedError(
        `nothing answers at ${s.url}: start aftersales first (\`npm start\`, same AFTERSALES_PORT_BASE), then \`npm run seed\``,
      );
    }
    const id = String(s.body.id ?? s.body.role);
    const why = (await res.text()).slice(0, 300);
    if (res.status === 409 || (res.status === 422 && /already exists/.test(why))) done.push(`${s.path} ${id}: already there`);
    else if (res.ok) done.push(`${s.path} ${id}: ${s.method === 'PUT' ? 'set' : 'created'}`);
    else {
      const hint = res.status === 401 ? ' (the token was signed with another JWT_SECRET than the running aftersales uses)' : '';
      throw new SeedError(`${s.method} ${s.url}${s.path} answered ${res.status}${hint}: ${why}`);
    }
  }
  return done;
}
