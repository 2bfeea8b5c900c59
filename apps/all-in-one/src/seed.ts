import { signDevToken } from '@aftersales/platform';
import { DEV_JWT_SECRET } from './dev-secret';
import { seedDemo, SeedError } from './demo-data';

/**
 * `npm run seed`: loads the demo data set into a running all-in-one (same AFTERSALES_PORT_BASE as
 * the `npm start` it talks to), as the ADMIN_TOKEN it printed, else with a token it signs itself.
 */
function regionOf(token: string): string {
  try {
    return (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { region: string }).region;
  } catch {
    throw new SeedError('ADMIN_TOKEN is not a JWT: export the ADMIN_TOKEN line `npm start` printed, or unset it');
  }
}

async function main(): Promise<void> {
  const base = Number(process.env.AFTERSALES_PORT_BASE ?? 3000);
  const url = (i: number) => `http://127.0.0.1:${base + i}`;
  // the ADMIN_TOKEN `npm start` printed carries the running system's secret and region
  const given = process.env.ADMIN_TOKEN;
  const region = given ? regionOf(given) : (process.env.REGION ?? 'local');
  const admin = given ?? (await signDevToken(process.env.JWT_SECRET ?? DEV_JWT_SECRET, { sub: 'dev-admin', roles: ['admin'], region }));
  const done = await seedDemo({ intake: url(1), case: url(2), notify: url(6) }, admin, region);
  process.stdout.write(`demo data for region ${region} loaded:\n${done.map((l) => `  ${l}`).join('\n')}\n`);
}

main().catch((e) => {
  process.stderr.write(`seed failed: ${e instanceof SeedError ? e.message : e instanceof Error ? e.message.split('\n')[0] : String(e)}\n`);
  process.exit(1);
});
