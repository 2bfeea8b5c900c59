import { spawn, ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/**
 * `npm run start:distributed`: the six services as separate processes against the given Kafka
 * and PostgreSQL, the way the cluster runs them — handy to try the microservices mode locally.
 */
const SERVICES = [
  ['intake', 3001],
  ['case', 3002],
  ['escalation', 3003],
  ['spares', 3004],
  ['survey', 3005],
  ['notify', 3006],
  // the agent desk and customer portal, in front of the six
  ['desk', 3000],
] as const;

const missing = ['KAFKA_BROKERS', 'DATABASE_URL'].filter((v) => !process.env[v]);
if (missing.length) {
  process.stderr.write(
    `start:distributed needs ${missing.join(' and ')} (e.g. KAFKA_BROKERS=localhost:9092 DATABASE_URL=postgres://...)\n`,
  );
  process.exit(78);
}
const root = join(__dirname, '..', '..', '..');
const children: ChildProcess[] = SERVICES.map(([name, port]) => {
  const main = name === 'desk' ? join(__dirname, 'desk-main.ts') : join(root, 'services', name, 'src', 'main.ts');
  const child = spawn(process.execPath, ['-r', join(root, 'tools', 'register.js'), main], {
    env: { JWT_SECRET: 'aftersales-development-secret-change-me', ...process.env, PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    process.stderr.write(`${name} exited (${signal ?? code})\n`);
    if (!stopping) stop(1);
  });
  return child;
});
let stopping = false;
function stop(code: number): void {
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 1000).unref();
  Promise.all(children.map((c) => (c.exitCode !== null ? 0 : new Promise((r) => c.once('exit', r))))).then(() => process.exit(code));
}
process.once('SIGTERM', () => stop(0));
process.once('SIGINT', () => stop(0));
