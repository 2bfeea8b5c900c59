import { EventEnvelope } from '@aftersales/contracts';
import { InProcessBus } from '@aftersales/messaging';
import { ManualClock } from '@aftersales/platform';
import { recordTopic, startTestService, TestService } from '@aftersales/testing';
import { ClockFiringLoop } from '../src/clocks/clock-firing.loop';
import { escalationService } from '../src/escalation.service-definition';

/**
 * The escalation service alone on an in-process bus, with what it publishes on
 * `aftersales.escalation.events.v1` recorded and its firing loop at hand: the start of most
 * escalation specs (pass a ManualClock as `clock` to step the service's time).
 */
export async function startEscalationService(o: Omit<NonNullable<Parameters<typeof startTestService>[1]>, 'bus'> = {}): Promise<{
  t: TestService;
  events: EventEnvelope[];
  loop: ClockFiringLoop;
}> {
  const bus = new InProcessBus();
  const events = await recordTopic(bus, 'aftersales.escalation.events.v1');
  const t = await startTestService(escalationService, { ...o, bus });
  return { t, events, loop: t.service.app.get(ClockFiringLoop) };
}

export const MIN = 60_000;
export const H = 60 * MIN;

/** The service's time, which moves only when a test steps it, and instants relative to it (ISO strings). */
export function steppedTime(start = '2026-03-02T08:00:00Z') {
  const time = new ManualClock(start);
  return {
    time,
    ago: (ms: number) => new Date(time.now().getTime() - ms).toISOString(),
    plus: (t: string, ms: number) => new Date(new Date(t).getTime() + ms).toISOString(),
  };
}
