import { DynamicModule, INestApplication, LoggerService, Module, Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { EventCatalog } from '@aftersales/contracts';
import { json, text } from 'express';
import { ConfigError, loadServiceConfig, ServiceConfig, ServiceSettingsSchema } from '@aftersales/config';
import {
  attachRowAuditOnce,
  AuditContextSubscriber,
  AuditLog1700000017500,
  AuditRowChanges1700000017600,
  AuditTrail,
  EventBus,
  EventBusServer,
  HandlerSpy,
  InProcessBus,
  Inbox,
  KafkaBus,
  KafkaSecurityError,
  Outbox,
  OutboxRelay,
  RetentionSweep,
  RowAuditPolicy,
} from '@aftersales/messaging';
import { AccessEntry, JsonLogger, PlatformMetrics } from '@aftersales/observability';
import { accessLog } from './access-log';
import { openServiceDataSource } from '@aftersales/persistence';
import { DataSource } from 'typeorm';
import { AuthGuard, TokenVerifier } from './auth';
import { bodyParseErrors, ProblemFilter } from './errors';
import { InputPipe, jsonDepthGuard } from './input-guards';
import { documentContract } from './api-contract';
import { HttpMetricsInterceptor } from './http-metrics.interceptor';
import { HealthController, MetricsController } from './platform.controllers';
import { AuditController, auditScope } from './audit.controller';
import { SERVICE_CONFIG, SERVICE_LOGGER, SERVICE_RUNTIME, SERVICE_SETTINGS, ServiceRuntime } from './runtime';
import { Clock, systemClock } from './clock';

export interface ServiceDefinition {
  name: string;
  title: string;
  defaultPort: number;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
  /** the service's own Nest module; it injects DataSource, Outbox, Inbox, Clock, SERVICE_CONFIG, SERVICE_SETTINGS */
  module: Type<unknown>;
  /** the service's own variables, validated at start with the shared ones; injected as SERVICE_SETTINGS */
  configSchema?: ServiceSettingsSchema;
  /** what the row-level audit leaves out (ADR 0009): every other table of the schema is audited */
  audit?: RowAuditPolicy;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  /** all-in-one passes one in-process bus shared by the six services */
  bus?: EventBus;
  /** all-in-one passes the embedded PostgreSQL */
  databaseUrl?: string;
  logger?: LoggerService;
  host?: string;
  /** tests pass a ManualClock; everything else runs on the system clock */
  clock?: Clock;
  /** how many handler outcomes the spy keeps (tests wait on them) */
  handlerHistory?: number;
}

export interface RunningService {
  name: string;
  url: string;
  app: INestApplication;
  runtime: ServiceRuntime;
  /** what the event handlers did: tests wait on it instead of sleeping */
  handlers: HandlerSpy;
  /** stops publishing first, so a shutdown never leaves a half-delivered batch */
  stopRelay(): Promise<void>;
  close(): Promise<void>;
}

/** A component's logger: the service's logger with the component as context. */
function scoped(logger: LoggerService, context: string) {
  return {
    log: (m: string): void => void logger.log(m, context),
    warn: (m: string): void => void logger.warn(m, context),
    error: (m: string): void => void logger.error(m, undefined, context),
  };
}

function createBus(config: ServiceConfig, logger: LoggerService): EventBus {
  if (!config.kafka) return new InProcessBus();
  return new KafkaBus({
    brokers: config.kafka.brokers,
    clientId: `${config.kafka.clientId}-${config.region}`,
    idempotent: config.kafka.idempotent,
    tls: config.kafka.tls,
    sasl: config.kafka.sasl,
    consumer: {
      sessionTimeout: config.kafka.sessionTimeoutMs,
      heartbeatInterval: Math.min(3000, Math.floor(config.kafka.sessionTimeoutMs / 3)),
    },
    logger: scoped(logger, 'kafka'),
  });
}

const isAccessLogger = (l: LoggerService): l is LoggerService & { access(e: AccessEntry): void } =>
  typeof (l as { access?: unknown }).access === 'function';

/** A Kafka TLS or SASL file that cannot be read is a configuration error naming its variable. */
function busOrConfigError(create: () => EventBus): EventBus {
  try {
    return create();
  } catch (e) {
    if (e instanceof KafkaSecurityError) throw new ConfigError([{ variable: e.variable, reason: e.message.slice(e.variable.length + 2) }]);
    throw e;
  }
}

/** What a service is made of before Nest: configuration, bus, database, relay and retention sweep. */
interface Parts {
  runtime: ServiceRuntime;
  logger: LoggerService;
  ownsBus: boolean;
  retention: RetentionSweep;
}

async function assembleRuntime(def: ServiceDefinition, opts: StartOptions): Promise<Parts> {
  const config: ServiceConfig = loadServiceConfig(def.name, { port: def.defaultPort }, opts.env ?? process.env, def.configSchema);
  const logger = opts.logger ?? new JsonLogger({ service: def.name, region: config.region }, config.logLevel);
  const databaseUrl = opts.databaseUrl ?? config.database.url;
  if (!databaseUrl) throw new ConfigError([{ variable: 'DATABASE_URL', reason: 'required when the service runs on its own' }]);

  const bus = opts.bus ?? busOrConfigError(() => createBus(config, logger));
  const metrics = new PlatformMetrics(def.name, config.region);
  const dataSource = await openServiceDataSource({
    url: databaseUrl,
    schema: config.database.schema,
    entities: def.entities,
    migrations: [...def.migrations, AuditLog1700000017500, AuditRowChanges1700000017600],
    poolSize: config.database.poolSize,
    applicationName: `aftersales-${def.name}`,
    sessionSettings: { 'aftersales.service': def.name, 'aftersales.region': config.region },
    afterMigrations: (ds) => attachRowAuditOnce(ds, config.database.schema, def.audit),
  });
  const clock = opts.clock ?? systemClock;
  dataSource.subscribers.push(new AuditContextSubscriber(() => clock.now()));
  const relay = new OutboxRelay({
    dataSource,
    databaseUrl,
    schema: config.database.schema,
    bus,
    service: def.name,
    pollMs: config.outboxPollMs,
    batchSize: config.outboxBatch,
    logger: scoped(logger, 'outbox'),
    onPublished: (topic, n) => metrics.outboxPublished.inc({ topic }, n),
    onDead: (topic) => metrics.outboxDead.inc({ topic }),
  });
  const retention = new RetentionSweep({
    dataSource,
    schema: config.database.schema,
    rules: [
      { table: 'outbox', timeColumn: 'sent_at', keepMs: config.retention.outboxMs },
      { table: 'inbox', timeColumn: 'handled_at', keepMs: config.retention.inboxMs },
      { table: 'idempotency_keys', timeColumn: 'created_at', keepMs: config.retention.idempotencyMs },
    ],
    sweepMs: config.retention.sweepMs,
    isLeader: () => relay.isLeader(),
    logger: scoped(logger, 'retention'),
    onPurged: (table, n) => metrics.retentionPurged.inc({ table }, n),
  });
  const runtime: ServiceRuntime = {
    config,
    dataSource,
    databaseUrl,
    bus,
    outbox: new Outbox(
      config.database.schema,
      `aftersales/${def.name}/${config.region}`,
      new AuditTrail(config.database.schema, `aftersales/${def.name}/${config.region}`),
    ),
    inbox: new Inbox(dataSource, config.database.schema),
    relay,
    metrics,
    clock,
  };
  return { runtime, logger, ownsBus: !opts.bus, retention };
}

/** The Nest root: the service's module over a global module of the runtime's parts, with auth, errors and HTTP metrics. */
function rootModule(def: ServiceDefinition, runtime: ServiceRuntime, logger: LoggerService): Type<unknown> {
  const { config } = runtime;
  @Module({
    providers: [
      { provide: SERVICE_RUNTIME, useValue: runtime },
      { provide: SERVICE_LOGGER, useValue: logger },
      { provide: DataSource, useValue: runtime.dataSource },
      { provide: Outbox, useValue: runtime.outbox },
      { provide: Inbox, useValue: runtime.inbox },
      { provide: PlatformMetrics, useValue: runtime.metrics },
      { provide: TokenVerifier, useValue: new TokenVerifier(config.auth) },
      { provide: Clock, useValue: runtime.clock },
      { provide: SERVICE_CONFIG, useValue: config },
      { provide: SERVICE_SETTINGS, useValue: config.settings },
    ],
    exports: [
      SERVICE_RUNTIME,
      SERVICE_LOGGER,
      DataSource,
      Outbox,
      Inbox,
      PlatformMetrics,
      TokenVerifier,
      Clock,
      SERVICE_CONFIG,
      SERVICE_SETTINGS,
    ],
  })
  class RuntimeModule {}
  const runtimeModule: DynamicModule = { module: RuntimeModule, global: true };

  @Module({
    imports: [runtimeModule, def.module],
    controllers: [HealthController, MetricsController, AuditController],
    providers: [
      { provide: APP_GUARD, useClass: AuthGuard },
      { provide: APP_FILTER, useClass: ProblemFilter },
      { provide: APP_INTERCEPTOR, useClass: HttpMetricsInterceptor },
    ],
  })
  class ServiceRootModule {}
  return ServiceRootModule;
}

/** Body parsers and guards, the OpenAPI document at /docs, and HTTP metrics at 0 for its routes. */
function configureHttp(app: NestExpressApplication, def: ServiceDefinition, runtime: ServiceRuntime, logger: LoggerService): void {
  const { config, metrics } = runtime;
  if (isAccessLogger(logger)) app.use(accessLog(def.name, logger));
  app.use(
    json({ limit: config.httpBodyLimit }),
    // CSV imports and iCal calendars arrive as text bodies (req.body is a string)
    text({ type: ['text/csv', 'text/calendar', 'text/plain'], limit: config.httpUploadLimit }),
    bodyParseErrors,
    jsonDepthGuard(),
    auditScope, // after the body parsers: the scope then holds for the whole handler
  );
  app.useGlobalPipes(new InputPipe());
  const doc = documentContract(
    app,
    SwaggerModule.createDocument(app, new DocumentBuilder().setTitle(def.title).setVersion('1').addBearerAuth().build()),
  );
  SwaggerModule.setup('docs', app, doc, { jsonDocumentUrl: 'docs/openapi.json' });
  metrics.initHttpRoutes(routesOf(doc));
  metrics.initTopics({ published: publishedTopics(def.name) });
}

/** The event handlers as a Nest microservice on the bus, through the inbox, counted and spied on. */
function connectHandlers(app: NestExpressApplication, def: ServiceDefinition, runtime: ServiceRuntime, spy: HandlerSpy): void {
  const { metrics } = runtime;
  app.connectMicroservice(
    {
      strategy: new EventBusServer(runtime.bus, def.name, {
        inbox: runtime.inbox,
        spy,
        interregion: { region: runtime.config.region, peers: runtime.config.interregionPeers },
        onOutcome: (topic, outcome, seconds) => {
          metrics.eventsConsumed.inc({ topic, outcome });
          metrics.eventHandleDuration.observe({ topic }, seconds);
        },
        onDeliveryFailure: (topic, outcome) => {
          metrics.eventsConsumed.inc({ topic, outcome });
          if (outcome === 'dead_lettered') metrics.dlqMessages.inc({ topic });
        },
        onTopics: (consumed) => metrics.initTopics({ consumed }),
      }),
    },
    { inheritAppConfig: true },
  );
}

export async function startService(def: ServiceDefinition, opts: StartOptions = {}): Promise<RunningService> {
  const { runtime, logger, ownsBus, retention } = await assembleRuntime(def, opts);
  const { bus, relay, dataSource, config } = runtime;
  const handlers = new HandlerSpy(opts.handlerHistory);
  let app: NestExpressApplication | undefined;
  try {
    app = await NestFactory.create<NestExpressApplication>(rootModule(def, runtime, logger), {
      logger,
      bodyParser: false,
      abortOnError: false,
    });
    configureHttp(app, def, runtime, logger);
    if (ownsBus) await bus.start();
    connectHandlers(app, def, runtime, handlers);
    // idle connections outlive the clients' (undici reuses one up to 4 s, proxies up to 60 s): on a busy
    // machine the default 5 s let the server close a connection a client was reusing (`fetch failed`)
    const server = app.getHttpServer() as { keepAliveTimeout: number; headersTimeout: number };
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    // HTTP first: /health/live answers while the consumer groups join (readiness waits for the bus)
    await app.listen(config.port, opts.host ?? '0.0.0.0');
    await app.startAllMicroservices();
    await relay.start();
    retention.start();
  } catch (e) {
    await retention.stop().catch(() => undefined);
    await relay.stop().catch(() => undefined);
    await app?.close().catch(() => undefined);
    if (ownsBus) await bus.close().catch(() => undefined);
    await dataSource.destroy().catch(() => undefined);
    throw e;
  }
  const started = app;
  const address = started.getHttpServer().address() as { port: number };
  let closing: Promise<void> | undefined;
  return {
    name: def.name,
    url: `http://127.0.0.1:${address.port}`,
    app: started,
    runtime,
    handlers,
    stopRelay: () => relay.stop(),
    close: () =>
      (closing ??= (async () => {
        await retention.stop();
        await relay.stop();
        await started.close();
        if (ownsBus) await bus.close();
        await dataSource.destroy();
      })()),
  };
}

/** The routes of the OpenAPI document as Express names them (`/cases/:id`), for metrics at 0. */
function routesOf(doc: OpenAPIObject): Array<{ method: string; route: string }> {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((m) => ({ method: m.toUpperCase(), route: path.replace(/\{([^}]+)\}/g, ':$1') })),
  );
}

/** The topics a service's own events go to (event types are prefixed with the producing service). */
function publishedTopics(service: string): string[] {
  return [
    ...new Set(
      Object.entries(EventCatalog)
        .filter(([type]) => type.split('.')[0] === service)
        .map(([, e]) => e.topic),
    ),
  ];
}

/** `main.ts` of a service in distributed mode: config errors end the process with the variable named. */
export async function runStandalone(def: ServiceDefinition): Promise<void> {
  let service: RunningService;
  try {
    service = await startService(def);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${def.name}: ${e.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    process.stderr.write(`${def.name}: failed to start: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  }
  process.stdout.write(
    JSON.stringify({ time: new Date().toISOString(), level: 'info', service: def.name, msg: `listening on ${service.url}` }) + '\n',
  );
  const shutdown = (signal: string) => {
    process.stdout.write(
      JSON.stringify({ time: new Date().toISOString(), level: 'info', service: def.name, msg: `${signal}: shutting down` }) + '\n',
    );
    const force = setTimeout(() => process.exit(1), 25_000);
    force.unref();
    service.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
