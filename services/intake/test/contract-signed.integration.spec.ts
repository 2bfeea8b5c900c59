import { InProcessBus } from '@aftersales/messaging';
import { ManualClock } from '@aftersales/platform';
import { recordTopic, startTestService, TestService, waitFor } from '@aftersales/testing';
import { intakeService } from '../src/intake.service-definition';

/** A contract created in the registry is announced as signed (spares drafts its purchase plan from it). */
describe('intake: intake.contract.signed.v1 on contract creation (real PostgreSQL)', () => {
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  let t: TestService;
  let published: Awaited<ReturnType<typeof recordTopic>>;
  beforeAll(async () => {
    const bus = new InProcessBus();
    published = await recordTopic(bus, 'aftersales.intake.requests.v1');
    t = await startTestService(intakeService, { bus, clock, env: { INTAKE_HANDOFF_SWEEP_MS: '0' } });
    expect((await t.http('POST', '/customers', { role: 'agent', body: { id: 'C-NB', name: 'North Bank', region: 'north' } })).status).toBe(
      201,
    );
  });
  afterAll(() => t.stop());

  it('announces the contract, with its terms and signing time, in the transaction that created it', async () => {
    const body = {
      id: 'K-NB',
      customerId: 'C-NB',
      coverage: '7x24',
      startsOn: '2026-03-01',
      endsOn: '2028-02-28',
      warrantyEndsOn: '2027-02-28',
    };
    expect((await t.http('POST', '/contracts', { role: 'admin', body })).status).toBe(201);
    const signed = await waitFor('the contract announced', () => published.find((e) => e.type === 'intake.contract.signed.v1'));
    expect(signed.subject).toBe('K-NB');
    expect(signed.data).toEqual({
      contractId: 'K-NB',
      customerId: 'C-NB',
      region: 'north',
      coverage: '7x24',
      startsOn: '2026-03-01',
      endsOn: '2028-02-28',
      warrantyEndsOn: '2027-02-28',
      assets: [],
      signedAt: '2026-03-02T09:00:00.000Z',
    });
    // a refused contract announces nothing
    expect((await t.http('POST', '/contracts', { role: 'admin', body })).status).toBe(409);
    const [{ n }] = await t.service.runtime.dataSource.query(
      `SELECT count(*)::int AS n FROM "${t.schema}".outbox WHERE event_type = 'intake.contract.signed.v1'`,
    );
    expect(n).toBe(1);
  });
});
