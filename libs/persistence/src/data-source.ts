import { Client } from 'pg';
import { DataSource, EntitySchema, MixedList } from 'typeorm';

export interface ServiceDataSourceOptions {
  url: string;
  /** the service's own schema: a service never reads or writes another's */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
  applicationName?: string;
  /** custom settings (`aftersales.service`, …) every connection starts with, read by triggers */
  sessionSettings?: Record<string, string>;
  /** run after the migrations, under the same lock (e.g. DDL that follows the tables they made) */
  afterMigrations?: (ds: DataSource) => Promise<void>;
}

function startupOptions(schema: string, settings: Record<string, string> = {}): string {
  const set = Object.entries(settings).map(([k, v]) => {
    if (!/^[a-z_]+\.[a-z_]+$/.test(k) || !/^[\w.:-]*$/.test(v)) throw new Error(`not a safe session setting: ${k}=${v}`);
    return ` -c ${k}=${v}`;
  });
  return `-c search_path="${schema}"${set.join('')}`;
}

export function assertIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a safe SQL identifier: ${name}`);
  return name;
}

/** Creates the schema if needed, then opens a TypeORM data source on it and runs pending migrations. */
export async function openServiceDataSource(o: ServiceDataSourceOptions): Promise<DataSource> {
  const schema = assertIdentifier(o.schema);
  // several replicas may start at once: one runs the migrations, the others wait for it. The lock
  // is a session lock held on a connection of its own, outside the pool, so a pool of one
  // connection still has it free for the migrations.
  const admin = new Client({ connectionString: o.url });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [`${schema}.migrations`]);
    await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const ds = new DataSource({
      type: 'postgres',
      url: o.url,
      schema,
      entities: o.entities,
      migrations: o.migrations,
      migrationsTableName: 'migrations',
      migrationsTransactionMode: 'each',
      synchronize: false,
      logging: false,
      poolSize: o.poolSize ?? 10,
      applicationName: o.applicationName,
      extra: { options: startupOptions(schema, o.sessionSettings) },
    });
    await ds.initialize();
    try {
      await ds.runMigrations({ transaction: 'each' });
      await o.afterMigrations?.(ds);
    } catch (e) {
      await ds.destroy().catch(() => undefined);
      throw e;
    }
    return ds;
  } finally {
    // ending the session releases its lock too
    await admin.end().catch(() => undefined);
  }
}
