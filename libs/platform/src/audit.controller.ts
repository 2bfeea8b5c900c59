import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { NextFunction, Request, Response } from 'express';
import { AuditLogRow, runWithActor } from '@aftersales/messaging';
import { selectRows, selectSingle } from '@aftersales/persistence';
import { CurrentPrincipal, Principal, Roles } from './auth';
import { PageQuery, regionScope } from './pagination';
import { SERVICE_RUNTIME, ServiceRuntime } from './runtime';

/**
 * Opens the audit scope of one HTTP request: a change written while handling it names the token's
 * subject as its actor. The token is verified later (by the guard), so it is read when needed.
 */
export function auditScope(req: Request, _res: Response, next: NextFunction): void {
  runWithActor(() => {
    const p = (req as Request & { principal?: Principal }).principal;
    return p ? { subject: p.subject, role: p.roles.join(','), region: p.region } : undefined;
  }, next);
}

class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'the case the changes were about (its id)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[\w.:-]+$/, { message: 'caseId must be letters, digits, _ . : or -' })
  caseId?: string;

  @ApiPropertyOptional({ description: "who made the changes: a token's subject, or `service:<name>` for the service itself" })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^[\x21-\x7e]+$/, { message: 'actor must be visible ASCII characters' })
  actor?: string;
}

class AuditEntryDto {
  @ApiProperty({ description: 'position in this service’s log (ascending = the order the changes committed)' }) id: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ description: "the token's subject, or `service:<name>` when the service acted on an event or a timer" }) actor: string;
  @ApiProperty({ nullable: true, type: String, description: 'the actor’s role(s), comma-separated' }) actorRole: string | null;
  @ApiProperty({ nullable: true, type: String }) region: string | null;
  @ApiProperty({ nullable: true, type: String }) caseId: string | null;
  @ApiProperty({ example: 'case', description: 'the event’s aggregate, or the table of a row entry' }) aggregateType: string;
  @ApiProperty({ description: 'its id (a row entry: the primary key’s values joined by `:`)' }) aggregateId: string;
  @ApiProperty({
    description: 'what happened: the event type, or `<table>.insert|update|delete` for a row entry',
    example: 'case.status.changed.v1',
  })
  action: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'the event the change published; null on a row entry' })
  eventId: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'the database transaction: the row entries and event entries of one change share it',
  })
  tx: string | null;
  @ApiProperty({
    nullable: true,
    type: Object,
    description: 'before the change: a row entry’s changed columns (an UPDATE) or whole row (a DELETE)',
  })
  before: unknown;
  @ApiProperty({ nullable: true, type: Object, description: 'after the change: a row entry’s changed columns or whole new row' })
  after: unknown;
}

class AuditPage {
  @ApiProperty({ type: [AuditEntryDto] }) items: AuditEntryDto[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

/** The service's audit log, read-only: no route writes, alters or deletes it. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(@Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime) {}

  @Get()
  @Roles('manager', 'admin')
  @ApiOperation({ summary: "Changes made through this service, newest first, by case and/or actor, in the token's region" })
  @ApiOkResponse({ type: AuditPage })
  async list(@Query() q: AuditQuery, @CurrentPrincipal() by: Principal): Promise<AuditPage> {
    const s = this.rt.config.database.schema;
    // a case's entries include the row entries of the transactions that changed it (a stock move for its part request)
    const where = `WHERE ($1::text IS NULL OR case_id = $1 OR tx IN (SELECT tx FROM "${s}".audit_log WHERE case_id = $1 AND tx IS NOT NULL))
      AND ($2::text IS NULL OR actor = $2) AND ($3::text IS NULL OR region = $3)`;
    const params = [q.caseId ?? null, q.actor ?? null, regionScope(by) ?? null];
    const rows = await selectRows<AuditLogRow>(
      this.rt.dataSource,
      `SELECT * FROM "${s}".audit_log ${where} ORDER BY id DESC LIMIT $4 OFFSET $5`,
      [...params, q.limit, q.offset],
    );
    const { total } = await selectSingle<{ total: number }>(
      this.rt.dataSource,
      `SELECT count(*)::int AS total FROM "${s}".audit_log ${where}`,
      params,
    );
    return {
      items: rows.map((r) => ({
        id: String(r.id),
        at: new Date(r.at).toISOString(),
        actor: r.actor,
        actorRole: r.actor_role,
        region: r.region,
        caseId: r.case_id,
        aggregateType: r.aggregate_type,
        aggregateId: r.aggregate_id,
        action: r.action,
        eventId: r.event_id,
        tx: r.tx,
        before: r.before,
        after: r.after,
      })),
      total,
      limit: q.limit,
      offset: q.offset,
    };
  }
}
