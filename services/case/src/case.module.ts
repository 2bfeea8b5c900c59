import { Module } from '@nestjs/common';
import { CasesController } from './cases/cases.controller';
import { CaseIntakeHandler } from './cases/case-intake.handler';
import { CasesService } from './cases/cases.service';
import { KnowledgeModule } from './knowledge';

@Module({ imports: [KnowledgeModule], controllers: [CasesController, CaseIntakeHandler], providers: [CasesService] })
export class CaseModule {}
