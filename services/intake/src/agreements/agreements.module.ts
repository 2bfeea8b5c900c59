import { Module } from '@nestjs/common';
import { AgreementRepository } from './agreement.repository';
import { AgreementsController } from './agreements.controller';
import { AgreementsService } from './agreements.service';
import { DueBatches } from '../maintenance/due-batch';
import { RenewalReminders } from './renewal-reminders';

/** The agreements' store, shared with the registry (warranty status at the desk and at intake). */
@Module({ providers: [AgreementRepository], exports: [AgreementRepository] })
export class AgreementStoreModule {}

/** Maintenance agreements after the warranty. */
@Module({
  imports: [AgreementStoreModule],
  controllers: [AgreementsController],
  providers: [AgreementsService, RenewalReminders, DueBatches],
  exports: [AgreementStoreModule, RenewalReminders, DueBatches],
})
export class AgreementsModule {}
