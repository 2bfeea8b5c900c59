import { EventEnvelope } from '@aftersales/contracts';
import { InProcessBus } from '@aftersales/messaging';
import { ManualClock } from '@aftersales/platform';
import { eventOf, recordTopic, startTestService, TestService, tokenFor, waitForHandled } from '@aftersales/testing';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the registry's real events: intake beside spares on one bus
import { intakeService } from '@aftersales/service-intake';
import { sparesService } from '../src/spares.service-definition';
import { seedPartsAndHomeDepot } from './seed';

const DAY = 86_400_000;

/**
 * Issue 14: plans were often empty because assets are registered after the contract is signed.
 * Intake now announces an asset that comes under a contract (`intake.asset.registered.v1`), and
 * spares adds the model's parts to the contract's draft plan — or drafts a new one when the first
 * was stocked in already.
 */
describe('purchase plans follow assets registered after the contract (intake and spares, one bus)', () => {
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  let intake: TestService;
  let spares: TestService;
  let intakeEvents: EventEnvelope[];
  let admin: string;

  beforeAll(async () => {
    const bus = new InProcessBus({ retryBackoffMs: [10] });
    intakeEvents = await recordTopic(bus, 'aftersales.intake.requests.v1');
    [intake, spares] = await Promise.all([
      startTestService(intakeService, { bus, clock, env: { INTAKE_HANDOFF_SWEEP_MS: '0' } }),
      startTestService(sparesService, { bus, clock, env: { SPARES_SWEEP_MS: '0' } }),
    ]);
    admin = await tokenFor('admin', { sub: 'admin-1', global: true });
    await seedPartsAndHomeDepot(spares, admin);
    expect(
      (await intake.http('POST', '/customers', { token: admin, body: { id: 'C-NB', name: 'North Bank', region: 'north' } })).status,
    ).toBe(201);
  }, 60_000);
  afterAll(async () => {
    for (const s of [intake, spares]) await s?.service.runtime.relay.drain().catch(() => undefined);
    for (const s of [intake, spares]) await s?.stop();
  });

  const plans = async () =>
    (await spares.http('GET', '/purchase-plans?contractId=K-NB', { token: admin })).body.items as Array<{
      id: string;
      state: string;
      dueAt: string;
      lines: Array<{ partNumber: string; quantity: number }>;
    }>;
  const assetEvent = async (assetId: string, change: string) => {
    const handled = await waitForHandled(spares, eventOf('intake.asset.registered.v1', { assetId, change }));
    return handled;
  };

  it('fills the empty plan of a contract signed before its assets were registered', async () => {
    const contract = { id: 'K-NB', customerId: 'C-NB', coverage: '7x24', startsOn: '2026-03-01', endsOn: '2028-02-28' };
    expect((await intake.http('POST', '/contracts', { token: admin, body: contract })).status).toBe(201);
    await waitForHandled(spares, eventOf('intake.contract.signed.v1', { contractId: 'K-NB' }));
    expect(await plans()).toEqual([expect.objectContaining({ state: 'drafted', lines: [], dueAt: '2026-03-09T09:00:00.000Z' })]);

    const asset = (id: string, model: string) => ({ id, customerId: 'C-NB', contractId: 'K-NB', model, serialNumber: `SN-${id}` });
    expect((await intake.http('POST', '/assets', { token: admin, body: asset('A-1', 'OceanStor 5500') })).status).toBe(201);
    expect((await intake.http('POST', '/assets', { token: admin, body: asset('A-2', 'OceanStor 5500') })).status).toBe(201);
    await assetEvent('A-2', 'registered');
    expect((await plans())[0]?.lines).toEqual([
      { partNumber: 'CTRL-5500', quantity: 2 },
      { partNumber: 'HDD-4T', quantity: 2 },
    ]);
    // an asset under no contract, or a change that is not its contract or model, announces nothing
    expect(
      (await intake.http('POST', '/assets', { token: admin, body: { ...asset('A-3', 'OceanStor 2200'), contractId: undefined } })).status,
    ).toBe(201);
    expect((await intake.http('PATCH', '/assets/A-1', { token: admin, body: { serialNumber: 'SN-A-1b' } })).status).toBe(200);
    expect(intakeEvents.filter((e) => e.type === 'intake.asset.registered.v1').map((e) => (e.data as { assetId: string }).assetId)).toEqual(
      ['A-1', 'A-2'],
    );
  });

  it('applies a redelivered asset event once', async () => {
    const event = intakeEvents.find((e) => e.type === 'intake.asset.registered.v1')!;
    await spares.bus.publish('aftersales.intake.requests.v1', [event]);
    await waitForHandled(spares, (e) => e.id === event.id, { outcomes: ['duplicate'] });
    expect((await plans())[0]?.lines).toEqual([
      { partNumber: 'CTRL-5500', quantity: 2 },
      { partNumber: 'HDD-4T', quantity: 2 },
    ]);
  });

  it('after the plan was stocked in, an asset moved onto the contract gets a new draft due a week from then', async () => {
    const [first] = await plans();
    if (!first) throw new Error('the contract has no purchase plan yet');
    const stocked = await spares.http('POST', `/purchase-plans/${first.id}/stock-in`, { token: admin, body: { depotId: 'N-BJ' } });
    expect(stocked.body.state).toBe('stocked-in');
    clock.advance(20 * DAY);
    expect((await intake.http('PATCH', '/assets/A-3', { token: admin, body: { contractId: 'K-NB' } })).status).toBe(200);
    await assetEvent('A-3', 'changed');
    const all = await plans();
    expect(all).toHaveLength(2);
    const second = all.find((p) => p.id !== first.id)!;
    expect(second).toMatchObject({
      state: 'drafted',
      dueAt: new Date(clock.now().getTime() + 7 * DAY).toISOString(),
      lines: [
        { partNumber: 'HDD-4T', quantity: 1 },
        { partNumber: 'PSU-750', quantity: 1 },
      ],
    });
  });
});
