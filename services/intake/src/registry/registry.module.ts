import { Module } from '@nestjs/common';
import { CalendarsController, CalendarsService } from './calendars';
import { DeskLookupController, DeskLookupService } from './desk-lookup';
import { RegistryImportController, RegistryImportService } from './registry-import';
import { RegistryLookup } from './registry-lookup';
import { AssetsController, ContactsController, ContractsController, CustomersController, SitesController } from './registry.controllers';
import { RegistryService } from './registry.service';
import { AgreementStoreModule } from '../agreements/agreements.module';
import { WarrantyModule } from '../warranty';

/** Customers, sites, contacts, contracts, calendars and installed assets. */
@Module({
  imports: [WarrantyModule, AgreementStoreModule],
  controllers: [
    CustomersController,
    SitesController,
    ContactsController,
    ContractsController,
    AssetsController,
    CalendarsController,
    RegistryImportController,
    DeskLookupController,
  ],
  providers: [RegistryLookup, RegistryService, CalendarsService, RegistryImportService, DeskLookupService],
  exports: [RegistryLookup],
})
export class RegistryModule {}
