import { request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// jest loads global setup without its module mapper, hence the relative import
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startEmbeddedPostgres } from '../../persistence/src/embedded-postgres';

function dockerAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath: process.env.DOCKER_SOCKET ?? '/var/run/docker.sock', path: '/_ping', timeout: 1500 }, (res) =>
      resolve(res.statusCode === 200),
    );
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

/**
 * Where the test database comes from: TEST_DATABASE_URL (CI points it at the machine's
 * PostgreSQL), else a testcontainers PostgreSQL when a Docker engine answers, else
 * embedded-postgres. Each test file then works in its own random schema.
 */
export default async function globalSetup(): Promise<void> {
  const g = globalThis as Record<string, unknown>;
  if (process.env.TEST_DATABASE_URL) {
    process.env.TEST_DATABASE_SOURCE = 'env';
  } else if (await dockerAnswers()) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PostgreSqlContainer } = require('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:16-alpine').start();
    g.__AFTERSALES_PG_CONTAINER__ = container;
    process.env.TEST_DATABASE_URL = container.getConnectionUri();
    process.env.TEST_DATABASE_SOURCE = 'testcontainers';
  } else {
    const pg = await startEmbeddedPostgres({
      dataDir: join(mkdtempSync(join(tmpdir(), 'aftersales-test-')), 'pg'),
      database: 'aftersales_test',
    });
    g.__AFTERSALES_EMBEDDED_PG__ = pg;
    process.env.TEST_DATABASE_URL = pg.url;
    process.env.TEST_DATABASE_SOURCE = 'embedded';
  }
  process.stdout.write(`\ntest database: ${process.env.TEST_DATABASE_SOURCE}\n`);
}
