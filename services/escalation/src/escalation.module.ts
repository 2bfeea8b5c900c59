import { Module } from '@nestjs/common';
import { ClockBoard, ClockBoardController } from './clocks/clock-board';
import { ClockFiringLoop } from './clocks/clock-firing.loop';
import { ClockGauges } from './clocks/clock-gauges';
import { ClockLifecycle } from './clocks/clock-lifecycle.handler';
import { ClockPlans } from './clocks/clock-plans';
import { ClockRebase } from './clocks/clock-rebase';
import { ClockRepository } from './clocks/clock.repository';
import { FiringRepository } from './clocks/firing.repository';
import { ClocksController } from './clocks/clocks.controller';
import { deadlineControllers, deadlineProviders } from './deadlines';
import { ClockStarter } from './clocks/clock-starter.handler';
import { OnsiteClock } from './clocks/onsite-clock.handler';
import { CalendarProjection } from './policies/calendar-projection.handler';
import { CalendarStore } from './policies/calendar-store';
import { PoliciesController } from './policies/policies.controller';
import { PolicyStore } from './policies/policy-store';
import { TargetMetClocks } from './clocks/target-met.handler';
import { TimelineController } from './timeline/timeline.controller';

@Module({
  controllers: [
    ClocksController,
    ClockBoardController,
    TimelineController,
    PoliciesController,
    ClockStarter,
    ClockLifecycle,
    CalendarProjection,
    OnsiteClock,
    TargetMetClocks,
    ...deadlineControllers,
  ],
  providers: [
    ClockBoard,
    ClockRepository,
    FiringRepository,
    PolicyStore,
    CalendarStore,
    ClockPlans,
    ClockRebase,
    ClockFiringLoop,
    ClockGauges,
    ...deadlineProviders,
  ],
})
export class EscalationModule {}
