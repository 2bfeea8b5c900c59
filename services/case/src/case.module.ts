import { Module } from '@nestjs/common';
import { CasesController } from './cases/cases.controller';
import { CaseIntakeHandler } from './cases/case-intake.handler';
import { CasesModule } from './cases/cases.module';
import { CasesService } from './cases/cases.service';
import { FieldModule } from './field';
import { KnowledgeModule } from './knowledge';

@Module({
  imports: [CasesModule, FieldModule, KnowledgeModule],
  controllers: [CasesController, CaseIntakeHandler],
  providers: [CasesService],
})
export class CaseModule {}
