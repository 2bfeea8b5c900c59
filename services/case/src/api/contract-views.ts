import { ApiProperty } from '@nestjs/swagger';

/** Answers of the contracts work's routes (issue 15) as the OpenAPI documents show them. */

const dateTime = { type: String, format: 'date-time' } as const;
const maybeDateTime = { ...dateTime, nullable: true } as const;

class RecordContactView {
  @ApiProperty() name: string;
  @ApiProperty({ required: false }) email?: string;
  @ApiProperty({ required: false }) phone?: string;
}

/** A customer's monthly maintenance record: the month's counts and lines, and where it stands. */
export class MaintenanceRecordView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() contractId: string;
  @ApiProperty() customerId: string;
  @ApiProperty() region: string;
  @ApiProperty({ example: '2026-05' }) month: string;
  @ApiProperty(dateTime) from: string;
  @ApiProperty(dateTime) to: string;
  @ApiProperty({ type: Object, description: 'the month’s counts (cases, inspections, parts, …)' }) counts: Record<string, unknown>;
  @ApiProperty({ type: Object, description: 'the lines behind the counts: cases, inspections, parts' }) lines: Record<string, unknown>;
  @ApiProperty({ type: RecordContactView, nullable: true }) contact: RecordContactView | null;
  @ApiProperty({ enum: ['draft', 'reviewed', 'sent', 'archived'] }) status: string;
  @ApiProperty(dateTime) generatedAt: string;
  @ApiProperty({ type: String, nullable: true }) reviewedBy: string | null;
  @ApiProperty(maybeDateTime) reviewedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) sentBy: string | null;
  @ApiProperty(maybeDateTime) sentAt: string | null;
  @ApiProperty({ type: String, nullable: true }) archivedBy: string | null;
  @ApiProperty(maybeDateTime) archivedAt: string | null;
}

/** A management report as JSON: its columns, and one object per row keyed by them. */
export class ReportTableView {
  @ApiProperty({ type: [String] }) columns: string[];
  @ApiProperty({ type: 'array', items: { type: 'object' } }) rows: Array<Record<string, unknown>>;
}
