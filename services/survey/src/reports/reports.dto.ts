import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PageQuery } from '@aftersales/platform';

const WEEK = /^\d{4}-W\d{2}$/;
const REGION = /^[a-z][a-z0-9-]{0,31}$/;

export class WeekReportQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'admins only: the region (default: the token’s)' })
  @IsOptional()
  @Matches(REGION, { message: 'region must be lowercase letters, digits and dashes' })
  region?: string;
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json', description: 'csv: the whole week as a file (no paging)' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class RangeReportQuery {
  @ApiPropertyOptional({ description: 'admins only: the region (default: the token’s)' })
  @IsOptional()
  @Matches(REGION, { message: 'region must be lowercase letters, digits and dashes' })
  region?: string;
  @ApiPropertyOptional({ example: '2026-W40', description: 'first week (default: eleven weeks before `to`)' })
  @IsOptional()
  @Matches(WEEK, { message: 'from must look like 2026-W40' })
  from?: string;
  @ApiPropertyOptional({ example: '2026-W49', description: 'last week (default: the newest week whose batch ran)' })
  @IsOptional()
  @Matches(WEEK, { message: 'to must look like 2026-W49' })
  to?: string;
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class ItemSummaryView {
  @ApiProperty() answered: number;
  @ApiProperty({ nullable: true, type: Number }) average: number | null;
  @ApiProperty({ example: { '1': 0, '2': 1, '3': 0, '4': 2, '5': 3 } }) distribution: Record<string, number>;
}

export class SummaryView {
  @ApiProperty() sent: number;
  @ApiProperty() answered: number;
  @ApiProperty() partial: number;
  @ApiProperty({ description: 'answered / sent' }) responseRate: number;
  @ApiProperty({ nullable: true, type: Number }) average: number | null;
  @ApiProperty({ description: 'per item: answered, average, distribution of 1–5', type: Object }) items: Record<string, ItemSummaryView>;
  @ApiProperty() smooth: { yes: number; no: number; unanswered: number };
  @ApiProperty({ description: 'answered surveys with an item below 3' }) lowScore: number;
}

export class CaseReportRow {
  @ApiProperty() caseNumber: string;
  @ApiProperty() customerId: string;
  @ApiProperty({ nullable: true, type: String, description: 'Case责任人' }) caseOwner: string | null;
  @ApiProperty({ nullable: true, type: String, description: '升级责任人' }) escalationOwner: string | null;
  @ApiProperty({ enum: ['sent', 'partial', 'answered'] }) status: string;
  @ApiProperty({ nullable: true, type: Number }) responseTime: number | null;
  @ApiProperty({ nullable: true, type: Number }) technicalSkill: number | null;
  @ApiProperty({ nullable: true, type: Number }) attitude: number | null;
  @ApiProperty({ nullable: true, type: Number }) outcome: number | null;
  @ApiProperty({ nullable: true, type: Boolean }) smooth: boolean | null;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
  @ApiProperty({ nullable: true, type: String }) via: string | null;
  @ApiProperty({ nullable: true, type: Object, description: 'the callback of a low score: status, outcome, due, overdue' })
  callback: unknown;
}

/** `GET /reports/weeks`: each week's summary against the week before. */
export class WeekTrendView {
  @ApiProperty({ example: '2026-W49' }) week: string;
  @ApiProperty({ type: SummaryView }) summary: SummaryView;
  @ApiProperty({ nullable: true, type: Number, description: 'overall average against the week before' }) averageChange: number | null;
  @ApiProperty({ nullable: true, type: Number }) responseRateChange: number | null;
  @ApiProperty({ type: Object, description: 'per item: change of its average against the week before (or null)' }) itemChange: Record<
    string,
    number | null
  >;
}

export class TrendView {
  @ApiProperty() region: string;
  @ApiProperty({ example: '2026-W40' }) from: string;
  @ApiProperty({ example: '2026-W49' }) to: string;
  @ApiProperty({ type: [WeekTrendView] }) weeks: WeekTrendView[];
}

/** A summary with who it is about (an engineer or a region). */
export class EngineerSummaryView extends SummaryView {
  @ApiProperty({ nullable: true, type: String, description: 'the case owner (null: cases without one)' }) engineerId: string | null;
  @ApiProperty({ nullable: true, type: String }) engineerName: string | null;
}

export class EngineersReportView {
  @ApiProperty() region: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ type: [EngineerSummaryView] }) engineers: EngineerSummaryView[];
}

export class RegionSummaryView extends SummaryView {
  @ApiProperty() region: string;
}

export class RegionsReportView {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ type: [RegionSummaryView] }) regions: RegionSummaryView[];
}

class WeekPeriodView {
  @ApiProperty({ enum: ['open', 'reviewed', 'signed-off', 'archived'] }) state: string;
  @ApiProperty({ nullable: true, type: String }) reviewedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) signedOffBy: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) archivedAt: string | null;
}

class CallbackSummaryView {
  @ApiProperty() requested: number;
  @ApiProperty() open: number;
  @ApiProperty() overdue: number;
  @ApiProperty() openOverdue: number;
  @ApiProperty() reached: number;
  @ApiProperty() unreachable: number;
  @ApiProperty() complaintOpened: number;
}

/** `GET /reports/weeks/{week}`: the week's summary, where its period stands, its callbacks. */
export class WeekSummaryView extends SummaryView {
  @ApiProperty() region: string;
  @ApiProperty({ example: '2026-W49' }) week: string;
  @ApiProperty({ type: WeekPeriodView }) period: WeekPeriodView;
  @ApiProperty({ type: CallbackSummaryView }) callbacks: CallbackSummaryView;
}
