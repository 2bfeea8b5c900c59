import { startTelemetry } from '@aftersales/observability';

startTelemetry('aftersales'); // before Nest, express and pg load

/* eslint-disable @typescript-eslint/no-require-imports */
const { explainStartFailure } = require('./start-failure') as typeof import('./start-failure');
/* eslint-enable @typescript-eslint/no-require-imports */

/** Any failure before "aftersales is up": one line saying what to do, exit 1. */
function failStart(e: unknown): never {
  process.stderr.write(`aftersales did not start: ${explainStartFailure(e)}\n`);
  if (process.env.LOG_LEVEL === 'debug' && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const started = Date.now();
  const demo = process.argv.includes('--demo');
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { startAllInOne, devToken } = require('./all-in-one') as typeof import('./all-in-one');
  const { seedDemo } = require('./demo-data') as typeof import('./demo-data');
  const { quickStartText } = require('./quick-start') as typeof import('./quick-start');
  const { ensureDeskBundle } = require('./desk-bundle') as typeof import('./desk-bundle');
  /* eslint-enable @typescript-eslint/no-require-imports */
  ensureDeskBundle(process.env);
  const system = await startAllInOne();
  const [agentToken, adminToken] = [await devToken(process.env, 'agent'), await devToken(process.env, 'admin')];
  const url = (name: string) => system.services.find((s) => s.name === name)!.url;
  if (demo) await seedDemo({ intake: url('intake'), case: url('case'), notify: url('notify') }, adminToken, process.env.REGION ?? 'local');
  const smtpPort = process.env.INTAKE_SMTP_PORT ?? Number(process.env.AFTERSALES_PORT_BASE ?? 3000) + 25;
  const text = quickStartText({
    seconds: (Date.now() - started) / 1000,
    database: system.embedded ? `embedded PostgreSQL in ${system.embedded.dataDir}` : 'DATABASE_URL',
    services: system.services,
    desk: system.desk.url,
    smtp: `smtp://127.0.0.1:${smtpPort} (to ${process.env.INTAKE_SUPPORT_EMAIL ?? 'support@aftersales.local'})`,
    agentToken,
    adminToken,
    portBase: Number(process.env.AFTERSALES_PORT_BASE ?? 3000),
    seeded: demo,
  });
  process.stdout.write(text + '\n');
  process.removeListener('uncaughtException', failStart);
  process.removeListener('unhandledRejection', failStart);
  const shutdown = (signal: string) => {
    process.stdout.write(`${signal}: stopping aftersales\n`);
    const force = setTimeout(() => process.exit(1), 25_000);
    force.unref();
    system.stop().then(
      () => process.exit(0),
      (e) => {
        process.stderr.write(`shutdown failed: ${explainStartFailure(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

// an error emitted where no promise catches it (a child process, a socket) is a start failure too
process.on('uncaughtException', failStart);
process.on('unhandledRejection', failStart);
main().catch(failStart);
