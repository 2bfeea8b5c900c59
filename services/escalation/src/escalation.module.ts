import { Module } from '@nestjs/common';
import { ClocksController } from './clocks/clocks.controller';
import { ClockStarter } from './clocks/clock-starter.handler';

@Module({ controllers: [ClocksController, ClockStarter] })
export class EscalationModule {}
