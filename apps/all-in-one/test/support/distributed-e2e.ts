import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  DistributedSystem,
  resolveTestKafka,
  SERVICE_NAMES,
  TEST_JWT_SECRET,
  testDatabaseUrl,
  TestKafka,
  tokenFor,
  withLogsOnFailure,
} from '@aftersales/testing';
import { dropSchemas, ensureTopics, Schemas } from './flow';

/** Kafka from KAFKA_BROKERS when set, else librdkafka's mock cluster. */
export const KAFKA_KIND = process.env.KAFKA_BROKERS?.trim() ? 'env' : 'mock';

/**
 * The six services as separate processes over Kafka, each in its own schema of the test
 * database, as the distributed e2e tests run them: `start()` in beforeAll, `stop()` in
 * afterAll, test bodies wrapped in `guarded` so that a failure prints the services' logs (and
 * keeps them on disk).
 */
export class DistributedE2e {
  readonly tag = randomBytes(4).toString('hex');
  readonly logDir: string;
  private kafka: TestKafka | undefined;
  private sys: DistributedSystem | undefined;
  private client: Client | undefined;
  schemas: Schemas;
  token: string;
  private failed = false;

  constructor(
    private readonly name: string,
    /** variables for all six services, e.g. a shorter KAFKA_SESSION_TIMEOUT_MS */
    private readonly env: NodeJS.ProcessEnv = {},
  ) {
    this.logDir = mkdtempSync(join(tmpdir(), `aftersales-${name}-`));
  }

  get system(): DistributedSystem {
    if (!this.sys) throw new Error('the distributed system is not started');
    return this.sys;
  }

  get db(): Client {
    if (!this.client) throw new Error('no database connection: not started');
    return this.client;
  }

  guarded = <T>(fn: () => Promise<T>): Promise<T> =>
    withLogsOnFailure(() => this.sys?.handles() ?? [], fn).catch((e) => {
      this.failed = true;
      throw e;
    });

  start(): Promise<void> {
    return this.guarded(async () => {
      this.kafka = await resolveTestKafka();
      if (this.kafka.kind !== KAFKA_KIND) throw new Error(`expected Kafka ${KAFKA_KIND}, got ${this.kafka.kind}`);
      await ensureTopics(this.kafka);
      const system = new DistributedSystem({
        brokers: this.kafka.brokers,
        databaseUrl: testDatabaseUrl(),
        schemaPrefix: `e2e${this.tag}`,
        jwtSecret: TEST_JWT_SECRET,
        region: 'north',
        logDir: this.logDir,
        idempotent: this.kafka.kind === 'env',
        env: this.env,
      });
      this.sys = system;
      this.schemas = Object.fromEntries(SERVICE_NAMES.map((n) => [n, system.schemaOf(n)])) as unknown as Schemas;
      this.client = new Client({ connectionString: testDatabaseUrl() });
      await this.client.connect();
      this.token = await tokenFor('agent', { region: 'north' });
      const started = Date.now();
      await system.startAll();
      console.log(
        `${this.name} (${KAFKA_KIND}): six services ready in ${((Date.now() - started) / 1000).toFixed(1)} s; logs in ${this.logDir}`,
      );
    });
  }

  async stop(): Promise<void> {
    const system = this.sys;
    await system?.stopAll(10_000).catch(() => undefined);
    await this.kafka?.stop().catch(() => undefined);
    await this.client?.end().catch(() => undefined);
    if (system)
      await dropSchemas(
        testDatabaseUrl(),
        SERVICE_NAMES.map((n) => system.schemaOf(n)),
      ).catch(() => undefined);
    if (!this.failed && !process.env.AFTERSALES_E2E_KEEP_LOGS) rmSync(this.logDir, { recursive: true, force: true });
  }
}
