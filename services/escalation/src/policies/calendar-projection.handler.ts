import { Controller, Logger } from '@nestjs/common';
import { BusinessCalendarDefinition, validateCalendarDefinition } from '@aftersales/calendar';
import { Envelope, HandlerContext, OnEvent } from '@aftersales/messaging';
import { CalendarStore } from './calendar-store';

/** Copies the registry's business calendars, so contract clocks count on them without asking intake. */
@Controller()
export class CalendarProjection {
  private readonly log = new Logger('CalendarProjection');

  constructor(private readonly calendars: CalendarStore) {}

  @OnEvent('intake.calendar.changed.v1', { consumer: 'escalation.calendar-projection' })
  async onCalendarChanged(event: Envelope<'intake.calendar.changed.v1'>, { manager }: HandlerContext): Promise<void> {
    const def = { ...event.data.definition, id: event.data.calendarId } as unknown as BusinessCalendarDefinition;
    const problems = validateCalendarDefinition(def);
    if (problems.length) {
      // intake validates before it publishes; a bad one here is logged and skipped, never half-applied
      this.log.warn(`calendar ${def.id} ignored: ${problems.join('; ')}`);
      return;
    }
    await this.calendars.put(def, manager);
  }
}
