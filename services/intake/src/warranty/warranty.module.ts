import { Module } from '@nestjs/common';
import { DowntimeFactsHandler } from './downtime-facts.handler';
import { WarrantyLedgerRepository } from './warranty-ledger.repository';
import { WarrantyLedger } from './warranty-ledger.service';
import { WarrantyView } from './warranty-view';

/** The warranty ledger: supplier-caused downtime extends the warranties of the case's asset or contract (seed 003). */
@Module({
  controllers: [DowntimeFactsHandler],
  providers: [WarrantyLedgerRepository, WarrantyLedger, WarrantyView],
  exports: [WarrantyView],
})
export class WarrantyModule {}
