import { EventBus, InProcessBus } from '@aftersales/messaging';
import { uniqueSchema, dropSchema } from '@aftersales/persistence';
import { Clock, Role, RunningService, ServiceDefinition, signDevToken, startService } from '@aftersales/platform';

export const TEST_JWT_SECRET = 'aftersales-test-secret-0123456789';

export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through jest (its global setup provides one)');
  return url;
}

export function tokenFor(
  role: Role,
  o: { region?: string; customerId?: string; sub?: string; global?: boolean; ttl?: string } = {},
): Promise<string> {
  return signDevToken(
    TEST_JWT_SECRET,
    { sub: o.sub ?? `test-${role}`, roles: [role], region: o.region ?? 'north', customerId: o.customerId, global: o.global },
    o.ttl,
  );
}

export interface TestService {
  service: RunningService;
  schema: string;
  bus: EventBus;
  /** fetch JSON from the service with a token of the given role */
  http(
    method: string,
    path: string,
    o?: { body?: unknown; role?: Role; token?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

/** Starts one service on a random port in its own fresh schema of the test database (or in `o.schema`). */
export async function startTestService(
  def: ServiceDefinition,
  o: {
    bus?: EventBus;
    region?: string;
    env?: NodeJS.ProcessEnv;
    /** run in this existing schema (e.g. a second replica of another test service); `stop()` leaves it in place */
    schema?: string;
    /** e.g. a ManualClock for business-hour rules */
    clock?: Clock;
  } = {},
): Promise<TestService> {
  const schema = o.schema ?? uniqueSchema(def.name);
  const ownsSchema = o.schema === undefined;
  const bus = o.bus ?? new InProcessBus();
  const url = testDatabaseUrl();
  const service = await startService(def, {
    bus,
    clock: o.clock,
    handlerHistory: 10_000,
    databaseUrl: url,
    env: {
      JWT_SECRET: TEST_JWT_SECRET,
      PORT: '0',
      REGION: o.region ?? 'north',
      DB_SCHEMA: schema,
      LOG_LEVEL: 'warn',
      OUTBOX_POLL_MS: '100',
      DB_POOL_SIZE: '5',
      ...o.env,
    },
  });
  return {
    service,
    schema,
    bus,
    async http(method, path, r = {}) {
      const token = r.token ?? (await tokenFor(r.role ?? 'agent'));
      const res = await fetch(service.url + path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...r.headers,
        },
        body: r.body === undefined ? undefined : typeof r.body === 'string' ? r.body : JSON.stringify(r.body),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, body, headers: res.headers };
    },
    async stop() {
      await service.close();
      if (ownsSchema) await dropSchema(url, schema);
    },
  };
}

/**
 * `startTestService` for the tests of the `describe` it is called in: starts the service in a
 * `beforeAll` (so after hooks declared before it, e.g. recorders on `o.bus`) and stops it in an
 * `afterAll` (unless a test stopped it). The answer stands for the running service once its tests run.
 */
export function useTestService(def: ServiceDefinition, o: Parameters<typeof startTestService>[1] = {}): TestService {
  let started: TestService | undefined;
  const current = (): TestService => {
    if (!started) throw new Error(`${def.name} is not started yet: use it in a test or in a beforeAll declared after it`);
    return started;
  };
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= current().stop());
  beforeAll(async () => {
    started = await startTestService(def, o);
  });
  afterAll(() => (started ? stop() : undefined));
  return {
    get service() {
      return current().service;
    },
    get schema() {
      return current().schema;
    },
    get bus() {
      return current().bus;
    },
    http: (method, path, r) => current().http(method, path, r),
    stop,
  };
}
