import { Module } from '@nestjs/common';
import { RegistryLookup } from './registry-lookup';

/** Customers, sites, contacts, contracts, calendars and installed assets. */
@Module({ controllers: [], providers: [RegistryLookup], exports: [RegistryLookup] })
export class RegistryModule {}
