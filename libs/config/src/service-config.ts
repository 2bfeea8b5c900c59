import { z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly problems: Array<{ variable: string; reason: string }>) {
    super('invalid configuration:\n' + problems.map((p) => `  ${p.variable}: ${p.reason}`).join('\n'));
    this.name = 'ConfigError';
  }
}

export const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const url = (protocols: string[]) =>
  z
    .string()
    .url()
    .refine((v) => protocols.some((p) => v.startsWith(p + ':')), `must start with ${protocols.join(' or ')}:`);
const brokerList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
  )
  .refine((list) => list.length > 0, 'must list at least one host:port')
  .refine((list) => list.every((b) => /^[^\s:]+:\d{1,5}$/.test(b)), 'each broker must be host:port');

const schema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).optional(),
    REGION: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,31}$/, 'lowercase letters, digits and dashes')
      .default('local'),
    /** regions whose interregion topic MirrorMaker 2 copies here as `<region>.aftersales.interregion.*` (comma-separated) */
    INTERREGION_PEERS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((r) => r.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'region names: lowercase letters, digits and dashes'))),
    DATABASE_URL: url(['postgres', 'postgresql']).optional(),
    DB_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lowercase SQL identifier')
      .optional(),
    DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    KAFKA_BROKERS: brokerList.optional(),
    KAFKA_CLIENT_ID: z.string().min(1).optional(),
    KAFKA_IDEMPOTENT: bool.default('true'),
    KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(3000).max(300000).default(30000),
    // TLS to the brokers: on when KAFKA_TLS=true or any TLS file is given (files: mounted Secrets)
    KAFKA_TLS: bool.optional(),
    KAFKA_TLS_CA_FILE: z.string().min(1).optional(),
    KAFKA_TLS_CERT_FILE: z.string().min(1).optional(),
    KAFKA_TLS_KEY_FILE: z.string().min(1).optional(),
    KAFKA_TLS_KEY_PASSWORD: z.string().min(1).optional(),
    KAFKA_TLS_REJECT_UNAUTHORIZED: bool.default('true'),
    KAFKA_TLS_SERVERNAME: z.string().min(1).optional(),
    // SASL: SCRAM-SHA-512 is Strimzi's default (KafkaUser `authentication.type: scram-sha-512`)
    KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
    KAFKA_SASL_USERNAME: z.string().min(1).optional(),
    KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
    KAFKA_SASL_PASSWORD_FILE: z.string().min(1).optional(),
    JWT_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    JWT_JWKS_URL: url(['http', 'https']).optional(),
    JWT_ISSUER: z.string().optional(),
    JWT_AUDIENCE: z.string().optional(),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60000).default(1000),
    OUTBOX_BATCH: z.coerce.number().int().min(1).max(10000).default(1000),
    OUTBOX_RETENTION_HOURS: z.coerce.number().positive().default(72),
    INBOX_RETENTION_DAYS: z.coerce.number().positive().default(14),
    IDEMPOTENCY_RETENTION_HOURS: z.coerce.number().positive().default(72),
    RETENTION_SWEEP_MS: z.coerce.number().int().min(1000).default(600_000),
    HTTP_BODY_LIMIT: z
      .string()
      .regex(/^\d+(kb|mb)$/, 'like 64kb or 1mb')
      .default('64kb'),
    /** bulk text uploads: CSV imports, iCal calendars */
    HTTP_UPLOAD_LIMIT: z
      .string()
      .regex(/^\d+(kb|mb)$/, 'like 64kb or 1mb')
      .default('20mb'),
    OTEL_EXPORTER_OTLP_ENDPOINT: url(['http', 'https']).optional(),
    // read by the telemetry start-up (before this schema runs); checked here so a wrong one is named
    OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
  })
  .superRefine((env, ctx) => {
    if (!env.JWT_SECRET && !env.JWT_JWKS_URL) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'set JWT_SECRET (development) or JWT_JWKS_URL (production)' });
    }
    kafkaSecurityProblems(env).forEach(([variable, message]) => ctx.addIssue({ code: 'custom', path: [variable], message }));
  });

type KafkaEnv = { [variable: string]: unknown };

/** TLS and SASL settings that cannot work together, as [variable, reason]. */
function kafkaSecurityProblems(e: KafkaEnv): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const files = ['KAFKA_TLS_CA_FILE', 'KAFKA_TLS_CERT_FILE', 'KAFKA_TLS_KEY_FILE'].filter((v) => e[v]);
  if (e.KAFKA_TLS === false && files.length) out.push(['KAFKA_TLS', `is false but ${files.join(', ')} is set`]);
  if (e.KAFKA_TLS_CERT_FILE && !e.KAFKA_TLS_KEY_FILE) out.push(['KAFKA_TLS_KEY_FILE', 'required with KAFKA_TLS_CERT_FILE (mTLS)']);
  if (e.KAFKA_TLS_KEY_FILE && !e.KAFKA_TLS_CERT_FILE) out.push(['KAFKA_TLS_CERT_FILE', 'required with KAFKA_TLS_KEY_FILE (mTLS)']);
  const credentials = e.KAFKA_SASL_USERNAME || e.KAFKA_SASL_PASSWORD || e.KAFKA_SASL_PASSWORD_FILE;
  if (credentials && !e.KAFKA_SASL_MECHANISM)
    out.push(['KAFKA_SASL_MECHANISM', 'required with SASL credentials: plain, scram-sha-256 or scram-sha-512']);
  if (e.KAFKA_SASL_MECHANISM && !e.KAFKA_SASL_USERNAME) out.push(['KAFKA_SASL_USERNAME', `required with KAFKA_SASL_MECHANISM`]);
  if (e.KAFKA_SASL_MECHANISM && !e.KAFKA_SASL_PASSWORD && !e.KAFKA_SASL_PASSWORD_FILE) {
    out.push(['KAFKA_SASL_PASSWORD', 'required with KAFKA_SASL_MECHANISM (or KAFKA_SASL_PASSWORD_FILE)']);
  }
  if (e.KAFKA_SASL_PASSWORD && e.KAFKA_SASL_PASSWORD_FILE)
    out.push(['KAFKA_SASL_PASSWORD_FILE', 'set KAFKA_SASL_PASSWORD or its file, not both']);
  return out;
}

/** TLS to the brokers (kafkajs `ssl`): files are PEM, read when the client is built. */
export interface KafkaTlsSettings {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  keyPassword?: string;
  rejectUnauthorized: boolean;
  servername?: string;
}

/** SASL to the brokers (kafkajs `sasl`). */
export interface KafkaSaslSettings {
  mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  username: string;
  password?: string;
  passwordFile?: string;
}

function kafkaTls(e: z.infer<typeof schema>): KafkaTlsSettings | undefined {
  const on = e.KAFKA_TLS ?? !!(e.KAFKA_TLS_CA_FILE || e.KAFKA_TLS_CERT_FILE || e.KAFKA_TLS_KEY_FILE);
  if (!on) return undefined;
  return {
    caFile: e.KAFKA_TLS_CA_FILE,
    certFile: e.KAFKA_TLS_CERT_FILE,
    keyFile: e.KAFKA_TLS_KEY_FILE,
    keyPassword: e.KAFKA_TLS_KEY_PASSWORD,
    rejectUnauthorized: e.KAFKA_TLS_REJECT_UNAUTHORIZED,
    servername: e.KAFKA_TLS_SERVERNAME,
  };
}

export interface ServiceConfig<Settings = unknown> {
  service: string;
  port: number;
  region: string;
  /** the other regions whose interregion requests reach this one (INTERREGION_PEERS) */
  interregionPeers: string[];
  database: { url?: string; schema: string; poolSize: number };
  kafka?: {
    brokers: string[];
    clientId: string;
    idempotent: boolean;
    sessionTimeoutMs: number;
    tls?: KafkaTlsSettings;
    sasl?: KafkaSaslSettings;
  };
  auth: { secret?: string; jwksUrl?: string; issuer?: string; audience?: string };
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  outboxPollMs: number;
  /** rows the relay reads and publishes per round */
  outboxBatch: number;
  /** how long published outbox rows, inbox ids and idempotency keys are kept (ms), and how often to sweep */
  retention: { outboxMs: number; inboxMs: number; idempotencyMs: number; sweepMs: number };
  httpBodyLimit: string;
  httpUploadLimit: string;
  otlpEndpoint?: string;
  /** the service's own variables, parsed by its `configSchema` */
  settings: Settings;
}

/** A service's own variables (`INTAKE_*`, `ESCALATION_*` …): a zod object over the environment. */
export type ServiceSettingsSchema<Settings = unknown> = z.ZodType<Settings, z.ZodTypeDef, unknown>;

const issuesOf = (error: z.ZodError) => error.issues.map((i) => ({ variable: String(i.path[0] ?? '(environment)'), reason: i.message }));

/**
 * Parses the environment once at start. Every problem is reported with the variable's name,
 * so a misconfigured pod fails fast with a message an operator can act on.
 */
export function loadServiceConfig<Settings = Record<string, never>>(
  service: string,
  defaults: { port: number },
  env: NodeJS.ProcessEnv = process.env,
  settingsSchema?: ServiceSettingsSchema<Settings>,
): ServiceConfig<Settings> {
  // both schemas are checked before failing, so one start names every wrong variable
  const parsed = schema.safeParse(env);
  const own = settingsSchema ? settingsSchema.safeParse(env) : ({ success: true, data: {} as Settings } as const);
  const problems = [...(parsed.success ? [] : issuesOf(parsed.error)), ...(own.success ? [] : issuesOf(own.error))];
  if (!parsed.success || !own.success) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    service,
    port: e.PORT ?? defaults.port,
    region: e.REGION,
    interregionPeers: e.INTERREGION_PEERS,
    database: { url: e.DATABASE_URL, schema: e.DB_SCHEMA ?? service, poolSize: e.DB_POOL_SIZE },
    kafka: e.KAFKA_BROKERS
      ? {
          brokers: e.KAFKA_BROKERS,
          clientId: e.KAFKA_CLIENT_ID ?? `aftersales-${service}`,
          idempotent: e.KAFKA_IDEMPOTENT,
          sessionTimeoutMs: e.KAFKA_SESSION_TIMEOUT_MS,
          tls: kafkaTls(e),
          sasl: e.KAFKA_SASL_MECHANISM
            ? {
                mechanism: e.KAFKA_SASL_MECHANISM,
                username: e.KAFKA_SASL_USERNAME!,
                password: e.KAFKA_SASL_PASSWORD,
                passwordFile: e.KAFKA_SASL_PASSWORD_FILE,
              }
            : undefined,
        }
      : undefined,
    auth: { secret: e.JWT_SECRET, jwksUrl: e.JWT_JWKS_URL, issuer: e.JWT_ISSUER, audience: e.JWT_AUDIENCE },
    logLevel: e.LOG_LEVEL,
    outboxPollMs: e.OUTBOX_POLL_MS,
    outboxBatch: e.OUTBOX_BATCH,
    retention: {
      outboxMs: e.OUTBOX_RETENTION_HOURS * 3_600_000,
      inboxMs: e.INBOX_RETENTION_DAYS * 86_400_000,
      idempotencyMs: e.IDEMPOTENCY_RETENTION_HOURS * 3_600_000,
      sweepMs: e.RETENTION_SWEEP_MS,
    },
    httpBodyLimit: e.HTTP_BODY_LIMIT,
    httpUploadLimit: e.HTTP_UPLOAD_LIMIT,
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
    settings: own.data,
  };
}

/** The shared variables every service reads; the README's configuration table documents each. */
export const SHARED_VARIABLES: readonly string[] = Object.keys(schema.innerType().shape);
