import { InProcessBus } from '@aftersales/messaging';
import { recordTopic, startTestService, TestService } from '@aftersales/testing';
import { caseService } from '../src/case.service-definition';

export type Recorded = Awaited<ReturnType<typeof recordTopic>>;

/**
 * The case service alone on an in-process bus that retries a failed handler quickly, with what it
 * publishes on `aftersales.case.events.v1` recorded: the start of most case specs.
 */
export async function startCaseService(o: Omit<NonNullable<Parameters<typeof startTestService>[1]>, 'bus'> = {}): Promise<{
  t: TestService;
  events: Recorded;
}> {
  const bus = new InProcessBus({ retryBackoffMs: [10] });
  const events = await recordTopic(bus, 'aftersales.case.events.v1');
  const t = await startTestService(caseService, { ...o, bus });
  return { t, events };
}

/** Engineers registered through the API, each answered 201. */
export async function registerEngineers(t: TestService, token: string, engineers: Array<Record<string, unknown>>): Promise<void> {
  for (const body of engineers) expect((await t.http('POST', '/engineers', { token, body })).status).toBe(201);
}
