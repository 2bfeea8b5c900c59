import { InProcessBus } from '@aftersales/messaging';
import { startEmbeddedPostgres, EmbeddedPostgresHandle } from '@aftersales/persistence';
import { RunningService, signDevToken, startService } from '@aftersales/platform';
import { JsonLogger } from '@aftersales/observability';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { DESK_SERVICES, DeskService, deskSettingsFromEnv, RunningDesk, startDeskServer } from './desk-server';
import { LiveFeed } from './live-feed';
import { DEV_JWT_SECRET } from './dev-secret';
import { ALL_SERVICES } from './services';

export { DEV_JWT_SECRET };

export interface AllInOne {
  services: RunningService[];
  databaseUrl: string;
  embedded?: EmbeddedPostgresHandle;
  bus: InProcessBus;
  /** the agent desk and customer portal (apps/desk), on the port base itself (3000 by default) */
  desk: RunningDesk;
  stop(): Promise<void>;
}

/** Fails with the listen error (EADDRINUSE, EACCES, carrying the port) when `port` cannot be bound. */
function assertPortFree(port: number): Promise<void> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', (e: NodeJS.ErrnoException) => fail(Object.assign(e, { port })));
    srv.listen(port, '0.0.0.0', () => srv.close(() => ok()));
  });
}

/** Connections per service in the all-in-one unless DB_POOL_SIZE says otherwise (escalation keeps its default). */
export const ALL_IN_ONE_POOL_SIZE = 4;

/**
 * The monolithic mode: the six services in one process, each its own Nest application, schema and
 * port, joined by the in-process bus that their outboxes feed. Postgres is embedded unless
 * DATABASE_URL points elsewhere.
 */
export async function startAllInOne(env: NodeJS.ProcessEnv = process.env): Promise<AllInOne> {
  const dataDir = resolve(env.AFTERSALES_DATA_DIR ?? '.data');
  const portBase = Number(env.AFTERSALES_PORT_BASE ?? 3000);
  const region = env.REGION ?? 'local';
  const log = new JsonLogger({ service: 'all-in-one', region }, (env.LOG_LEVEL as 'info') ?? 'info');
  // before the database starts: a port taken by an earlier start is the most common failure
  if (portBase !== 0) {
    const smtp = Number(env.INTAKE_SMTP_PORT ?? portBase + 25);
    for (const port of [...ALL_SERVICES.map((_, i) => portBase + i + 1), ...(smtp ? [smtp] : [])]) await assertPortFree(port);
  }
  let embedded: EmbeddedPostgresHandle | undefined;
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port: Number(env.EMBEDDED_PG_PORT ?? 54329) });
    databaseUrl = embedded.url;
    log.log(`embedded PostgreSQL ready (data in ${join(dataDir, 'postgres')})`, 'all-in-one');
  }
  const bus = new InProcessBus();
  const services: RunningService[] = [];
  let desk: RunningDesk | undefined;
  // AFTERSALES_SCHEMA_PREFIX=t1_ puts the six schemas at t1_intake, t1_case… (several systems in one database)
  const schemaPrefix = env.AFTERSALES_SCHEMA_PREFIX ?? '';
  const stop = async () => {
    await desk?.close();
    // stop every relay first, so no event is half delivered, then the services, then the database
    await Promise.all(services.map((s) => s.stopRelay()));
    for (const s of [...services].reverse()) await s.close();
    await bus.close();
    await embedded?.stop();
  };
  try {
    for (const [i, def] of ALL_SERVICES.entries()) {
      const port = portBase === 0 ? 0 : portBase + i + 1;
      services.push(
        await startService(def, {
          bus,
          databaseUrl,
          env: {
            JWT_SECRET: DEV_JWT_SECRET,
            // intake's e-mail channel listens next to the HTTP ports (3025 by default)
            INTAKE_SMTP_PORT: portBase === 0 ? '0' : String(portBase + 25),
            // survey's invitation links point at its own answer form
            SURVEY_LINK_BASE_URL: `http://localhost:${portBase === 0 ? 3005 : portBase + 5}/answer`,
            // one node thread cannot use more: four connections each (no transaction takes a second,
            // docs/performance.md), escalation the default its firing workers and burst staging size from
            ...(def.name === 'escalation' ? {} : { DB_POOL_SIZE: String(ALL_IN_ONE_POOL_SIZE) }),
            ...env,
            PORT: String(port),
            DATABASE_URL: databaseUrl,
            ...(schemaPrefix ? { DB_SCHEMA: `${schemaPrefix}${def.name}` } : {}),
            KAFKA_BROKERS: undefined,
          },
        }),
      );
    }
    const upstreams = Object.fromEntries(DESK_SERVICES.map((n) => [n, services.find((s) => s.name === n)!.url])) as Record<
      DeskService,
      string
    >;
    const secret = env.JWT_SECRET ?? DEV_JWT_SECRET;
    desk = await startDeskServer({
      ...deskSettingsFromEnv(env, { port: portBase === 0 ? 0 : portBase, upstreams, devSecret: secret }),
      // the desk hears case and clock changes on the same in-process bus (server-sent events at /live)
      live: await LiveFeed.fromBus(bus),
      auth: services[0]?.runtime.config.auth,
    });
  } catch (e) {
    await stop().catch(() => undefined);
    throw e;
  }
  return { services, databaseUrl, embedded, bus, desk, stop };
}

export async function devToken(env: NodeJS.ProcessEnv, role: 'agent' | 'admin' = 'agent'): Promise<string> {
  return signDevToken(env.JWT_SECRET ?? DEV_JWT_SECRET, { sub: `dev-${role}`, roles: [role], region: env.REGION ?? 'local' });
}
