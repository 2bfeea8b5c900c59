import { startTelemetry } from '@aftersales/observability';

startTelemetry('aftersales'); // before Nest, express and pg load

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startAllInOne, devToken } = require('./all-in-one') as typeof import('./all-in-one');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureDeskBundle } = require('./desk-bundle') as typeof import('./desk-bundle');

async function main(): Promise<void> {
  const started = Date.now();
  ensureDeskBundle(process.env);
  const system = await startAllInOne();
  const token = await devToken(process.env);
  const lines = [
    '',
    `aftersales is up (all-in-one, ${((Date.now() - started) / 1000).toFixed(1)} s, ${system.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'}, in-process bus)`,
    '',
    `  desk        ${system.desk.url}   agent desk and customer portal (development sign-in by role, region and customer)`,
    ...system.services.map((s) => `  ${s.name.padEnd(11)} ${s.url}   docs ${s.url}/docs   metrics ${s.url}/metrics`),
    `  e-mail in   smtp://127.0.0.1:${process.env.INTAKE_SMTP_PORT ?? Number(process.env.AFTERSALES_PORT_BASE ?? 3000) + 25} (to ${process.env.INTAKE_SUPPORT_EMAIL ?? 'support@aftersales.local'})`,
    '',
    'A development token (agent, 12 h) for the Authorization: Bearer header:',
    `  ${token}`,
    'Other roles: npm run token -- --role manager --region local [--customer C-1]',
    '',
    'Try it (register the customer first: requests are filed only for registered customers):',
    `  curl -s -X POST ${system.services[0].url}/customers -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
    `    -d '{"id":"C-1","name":"North Bank"}'`,
    `  curl -s -X POST ${system.services[0].url}/requests -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
    `    -d '{"customerId":"C-1","contact":{"name":"Li Wei","email":"li@example.com"},"channel":"phone","severity":"P2","symptom":"array offline"}'`,
    '',
    ...notifyLines(system.services[5].url),
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  const shutdown = (signal: string) => {
    process.stdout.write(`${signal}: stopping aftersales\n`);
    const force = setTimeout(() => process.exit(1), 25_000);
    force.unref();
    system.stop().then(
      () => process.exit(0),
      (e) => {
        process.stderr.write(`shutdown failed: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

/** Where notifications show up: the delivery log, a person's in-app inbox, and where e-mail goes. */
function notifyLines(notify: string): string[] {
  const region = process.env.REGION ?? 'local';
  const smtp = process.env.NOTIFY_SMTP_HOST;
  return [
    'Notifications: every delivery is in the log, and a person reads their in-app inbox with a token whose sub is their id:',
    `  curl -s ${notify}/deliveries -H "Authorization: Bearer $TOKEN"`,
    `  curl -s -X PUT ${notify}/people/wang.fang -H "Authorization: Bearer $(npm run -s token -- --role admin --region ${region})" \\`,
    `    -H 'Content-Type: application/json' -d '{"name":"Wang Fang","region":"${region}","roles":["manager1"],"email":"wang.fang@example.com"}'`,
    `  curl -s ${notify}/inbox -H "Authorization: Bearer $(npm run -s token -- --role manager --region ${region} --sub wang.fang)"`,
    smtp
      ? `  e-mail goes out through smtp://${smtp}:${process.env.NOTIFY_SMTP_PORT ?? 587}`
      : '  e-mail is off: NOTIFY_SMTP_HOST=127.0.0.1 NOTIFY_SMTP_PORT=1025 npm start sends it to Mailpit (docker compose up -d mailpit; http://localhost:8025)',
  ];
}

main().catch((e) => {
  process.stderr.write(`aftersales failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
