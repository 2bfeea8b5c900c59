import { Module } from '@nestjs/common';
import { ClocksController } from './clocks/clocks.controller';
import { ClockStarter } from './clocks/clock-starter.handler';
import { ClockFiringLoop } from './clocks/clock-firing.loop';
import { TimelineController } from './timeline/timeline.controller';

@Module({ controllers: [ClocksController, TimelineController, ClockStarter], providers: [ClockFiringLoop] })
export class EscalationModule {}
