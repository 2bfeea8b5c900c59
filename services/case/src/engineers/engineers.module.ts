import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { AssignmentRetry } from './assignment-retry';
import { AssignmentService } from './assignment.service';
import { EngineersController } from './engineers.controller';
import { EngineersService } from './engineers.service';

/** Engineers directory and case assignment (policy applied at intake, manual reassignment). */
@Module({
  imports: [CasesModule],
  controllers: [EngineersController],
  providers: [EngineersService, AssignmentService, AssignmentRetry],
  exports: [EngineersService, AssignmentService],
})
export class EngineersModule {}
