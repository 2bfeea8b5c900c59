import { Module } from '@nestjs/common';
import { KnowledgeModule } from '../knowledge/knowledge.module';
import { RegistryModule } from '../registry/registry.module';
import { CaseProjectionHandler } from './case-projection.handler';
import { HandoffWatch } from './handoff-watch';
import { IntakeMetrics } from './intake-metrics';
import { RequestsController } from './requests.controller';
import { RequestsService } from './requests.service';
import { TriagePreviewController } from './triage-preview.controller';

/** Service requests: triage, duplicate prevention, hand-off; every channel files through RequestsService. */
@Module({
  imports: [RegistryModule, KnowledgeModule],
  controllers: [RequestsController, TriagePreviewController, CaseProjectionHandler],
  providers: [RequestsService, HandoffWatch, IntakeMetrics],
  exports: [RequestsService, HandoffWatch, IntakeMetrics],
})
export class RequestsModule {}
