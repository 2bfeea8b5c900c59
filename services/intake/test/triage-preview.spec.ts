import { InProcessBus } from '@aftersales/messaging';
import { ManualClock } from '@aftersales/platform';
import { startTestService, TestService, tokenFor } from '@aftersales/testing';
import { intakeService } from '../src/intake.service-definition';
import { seedRegistry } from './requests.seed';

/** The symptom form's live suggestion at the desk and in the portal: the rules of `POST /requests`, nothing filed. */
describe('intake GET /desk/triage (real PostgreSQL)', () => {
  let t: TestService;
  const clock = new ManualClock('2026-03-10T02:00:00Z');

  beforeAll(async () => {
    t = await startTestService(intakeService, { bus: new InProcessBus(), clock, env: { INTAKE_HANDOFF_SWEEP_MS: '0' } });
    await seedRegistry(t.service.runtime.dataSource, {
      customers: [
        { id: 'C-BANK', name: 'North Bank' },
        { id: 'C-SHOP', name: 'Corner Shop' },
      ],
      contracts: [
        { id: 'K-BANK-7x24', customerId: 'C-BANK', coverage: '7x24', policyId: 'LADDER_B', startsOn: '2025-01-01', endsOn: '2027-12-31' },
      ],
      assets: [
        {
          id: 'A-BANK-1',
          customerId: 'C-BANK',
          contractId: 'K-BANK-7x24',
          model: 'OceanStor 5500',
          productLine: 'storage',
          serialNumber: 'SN-BANK-1',
          warrantyEndsOn: '2026-12-31',
        },
        {
          id: 'A-SHOP-1',
          customerId: 'C-SHOP',
          model: 'PowerEdge R740',
          productLine: 'server',
          serialNumber: 'SN-SHOP-1',
          warrantyEndsOn: '2025-06-30',
        },
      ],
    });
  });
  afterAll(() => t.stop());

  const preview = async (query: string, token?: string) =>
    t.http('GET', `/desk/triage?${query}`, { token: token ?? (await tokenFor('agent')) });

  it('suggests P1 on site for a system down hardware fault under a 7x24 contract', async () => {
    const res = await preview('customerId=C-BANK&serialNumber=SN-BANK-1&impact=system-down&faultKind=hardware');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      suggestedSeverity: 'P1',
      severityWhy: 'whole system down or unusable',
      suggestedServiceMode: 'on-site',
      warranty: 'in-warranty',
      coverage: '7x24',
    });
  });

  it('suggests paid service out of warranty, and nothing about severity without a symptom form', async () => {
    const res = await preview('customerId=C-SHOP&serialNumber=SN-SHOP-1&faultKind=hardware');
    expect(res.body).toMatchObject({ suggestedSeverity: null, suggestedServiceMode: 'paid', warranty: 'expired', coverage: null });
  });

  it('keeps a customer to its own assets: another customer’s serial tells it nothing', async () => {
    const shop = await tokenFor('customer', { customerId: 'C-SHOP' });
    const res = await preview('customerId=C-BANK&serialNumber=SN-BANK-1&impact=degraded&faultKind=hardware', shop);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ suggestedSeverity: 'P2', coverage: null });
    expect(res.body.warranty).not.toBe('in-warranty');
  });

  it('names the field of a bad value', async () => {
    const res = await preview('impact=on-fire');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('impact');
  });
});
