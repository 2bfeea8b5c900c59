import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { dropSchema } from '@aftersales/persistence';
import {
  ChildHandle,
  parentWatchdogPreload,
  REPO_ROOT,
  resolveTestKafka,
  spawnLogged,
  TEST_JWT_SECRET,
  testDatabaseUrl,
  TestKafka,
  TS_REGISTER,
  waitFor,
} from '@aftersales/testing';

/**
 * `npm run start:distributed` as an operator runs it (issue 17, item 5): real services over Kafka
 * (librdkafka's mock unless KAFKA_BROKERS is set), ports from AFTERSALES_PORT_BASE, and one
 * service killed with -9 and restarted under it while the other keeps serving.
 */
const BASE = Number(process.env.AFTERSALES_PORT_BASE ?? 45000);
const tag = randomBytes(4).toString('hex');
const schemas = { spares: `sd${tag}_spares`, survey: `sd${tag}_survey` };

describe('start:distributed: ports from the environment, one service restarted alone', () => {
  let kafka: TestKafka;
  let supervisor: ChildHandle;

  beforeAll(async () => {
    kafka = await resolveTestKafka();
    supervisor = spawnLogged(
      'start-distributed',
      process.execPath,
      ['-r', parentWatchdogPreload(), '-r', TS_REGISTER, join(REPO_ROOT, 'apps/all-in-one/src/distributed.ts')],
      {
        env: {
          ...process.env,
          KAFKA_BROKERS: kafka.brokers.join(','),
          KAFKA_IDEMPOTENT: kafka.kind === 'env' ? 'true' : 'false',
          DATABASE_URL: testDatabaseUrl(),
          JWT_SECRET: TEST_JWT_SECRET,
          REGION: 'north',
          LOG_LEVEL: 'warn',
          AFTERSALES_SERVICES: 'spares,survey',
          AFTERSALES_PORT_BASE: String(BASE),
          PORT: '1', // never forced on every service
          SPARES_DB_SCHEMA: schemas.spares,
          SURVEY_DB_SCHEMA: schemas.survey,
        },
      },
    );
  }, 60_000);

  afterAll(async () => {
    if (supervisor?.running()) await supervisor.kill9();
    await kafka?.stop();
    for (const s of Object.values(schemas)) await dropSchema(testDatabaseUrl(), s).catch(() => undefined);
  }, 60_000);

  const live = async (port: number) => {
    try {
      return (await fetch(`http://127.0.0.1:${port}/health/live`)).status === 200;
    } catch {
      return false;
    }
  };
  /** the pid of every start of `service` the supervisor logged, first to last */
  const startsOf = (service: string): number[] =>
    [...supervisor.log().matchAll(new RegExp(`${service} started \\(pid (\\d+), port (\\d+)\\)`, 'g'))].map((m) => Number(m[1]));
  const pidOf = (service: string, after = 0): number | undefined => {
    const all = startsOf(service);
    return all.length > after ? all.at(-1) : undefined;
  };

  it('serves each service on AFTERSALES_PORT_BASE + its place, restarts a killed one and leaves the other running', async () => {
    // spares is the 4th service, survey the 5th
    await waitFor('spares and survey live', async () => (await live(BASE + 4)) && (await live(BASE + 5)), {
      timeoutMs: 120_000,
      intervalMs: 250,
    });
    const spares = pidOf('spares')!;
    const survey = pidOf('survey')!;
    expect(spares).toBeGreaterThan(0);
    // a start that failed on a busy machine was already restarted: count from what is logged now
    const sparesStarts = startsOf('spares').length;

    process.kill(spares, 'SIGKILL');
    await supervisor.waitForLog(/spares exited \(SIGKILL\); restarting/, 20_000);
    expect(await live(BASE + 5)).toBe(true); // survey never noticed
    const restarted = await waitFor('spares started again', () => pidOf('spares', sparesStarts), { timeoutMs: 30_000 });
    expect(restarted).not.toBe(spares);
    await waitFor('spares live again', () => live(BASE + 4), { timeoutMs: 120_000, intervalMs: 250 });
    expect(pidOf('survey')).toBe(survey);
    expect(supervisor.running()).toBe(true);

    // SIGTERM to the supervisor stops both cleanly
    const exit = await supervisor.stop(30_000);
    expect(exit).toEqual({ code: 0, signal: null });
    const alive = [restarted, survey].filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
  }, 300_000);
});
