import { join } from 'node:path';
import { launchFromSources, planServices, PlanError, PlannedService, Supervisor } from './supervisor';

/**
 * `npm run start:distributed`: the services as separate processes against the given Kafka and
 * PostgreSQL, the way the cluster runs them — handy to try the microservices mode locally. Ports
 * and the services to run come from the environment (see `planServices`); a service that exits is
 * restarted while the others keep running.
 */
const missing = ['KAFKA_BROKERS', 'DATABASE_URL'].filter((v) => !process.env[v]);
if (missing.length) {
  process.stderr.write(
    `start:distributed needs ${missing.join(' and ')} (e.g. KAFKA_BROKERS=localhost:9092 DATABASE_URL=postgres://...)\n`,
  );
  process.exit(78);
}
let plan: PlannedService[];
try {
  plan = planServices(process.env);
} catch (e) {
  if (!(e instanceof PlanError)) throw e;
  process.stderr.write(`start:distributed: ${e.message}\n`);
  process.exit(78);
}
// the agent desk and customer portal, in front of the six, on the port base (unless services are picked)
if (!process.env.AFTERSALES_SERVICES?.trim()) {
  plan.push({ name: 'desk', port: Number(process.env.DESK_PORT ?? process.env.AFTERSALES_PORT_BASE ?? 3000) });
}
const root = join(__dirname, '..', '..', '..');
const supervisor = new Supervisor(plan, {
  env: { JWT_SECRET: 'aftersales-development-secret-change-me', ...process.env },
  launch: launchFromSources(root),
  log: (line) => process.stderr.write(`start:distributed: ${line}\n`),
});
supervisor.start();

const stop = () => {
  supervisor.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
