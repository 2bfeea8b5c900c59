import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CALENDAR_DEFINITION_SCHEMA } from '@aftersales/calendar';
import { KNOWN_ROLES, PAUSE_REASONS, SEVERITIES, TARGET_KINDS } from '../domain';

/** What escalation answers, as the OpenAPI document shows it (the shapes the controllers return). */

const ROLE_NAMES = [...KNOWN_ROLES];
const dateTime = { type: String, format: 'date-time' } as const;

export class RungView {
  @ApiProperty({ description: 'business minutes on the clock (pauses excluded) after which the rung fires' }) afterMinutes: number;
  @ApiProperty({ enum: ROLE_NAMES, isArray: true, description: 'who is told (resolved to people per region by notify)' })
  notifyRoles: string[];
  @ApiPropertyOptional({ enum: ['open-vendor-case'] }) action?: 'open-vendor-case';
  @ApiProperty() label: string;
}

export class LadderView {
  @ApiProperty({ enum: TARGET_KINDS }) target: string;
  @ApiProperty({ type: [RungView] }) rungs: RungView[];
}

export class SeverityPolicyView {
  @ApiProperty({
    type: 'object',
    description: 'target minutes (business minutes on the contract calendar) per target kind',
    properties: Object.fromEntries(TARGET_KINDS.map((k) => [k, { type: 'number' }])),
    additionalProperties: false,
  })
  targets: Record<string, number>;
  @ApiProperty({ type: LadderView }) ladder: LadderView;
  @ApiPropertyOptional({ description: 'share of each target at which a pre-breach warning is due', example: 0.8 }) warnAtShare?: number;
  @ApiProperty({ enum: PAUSE_REASONS, isArray: true, description: 'pause reasons that stop the clock' }) pausesOn: string[];
}

export class SeveritiesView {
  @ApiProperty({ type: SeverityPolicyView }) P1: SeverityPolicyView;
  @ApiProperty({ type: SeverityPolicyView }) P2: SeverityPolicyView;
  @ApiProperty({ type: SeverityPolicyView }) P3: SeverityPolicyView;
  @ApiProperty({ type: SeverityPolicyView }) P4: SeverityPolicyView;
}

export class PolicyView {
  @ApiProperty() id: string;
  @ApiProperty() version: number;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['contract'] }) calendarMode: 'contract';
  @ApiProperty({ type: SeveritiesView }) severities: SeveritiesView;
}

export class PolicyListView {
  @ApiProperty({ type: [PolicyView] }) items: PolicyView[];
}

export class RebaseResultView {
  @ApiProperty() policyId: string;
  @ApiProperty() version: number;
  @ApiProperty({ description: 'running clocks moved to the version' }) clocks: number;
  @ApiProperty({ description: 'clocks started for targets the version adds' }) started: number;
  @ApiProperty({ description: 'clocks of targets the version has again, running again' }) restarted: number;
  @ApiProperty({ description: 'clocks stopped for targets the version drops' }) stopped: number;
  @ApiProperty({ description: 'clocks whose role moved to the target the ladder now measures' }) retargeted: number;
}

export class RegionPolicyView {
  @ApiProperty() region: string;
  @ApiProperty() policyId: string;
}

export class CalendarDefinitionView {
  @ApiProperty({ type: 'object', properties: CALENDAR_DEFINITION_SCHEMA.properties as never, additionalProperties: false })
  definition: Record<string, unknown>;
}

export class TimelineEntryView {
  @ApiProperty({ description: '`rung:<i>`, `warning:<target>` or `breach:<target>`' }) key: string;
  @ApiProperty({ enum: ['warning', 'breach', 'rung'] }) kind: string;
  @ApiProperty({ ...dateTime, nullable: true, description: 'null while an open pause leaves it undetermined' }) dueAt: string | null;
  @ApiProperty({ enum: ['fired', 'pending', 'paused', 'stopped'] }) status: string;
  @ApiProperty({ ...dateTime, nullable: true }) firedAt: string | null;
  @ApiPropertyOptional({ enum: TARGET_KINDS }) target?: string;
  @ApiPropertyOptional() rungIndex?: number;
  @ApiPropertyOptional() afterMinutes?: number;
  @ApiPropertyOptional() label?: string;
  @ApiPropertyOptional({ enum: ROLE_NAMES, isArray: true }) notifyRoles?: string[];
  @ApiPropertyOptional({ enum: ['open-vendor-case'] }) action?: string;
}

export class TimelineView {
  @ApiProperty() policyId: string;
  @ApiProperty() policyVersion: number;
  @ApiProperty({ enum: SEVERITIES }) severity: string;
  @ApiProperty() calendarId: string;
  @ApiProperty({ enum: TARGET_KINDS }) ladderTarget: string;
  @ApiProperty(dateTime) startedAt: string;
  @ApiProperty(dateTime) now: string;
  @ApiProperty() pausedAtNow: boolean;
  @ApiProperty() elapsedMinutes: number;
  @ApiProperty({ type: [TimelineEntryView] }) events: TimelineEntryView[];
}

class LocalTimelineEntryView extends TimelineEntryView {
  @ApiProperty({ type: String, nullable: true, description: "dueAt on the calendar's wall clock, with offset" }) dueAtLocal: string | null;
}

/** A simulation: the plan in UTC and on the contract calendar's wall clock. */
export class SimulatedTimelineView extends TimelineView {
  @ApiProperty({ description: "the calendar's IANA time zone" }) timeZone: string;
  @ApiProperty({ example: '2026-05-04T09:00:00+08:00' }) startedAtLocal: string;
  @ApiProperty({ type: [LocalTimelineEntryView] }) declare events: LocalTimelineEntryView[];
}

export class DowntimeView {
  @ApiProperty() minutes: number;
  @ApiProperty() warrantyDays: number;
}

export class ClockTimelineView extends TimelineView {
  @ApiProperty({ format: 'uuid' }) clockId: string;
  @ApiProperty({ description: '`ladder:<kind>`, a target kind, `downtime` or `ladder`' }) target: string;
  @ApiProperty({ enum: TARGET_KINDS, nullable: true }) measures: string | null;
  @ApiProperty() episode: number;
  @ApiProperty({ enum: ['running', 'paused', 'stopped'] }) state: string;
  @ApiProperty({ ...dateTime, nullable: true }) stoppedAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: '`diagnosed`, `responded`, `arrived`, or the resolving status' })
  stopReason: string | null;
  @ApiPropertyOptional({ type: DowntimeView }) downtime?: DowntimeView;
}

export class CaseTimelineView {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ type: [ClockTimelineView] }) clocks: ClockTimelineView[];
}

export class ClockView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty() region: string;
  @ApiProperty({ enum: SEVERITIES }) severity: string;
  @ApiProperty() target: string;
  @ApiProperty() episode: number;
  @ApiProperty({ enum: ['running', 'paused', 'stopped'] }) state: string;
  @ApiProperty(dateTime) startedAt: string;
  @ApiProperty({ ...dateTime, nullable: true }) dueAt: string | null;
  @ApiProperty({ ...dateTime, nullable: true }) nextDueAt: string | null;
  @ApiProperty({ type: String, nullable: true }) policyId: string | null;
  @ApiProperty({ type: Number, nullable: true }) policyVersion: number | null;
  @ApiProperty({ type: String, nullable: true }) calendarId: string | null;
  @ApiProperty({ type: String, nullable: true }) contractId: string | null;
  @ApiProperty({ type: String, nullable: true }) coverage: string | null;
  @ApiProperty({ ...dateTime, nullable: true }) pausedSince: string | null;
  @ApiProperty({ ...dateTime, nullable: true }) stoppedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) stopReason: string | null;
}

export class ClockListView {
  @ApiProperty({ type: [ClockView] }) items: ClockView[];
}
