import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EventData, EventEnvelope, Severity } from '@aftersales/contracts';
import { SERVICE_RUNTIME, ServiceRuntime } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { SlaClock } from './sla-clock.entity';

/**
 * Response targets of the walking skeleton, around the clock. The policy engine (calendars,
 * ladders, pauses) replaces this table; the clock row and its events keep their shape.
 */
const RESPONSE_MINUTES: Record<Severity, number> = { P1: 10, P2: 60, P3: 240, P4: 1440 };

@Controller()
export class ClockStarter {
  constructor(@Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime) {}

  @EventPattern('case.opened.v1')
  async onCaseOpened(@Payload() event: EventEnvelope<EventData<'case.opened.v1'>>): Promise<void> {
    const c = event.data;
    await this.rt.inbox.handleOnce('escalation.start-clock', event, async (m) => {
      const startedAt = new Date(c.openedAt);
      const dueAt = new Date(startedAt.getTime() + RESPONSE_MINUTES[c.severity] * 60_000);
      const clock = m.create(SlaClock, {
        id: randomUUID(),
        caseId: c.caseId,
        region: c.region,
        severity: c.severity,
        target: 'response',
        state: 'running',
        startedAt,
        dueAt,
        nextDueAt: dueAt,
      });
      await m.insert(SlaClock, clock);
      await this.rt.outbox.append(m, [
        {
          type: 'escalation.clock.started.v1',
          aggregateType: 'case',
          aggregateId: c.caseId,
          cause: event,
          data: {
            clockId: clock.id,
            caseId: c.caseId,
            region: c.region,
            severity: c.severity,
            target: clock.target,
            startedAt: startedAt.toISOString(),
            dueAt: dueAt.toISOString(),
          },
        },
      ]);
    });
  }
}
