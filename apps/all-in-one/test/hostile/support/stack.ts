import { InProcessBus } from '@aftersales/messaging';
import { Clock, Role, ServiceDefinition } from '@aftersales/platform';
import { startTestService, TestService, tokenFor, waitFor } from '@aftersales/testing';
import { ALL_SERVICES } from '../../../src/services';

export type ServiceName = 'intake' | 'case' | 'escalation' | 'spares' | 'survey' | 'notify';

/** Services of one region in-process on one bus, each in its own fresh schema of the test database. */
export interface Stack {
  bus: InProcessBus;
  services: Map<ServiceName, TestService>;
  get(name: ServiceName): TestService;
  stop(): Promise<void>;
}

/** Periodic sweeps off: nothing writes unless a request or an event asks (row counts stay put between batches). */
// no timer of its own writes while the hostile suites count rows (the spares sweep once made the
// day's depot reports in the middle of the fuzz replay); a test that wants a sweep calls it
const QUIET_ENV = { INTAKE_HANDOFF_SWEEP_MS: '0', CASE_ASSIGN_RETRY_MS: '0', SPARES_SWEEP_MS: '0', SURVEY_BATCH_CHECK_MS: '0' };

export async function startStack(
  names: ServiceName[] = ALL_SERVICES.map((d) => d.name as ServiceName),
  o: { clock?: Clock; env?: NodeJS.ProcessEnv } = {},
): Promise<Stack> {
  const bus = new InProcessBus({ retryBackoffMs: [10] });
  const services = new Map<ServiceName, TestService>();
  const stop = async () => {
    await Promise.all([...services.values()].map((t) => t.service.stopRelay()));
    for (const t of [...services.values()].reverse()) await t.stop();
    await bus.close();
  };
  try {
    for (const name of names) {
      const def = ALL_SERVICES.find((d) => d.name === name) as ServiceDefinition;
      services.set(name, await startTestService(def, { bus, clock: o.clock, env: { ...QUIET_ENV, ...o.env } }));
    }
  } catch (e) {
    await stop().catch(() => undefined);
    throw e;
  }
  return {
    bus,
    services,
    get(name) {
      const t = services.get(name);
      if (!t) throw new Error(`${name} is not running`);
      return t;
    },
    stop,
  };
}

/** A token of the role in region north (the services' region), or as given. */
export const token = (role: Role, o: { region?: string; customerId?: string; sub?: string; global?: boolean } = {}) =>
  tokenFor(role, { customerId: role === 'customer' ? (o.customerId ?? 'C-1') : o.customerId, ...o });

/**
 * Rows of every table of a service's schema (what a rejected request must not change), but the
 * inbox, which events still arriving from earlier work may add to.
 */
export async function rowCounts(t: TestService): Promise<Record<string, number>> {
  const tables: Array<{ table_name: string }> = await t.service.runtime.dataSource.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND table_name <> 'inbox' ORDER BY table_name`,
    [t.schema],
  );
  const out: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [{ n }] = await t.service.runtime.dataSource.query(`SELECT count(*)::int AS n FROM "${t.schema}"."${table_name}"`);
    out[table_name] = n;
  }
  return out;
}

/** Row counts of every service, keyed `service.table`. */
export async function allRowCounts(stack: Stack): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, t] of stack.services) for (const [table, n] of Object.entries(await rowCounts(t))) out[`${name}.${table}`] = n;
  return out;
}

/** Waits until every outbox is published and no row count moves between two looks. */
export async function waitForQuiet(stack: Stack, timeoutMs = 60_000): Promise<Record<string, number>> {
  let previous = '';
  return waitFor(
    'the services to be quiet (outboxes published, row counts steady)',
    async () => {
      for (const t of stack.services.values()) {
        const [{ n }] = await t.service.runtime.dataSource.query(
          `SELECT count(*)::int AS n FROM "${t.schema}".outbox WHERE sent_at IS NULL AND dead_at IS NULL`,
        );
        if (n > 0) return undefined;
      }
      const counts = await allRowCounts(stack);
      const now = JSON.stringify(counts);
      const steady = now === previous;
      previous = now;
      return steady ? counts : undefined;
    },
    { timeoutMs, intervalMs: 300 },
  );
}
