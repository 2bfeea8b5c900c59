import { CaseField1700000000200 } from '../migrations/1700000000200-case-field';
import { FieldVisit, ReportSignature, ServiceReport, VendorCase, VendorCaseUpdate } from './field.entities';

export * from './field.module';

export const fieldPersistence = {
  entities: [FieldVisit, ServiceReport, ReportSignature, VendorCase, VendorCaseUpdate] as Array<new () => unknown>,
  migrations: [CaseField1700000000200] as Array<new () => unknown>,
};
