import { CaseInspections1700000015100 } from '../migrations/1700000015100-case-inspections';
import { InspectionOpener } from './inspection-opener.handler';
import { InspectionsController } from './inspections.controller';
import { InspectionsRepository } from './inspections.repository';
import { InspectionsService } from './inspections.service';

/**
 * Inspection work orders, registered in the case module itself: a finding opens its case through
 * the same CasesService as a request from intake.
 */
export const inspectionControllers = [InspectionsController, InspectionOpener];
export const inspectionProviders = [InspectionsRepository, InspectionsService];

export const inspectionsPersistence = { entities: [] as Array<new () => unknown>, migrations: [CaseInspections1700000015100] };
