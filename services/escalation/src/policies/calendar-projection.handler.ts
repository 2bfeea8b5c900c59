import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { BusinessCalendarDefinition, validateCalendarDefinition } from '@aftersales/calendar';
import { EventData, EventEnvelope } from '@aftersales/contracts';
import { SERVICE_RUNTIME, ServiceRuntime } from '@aftersales/platform';
import { CalendarStore } from './calendar-store';

/** Copies the registry's business calendars, so contract clocks count on them without asking intake. */
@Controller()
export class CalendarProjection {
  private readonly log = new Logger('CalendarProjection');

  constructor(
    @Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime,
    private readonly calendars: CalendarStore,
  ) {}

  @EventPattern('intake.calendar.changed.v1')
  async onCalendarChanged(@Payload() event: EventEnvelope<EventData<'intake.calendar.changed.v1'>>): Promise<void> {
    const def = { ...event.data.definition, id: event.data.calendarId } as unknown as BusinessCalendarDefinition;
    const problems = validateCalendarDefinition(def);
    if (problems.length) {
      // intake validates before it publishes; a bad one here is logged and skipped, never half-applied
      this.log.warn(`calendar ${def.id} ignored: ${problems.join('; ')}`);
      return;
    }
    await this.rt.inbox.handleOnce('escalation.calendar-projection', event, (m) => this.calendars.put(def, m));
  }
}
