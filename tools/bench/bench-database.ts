import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '@aftersales/persistence';

/** The machine's PostgreSQL, tried when no URL is given. */
export const MACHINE_DB = 'postgres://postgres@127.0.0.1:5432/test';

export interface BenchDatabase {
  url: string;
  /** where it came from, printed with the figures */
  source: string;
  stop(): Promise<void>;
}

/**
 * The database a bench runs on: BENCH_DATABASE_URL / TEST_DATABASE_URL, else the machine's
 * PostgreSQL if it answers, else an embedded one in a temp dir (`aftersales-bench-<suite>-…`).
 */
export async function benchDatabase(suite: string): Promise<BenchDatabase> {
  const env = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (env) return { url: env, source: 'env database', stop: () => Promise.resolve() };
  const c = new Client({ connectionString: MACHINE_DB, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return { url: MACHINE_DB, source: 'machine PostgreSQL', stop: () => Promise.resolve() };
  } catch {
    await c.end().catch(() => undefined);
  }
  const dir = mkdtempSync(join(tmpdir(), `aftersales-bench-${suite}-`));
  const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), database: 'aftersales_bench' });
  return {
    url: pg.url,
    source: 'embedded PostgreSQL',
    stop: async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
