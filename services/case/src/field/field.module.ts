import { Module } from '@nestjs/common';
import { CasesModule } from './case-core';
import { FieldCloseGuard } from './field-close-guard';
import { FieldController } from './field.controller';
import { ReportsService } from './reports.service';
import { VendorCasesService } from './vendor-cases.service';
import { VendorCaseRequiredHandler } from './vendor-case-required.handler';
import { VisitsService } from './visits.service';

/** Field work: on-site visits, customer service reports (signed), upstream vendor cases. */
@Module({
  imports: [CasesModule],
  controllers: [FieldController, VendorCaseRequiredHandler],
  providers: [VisitsService, ReportsService, VendorCasesService, FieldCloseGuard],
})
export class FieldModule {}
