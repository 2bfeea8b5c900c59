import { Injectable } from '@nestjs/common';
import { Outbox } from '@aftersales/messaging';
import { Clock } from '@aftersales/platform';
import { CalendarStore } from '../policies/calendar-store';
import { PolicyStore } from '../policies/policy-store';
import { ClockFiringLoop } from './clock-firing.loop';
import { ClockPlans } from './clock-plans';
import { ClockRepository } from './clock.repository';

/** What the handlers that start, pause, re-plan and stop a case's clocks on its events work with. */
@Injectable()
export abstract class ClockHandler {
  constructor(
    protected readonly clocks: ClockRepository,
    protected readonly outbox: Outbox,
    protected readonly plans: ClockPlans,
    protected readonly firing: ClockFiringLoop,
    protected readonly policies: PolicyStore,
    protected readonly calendars: CalendarStore,
    protected readonly clock: Clock,
  ) {}
}
