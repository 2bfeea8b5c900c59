import { selectSingle } from '@aftersales/persistence';
import { TestService } from './harness';
import { waitFor } from './wait-for';

/**
 * Waits until the service's relay has published every outbox row committed so far, so that what a
 * `recordTopic` recorder holds is complete: a test may then assert that something was NOT published.
 */
export async function outboxRelayed(t: TestService, o: { timeoutMs?: number } = {}): Promise<void> {
  await waitFor(
    `${t.service.name}: every committed outbox row relayed`,
    async () => {
      const { unsent } = await selectSingle<{ unsent: number }>(
        t.service.runtime.dataSource,
        `SELECT count(*)::int AS unsent FROM "${t.schema}".outbox WHERE sent_at IS NULL AND dead_at IS NULL`,
      );
      return unsent === 0 ? true : undefined;
    },
    { timeoutMs: o.timeoutMs ?? 20_000, intervalMs: 20 },
  );
}
