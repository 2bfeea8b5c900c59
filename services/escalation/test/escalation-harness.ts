import { EventEnvelope } from '@aftersales/contracts';
import { InProcessBus } from '@aftersales/messaging';
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
