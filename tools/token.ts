import { parseArgs } from 'node:util';
import { ROLES, Role, signDevToken } from '@aftersales/platform';

/** `npm run token -- --role engineer --region north [--customer C-1] [--global]`: a development bearer token. */
const { values } = parseArgs({
  options: {
    role: { type: 'string', multiple: true, default: ['agent'] },
    region: { type: 'string', default: process.env.REGION ?? 'local' },
    customer: { type: 'string' },
    sub: { type: 'string' },
    ttl: { type: 'string', default: '12h' },
    // sees every region (a global manager); never for customer tokens
    global: { type: 'boolean', default: false },
  },
});
const roles = values.role;
const unknown = roles.filter((r) => !ROLES.includes(r as Role));
if (unknown.length) {
  process.stderr.write(`unknown role ${unknown.join(', ')}; roles are ${ROLES.join(', ')}\n`);
  process.exit(2);
}
signDevToken(
  process.env.JWT_SECRET ?? 'aftersales-development-secret-change-me',
  {
    sub: values.sub ?? `dev-${roles[0]}`,
    roles: roles as Role[],
    region: values.region,
    customerId: values.customer,
    global: values.global,
  },
  values.ttl,
).then(
  (t) => process.stdout.write(t + '\n'),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
