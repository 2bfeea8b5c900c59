import { ApiProperty } from '@nestjs/swagger';

/** The answers of survey's routes that are not one record class of their own (OpenAPI only). */

class ContactView {
  @ApiProperty() name: string;
  @ApiProperty({ required: false }) phone?: string;
  @ApiProperty({ required: false }) email?: string;
}

/** What survey knows of a case: who to ask, who owned it, its tags. */
export class SurveyCaseView {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty() caseNumber: string;
  @ApiProperty() customerId: string;
  @ApiProperty({ type: ContactView }) contact: ContactView;
  @ApiProperty() region: string;
  @ApiProperty() caseType: string;
  @ApiProperty() status: string;
  @ApiProperty({ nullable: true, type: String }) ownerName: string | null;
  @ApiProperty({ nullable: true, type: String }) escalationOwnerName: string | null;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({ type: String, format: 'date-time' }) openedAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) closedAt: string | null;
}

class ExcludedCaseView {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ nullable: true, type: String }) caseNumber: string | null;
  @ApiProperty({ format: 'uuid' }) ruleId: string;
  @ApiProperty() ruleName: string;
}

export class BatchView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() region: string;
  @ApiProperty({ example: '2026-W49' }) week: string;
  @ApiProperty({ type: String, format: 'date-time' }) dueAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) ranAt: string;
  @ApiProperty({ description: 'surveys sent' }) surveys: number;
  @ApiProperty({ type: [ExcludedCaseView], description: 'the closed cases an exclusion rule left out' }) excluded: ExcludedCaseView[];
}

class BatchRunExclusionView {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty() caseNumber: string;
  @ApiProperty({ type: String, format: 'date-time' }) caseClosedAt: string;
  @ApiProperty({ format: 'uuid' }) ruleId: string;
  @ApiProperty() ruleName: string;
}

class BatchRunView {
  @ApiProperty({ format: 'uuid' }) batchId: string;
  @ApiProperty() region: string;
  @ApiProperty() week: string;
  @ApiProperty() surveys: number;
  @ApiProperty({ type: [BatchRunExclusionView] }) excluded: BatchRunExclusionView[];
}

export class BatchRunsView {
  @ApiProperty({ type: [BatchRunView], description: 'empty when nothing was due or another replica ran it' }) runs: BatchRunView[];
}
