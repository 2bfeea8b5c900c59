import { InProcessBus } from '@aftersales/messaging';
import { ManualClock } from '@aftersales/platform';
import { caseOpened, deliver, startTestService, TestService, tokenFor, upstreamEvent } from '@aftersales/testing';
import { randomUUID } from 'node:crypto';
import { sparesService } from '../src/spares.service-definition';

const HOUR = 3_600_000;

/**
 * Issue 14: a part's needed-by follows what the case's SLA policy says (the on-site, else the
 * resolution deadline of its clocks, as escalation announced them), not only a severity table.
 */
describe('needed-by from the case’s SLA policy (real PostgreSQL, over the bus)', () => {
  const clock = new ManualClock('2026-03-02T01:00:00Z');
  let t: TestService;
  let admin: string;

  beforeAll(async () => {
    t = await startTestService(sparesService, { bus: new InProcessBus(), clock, env: { SPARES_SWEEP_MS: '0' } });
    admin = await tokenFor('admin', { global: true });
    const ok = async (path: string, body: unknown) => expect((await t.http('POST', path, { token: admin, body })).status).toBe(201);
    await ok('/parts', {
      partNumber: 'HDD-4T',
      description: '4 TB disk',
      partClass: 'disk',
      compatibleModels: [],
      unitCost: '600.00',
      contractPrice: '900.00',
    });
    await ok('/depots', { id: 'N-BJ', name: 'Beijing', region: 'north', home: true });
    await ok('/depots/N-BJ/stock-in', { partNumber: 'HDD-4T', quantity: 5, reason: 'initial stock' });
  });
  afterAll(() => t?.stop());

  async function openCase(severity: 'P1' | 'P3', clocks: Array<{ target: string; hours: number }>) {
    const c = caseOpened({ severity, openedAt: clock.now().toISOString() });
    await deliver(t.bus, upstreamEvent('case.opened.v1', c.caseId, c));
    for (const k of clocks) {
      const data = {
        clockId: randomUUID(),
        caseId: c.caseId,
        region: 'north',
        severity,
        target: k.target,
        startedAt: clock.now().toISOString(),
        dueAt: new Date(clock.now().getTime() + k.hours * HOUR).toISOString(),
      };
      await deliver(t.bus, upstreamEvent('escalation.clock.started.v1', c.caseId, data));
    }
    return c.caseId;
  }
  const request = async (caseId: string) =>
    (await t.http('POST', '/part-requests', { token: admin, body: { caseId, partNumber: 'HDD-4T', quantity: 1 } })).body.neededBy;

  it('takes the on-site deadline first, else the resolution deadline, else the severity table', async () => {
    const onsite = await openCase('P3', [
      { target: 'ladder:resolution', hours: 24 },
      { target: 'onsite', hours: 6 },
      { target: 'response', hours: 1 },
    ]);
    expect(await request(onsite)).toBe(new Date(clock.now().getTime() + 6 * HOUR).toISOString());
    const resolution = await openCase('P3', [{ target: 'resolution', hours: 30 }]);
    expect(await request(resolution)).toBe(new Date(clock.now().getTime() + 30 * HOUR).toISOString());
    const none = await openCase('P3', []);
    expect(await request(none)).toBe(new Date(clock.now().getTime() + 72 * HOUR).toISOString()); // SPARES_NEEDED_BY_HOURS P3
  });
});
