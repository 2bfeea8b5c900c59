import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { dropSchema, uniqueSchema } from '@aftersales/persistence';
import {
  ChildHandle,
  freePort,
  httpJson,
  nth,
  parentWatchdogPreload,
  REPO_ROOT,
  spawnLogged,
  TEST_JWT_SECRET,
  testDatabaseUrl,
  TS_REGISTER,
  waitFor,
  waitForReady,
  withLogsOnFailure,
} from '@aftersales/testing';
import { DueEventKind, dueEvents, LADDER_B, planRungs, Severity } from '../src/domain';
import { ALWAYS_OPEN } from '../src/policies/calendar-store';

/**
 * Two escalation replicas as two OS processes on one schema, each with its own in-process bus
 * (the escalation events are counted where they are written: the outbox). Replica A is killed
 * with SIGKILL while both are firing a backlog of overdue P1 clocks, then comes back; meanwhile
 * more clocks fall due. Every warning, breach and rung must have fired exactly once: one
 * `clock_firings` row and one outbox event per (clock, event) of the plan, none missing, none
 * doubled — and every outbox row relayed (the relay lock moves to the survivor). A burst of
 * clocks due together a few seconds ahead is staged (written ahead, held open until it falls due)
 * when A dies, so the kill also rolls back staged work that the survivors must fire.
 */
const MIN = 60_000;
const OVERDUE = 400; // P1 opened 5 h ago: warning, breach, rungs 0, 1, 2 (+ vendor case) each
const SOON = 200; // first events due over the next ~8 s
const SOON_SPREAD_MS = 8_000;
const BURST = 300; // P2 whose warnings all fall due within one staging window, 4 s ahead
const BURST_WINDOW_MS = 500;
const FIRING_ENV = {
  ESCALATION_FIRING_BATCH: '5',
  ESCALATION_FIRING_INTERVAL_MS: '20',
  ESCALATION_FIRING_CONCURRENCY: '2',
  ESCALATION_FIRING_LOOKAHEAD_MS: '6000',
  ESCALATION_FIRING_WINDOW_MS: String(BURST_WINDOW_MS),
  ESCALATION_FIRING_DENSE: '50',
  ESCALATION_FIRING_STAGED: '2',
  ESCALATION_FIRING_STAGE_BATCH: '100',
};

interface Clock {
  id: string;
  caseId: string;
  severity: Severity;
  startedAt: number;
}

const TYPES: Record<DueEventKind, string> = {
  warning: 'escalation.warning.v1',
  breach: 'escalation.target.breached.v1',
  rung: 'escalation.rung.reached.v1',
};

/** What the plan says must have fired by `at`: `clock|key` → event types in the outbox. */
function expectedBy(clocks: Clock[], at: number): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of clocks) {
    const plan = planRungs({
      policy: LADDER_B,
      severity: c.severity,
      calendar: ALWAYS_OPEN,
      startedAt: new Date(c.startedAt),
      now: new Date(at),
    });
    for (const e of dueEvents(plan)) {
      if (e.at.getTime() > at) continue;
      const types = [TYPES[e.kind]];
      if (e.kind === 'rung' && plan.rungs[e.rungIndex as number]?.action === 'open-vendor-case')
        types.push('escalation.vendor-case.required.v1');
      out.set(`${c.id}|${e.key}`, types.sort());
    }
  }
  return out;
}

describe('escalation: two replicas as processes, kill -9 of one while firing — every event exactly once', () => {
  const url = testDatabaseUrl();
  const schema = uniqueSchema('esc_crash');
  const logDir = mkdtempSync(join(tmpdir(), 'aftersales-esc-crash-'));
  const handles: ChildHandle[] = [];
  let db: Client;

  async function replica(name: string): Promise<{ handle: ChildHandle; url: string }> {
    const port = await freePort();
    const handle = spawnLogged(
      name,
      process.execPath,
      ['-r', parentWatchdogPreload(), '-r', TS_REGISTER, join(REPO_ROOT, 'services', 'escalation', 'src', 'main.ts')],
      {
        logDir,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NODE_ENV: 'test',
          PORT: String(port),
          REGION: 'north',
          DATABASE_URL: url,
          DB_SCHEMA: schema,
          DB_POOL_SIZE: '6',
          JWT_SECRET: TEST_JWT_SECRET,
          LOG_LEVEL: 'warn',
          OUTBOX_POLL_MS: '200',
          ...FIRING_ENV,
        },
      },
    );
    handles.push(handle);
    const m = await handle.waitForLog(/"msg":"listening on (http:\/\/[^"]+)"/, 60_000);
    const listening = m[1]!; // the pattern captures it
    await waitForReady(listening, handle, 60_000);
    return { handle, url: listening };
  }

  /** Sum of a metric's series on a replica's /metrics (0 when it does not answer). */
  async function metricOf(replicaUrl: string, name: string): Promise<number> {
    const r = await httpJson(`${replicaUrl}/metrics`, { timeoutMs: 2_000 }).catch(() => ({ body: '' }));
    const lines = String(r.body)
      .split('\n')
      .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
    return lines.reduce((s, l) => s + Number(l.split(' ').pop()), 0);
  }
  const firedBy = (replicaUrl: string) => metricOf(replicaUrl, 'aftersales_escalation_events_fired_total');

  beforeAll(async () => {
    db = new Client({ connectionString: url });
    await db.connect();
  });

  afterAll(async () => {
    await Promise.all(handles.filter((h) => h.running()).map((h) => h.stop(10_000)));
    await db?.end().catch(() => undefined);
    await dropSchema(url, schema).catch(() => undefined);
  });

  it(
    'fires every warning, breach and rung of 900 clocks once, across a SIGKILL (with a burst staged) and a restart',
    () =>
      withLogsOnFailure(
        () => handles,
        async () => {
          // A first (it runs the migrations), then B on the same schema
          const a = await replica('escalation-a');
          const b = await replica('escalation-b');

          const now = Date.now();
          const clocks: Clock[] = [
            ...Array.from({ length: OVERDUE }, (): Clock => ({
              id: randomUUID(),
              caseId: randomUUID(),
              severity: 'P1',
              startedAt: now - 5 * 60 * MIN,
            })),
            // P1 whose breach and first rung fall due soon (warning already overdue), P2 whose warning falls due soon
            ...Array.from({ length: SOON }, (_, i): Clock => {
              const dueIn = 1_000 + Math.round((i / SOON) * SOON_SPREAD_MS);
              return i % 2
                ? { id: randomUUID(), caseId: randomUUID(), severity: 'P1', startedAt: now + dueIn - 10 * MIN }
                : { id: randomUUID(), caseId: randomUUID(), severity: 'P2', startedAt: now + dueIn - 48 * MIN };
            }),
            ...Array.from({ length: BURST }, (_, i): Clock => {
              const burstAt = (Math.floor((now + 4_000) / BURST_WINDOW_MS) + 1) * BURST_WINDOW_MS;
              const dueAt = burstAt + Math.floor((i / BURST) * (BURST_WINDOW_MS - 1));
              return { id: randomUUID(), caseId: randomUUID(), severity: 'P2', startedAt: dueAt - 48 * MIN };
            }),
          ];
          const first = (c: Clock) =>
            nth(
              dueEvents(
                planRungs({
                  policy: LADDER_B,
                  severity: c.severity,
                  calendar: ALWAYS_OPEN,
                  startedAt: new Date(c.startedAt),
                  now: new Date(c.startedAt),
                }),
              ),
              0,
            );
          await db.query(
            `INSERT INTO "${schema}".sla_clocks (id, case_id, region, severity, target, episode, state, started_at, due_at, next_due_at,
                                                policy_id, policy_version, calendar_id)
           SELECT id, case_id, 'north', sev, 'ladder', 1, 'running', st, st + interval '10 minutes', nd, 'ladder-b', 1, '7x24'
             FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::timestamptz[]) AS c(id, case_id, sev, st, nd)`,
            [
              clocks.map((c) => c.id),
              clocks.map((c) => c.caseId),
              clocks.map((c) => c.severity),
              clocks.map((c) => new Date(c.startedAt)),
              clocks.map((c) => first(c).at),
            ],
          );

          // kill A the moment it is seen firing the overdue backlog with part of the burst staged
          await waitFor(
            'replica A to fire and to hold a staged batch',
            async () =>
              (await firedBy(a.url)) > 0 && (await metricOf(a.url, 'aftersales_escalation_firing_staged_open')) > 0 ? true : undefined,
            { timeoutMs: 20_000, intervalMs: 10 },
          );
          const killedAt = Date.now();
          const exit = await a.handle.kill9();
          expect(exit.signal).toBe('SIGKILL');

          // A comes back while the soon-due clocks fall due; B has carried on alone meanwhile
          const a2 = await replica('escalation-a2');

          const settled = now + 1_000 + SOON_SPREAD_MS + 1_000; // after the burst too (due ~4-5 s after now)
          const expected = expectedBy(clocks, settled + 60_000); // nothing else falls due within the next minute
          expect(expectedBy(clocks, settled).size).toBe(expected.size);
          await waitFor(
            'every planned event fired and relayed',
            async () => {
              if (Date.now() < settled) return undefined;
              const [r] = (
                await db.query(
                  `SELECT (SELECT count(*) FROM "${schema}".clock_firings)::int AS fired,
                        (SELECT count(*) FROM "${schema}".outbox WHERE sent_at IS NULL)::int AS unsent`,
                )
              ).rows;
              return r.fired >= expected.size && r.unsent === 0 ? true : undefined;
            },
            { timeoutMs: 30_000, intervalMs: 200 },
          );
          // two more passes of each replica after that: nothing may fire twice
          const passes = (url: string) => metricOf(url, 'aftersales_escalation_firing_passes_total');
          const since = { b: await passes(b.url), a2: await passes(a2.url) };
          await waitFor(
            'two more firing passes of both replicas',
            async () => ((await passes(b.url)) >= since.b + 2 && (await passes(a2.url)) >= since.a2 + 2 ? true : undefined),
            { timeoutMs: 10_000, intervalMs: 50 },
          );

          const firings: Array<{ clock_id: string; event_key: string }> = (
            await db.query(`SELECT clock_id, event_key FROM "${schema}".clock_firings`)
          ).rows;
          const firedKeys = firings.map((f) => `${f.clock_id}|${f.event_key}`).sort();
          expect(firedKeys).toEqual([...expected.keys()].sort());

          const outbox: Array<{ type: string; key: string; n: number }> = (
            await db.query(
              `SELECT event_type AS type, (payload->>'clockId') || '|' || (payload->>'eventKey') AS key, count(*)::int AS n
               FROM "${schema}".outbox GROUP BY 1, 2`,
            )
          ).rows;
          expect(outbox.filter((o) => o.n !== 1)).toEqual([]); // none doubled
          const got = new Map<string, string[]>();
          for (const o of outbox) got.set(o.key, [...(got.get(o.key) ?? []), o.type].sort());
          expect(new Map([...got.entries()].sort())).toEqual(new Map([...expected.entries()].sort())); // none missing, none extra
          // 900 clocks: 400 × 5 overdue (6 events), 100 P1 × (overdue warning, soon breach and rung 0), 100 P2 × (soon warning),
          // 300 P2 × (burst warning)
          expect(expected.size).toBe(OVERDUE * 5 + (SOON / 2) * 3 + SOON / 2 + BURST);

          // what fell due after the kill was fired by the survivors (B, and A once back), not lost with A
          const dueAfterKill = expectedBy(clocks, settled).size - expectedBy(clocks, killedAt).size;
          expect(dueAfterKill).toBeGreaterThan(0);
          expect((await firedBy(b.url)) + (await firedBy(a2.url))).toBeGreaterThanOrEqual(dueAfterKill);
        },
      ),
    90_000,
  );
});
