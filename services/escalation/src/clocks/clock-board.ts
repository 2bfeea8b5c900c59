import { Controller, Get, Inject, Injectable, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import {
  CurrentPrincipal,
  Page,
  PageOf,
  PageQuery,
  Principal,
  Roles,
  SERVICE_RUNTIME,
  ServiceRuntime,
  visibleTo,
} from '@aftersales/platform';

/** `?caseId=a&caseId=b` or `?caseId=a,b` */
const listOf = ({ value }: { value: unknown }) =>
  (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v])).filter((v) => v !== '');

export class ClockBoardQuery extends PageQuery {
  @ApiPropertyOptional({ type: [String], description: 'only these cases (up to 200): a queue asks for its cases’ clocks at once' })
  @IsOptional()
  @Transform(listOf)
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  caseId?: string[];
  @ApiPropertyOptional({ enum: ['running', 'stopped'], default: 'running' })
  @IsOptional()
  @IsIn(['running', 'stopped'])
  state: 'running' | 'stopped' = 'running';
  @ApiPropertyOptional({ description: 'only clocks whose planned breach is before this instant (the at-risk board)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  dueBefore?: string;
}

export class FiringsQuery extends PageQuery {
  @ApiProperty({ description: 'fired at or after this instant (e.g. the start of today)' }) @IsISO8601({ strict: true }) since: string;
  @ApiPropertyOptional({ enum: ['rung', 'breach', 'warning'] }) @IsOptional() @IsIn(['rung', 'breach', 'warning']) kind?: string;
}

export class BoardClockView {
  @ApiProperty() clockId: string;
  @ApiProperty() caseId: string;
  @ApiProperty() region: string;
  @ApiProperty() severity: string;
  @ApiProperty({ description: '`ladder:<kind>`, a target kind, or `downtime`' }) target: string;
  @ApiProperty() state: string;
  @ApiProperty() startedAt: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'the breach as planned at the start (a pause moves the real one later)',
  })
  dueAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'the next warning, breach or rung to fire' })
  nextDueAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) pausedSince: string | null;
}

export class BoardFiringView {
  @ApiProperty() caseId: string;
  @ApiProperty() region: string;
  @ApiProperty() severity: string;
  @ApiProperty() target: string;
  @ApiProperty({ description: '`rung:<i>`, `warning:<target>` or `breach:<target>`' }) key: string;
  @ApiProperty() dueAt: string;
  @ApiProperty() firedAt: string;
}

type Row = Record<string, unknown>;
const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

/** The clocks and firings of many cases at once, for the desk's queues and the manager board; region-scoped. */
@Injectable()
export class ClockBoard {
  constructor(@Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime) {}

  async clocks(by: Principal, q: ClockBoardQuery): Promise<Page<BoardClockView>> {
    const s = this.rt.config.database.schema;
    const region = visibleTo(by).region ?? null;
    const params = [q.state, region, q.caseId ?? null, q.dueBefore ?? null];
    const where = `state = $1 AND ($2::text IS NULL OR region = $2) AND ($3::uuid[] IS NULL OR case_id = ANY($3::uuid[]))
       AND ($4::timestamptz IS NULL OR due_at < $4)`;
    const [rows, [{ n }]] = await Promise.all([
      this.rt.dataSource.query(
        `SELECT id, case_id, region, severity, target, state, started_at, due_at, next_due_at, paused_since
           FROM "${s}".sla_clocks WHERE ${where}
          ORDER BY due_at ASC NULLS LAST, id LIMIT $5 OFFSET $6`,
        [...params, q.limit, q.offset],
      ) as Promise<Row[]>,
      this.rt.dataSource.query(`SELECT count(*)::int AS n FROM "${s}".sla_clocks WHERE ${where}`, params) as Promise<Array<{ n: number }>>,
    ]);
    const items = rows.map((r) => ({
      clockId: r.id as string,
      caseId: r.case_id as string,
      region: r.region as string,
      severity: r.severity as string,
      target: r.target as string,
      state: r.state as string,
      startedAt: iso(r.started_at)!,
      dueAt: iso(r.due_at),
      nextDueAt: iso(r.next_due_at),
      pausedSince: iso(r.paused_since),
    }));
    return { items, total: n, limit: q.limit, offset: q.offset };
  }

  async firings(by: Principal, q: FiringsQuery): Promise<Page<BoardFiringView>> {
    const s = this.rt.config.database.schema;
    const region = visibleTo(by).region ?? null;
    const params = [new Date(q.since), region, q.kind ? `${q.kind}:%` : '%'];
    const from = `"${s}".clock_firings f JOIN "${s}".sla_clocks c ON c.id = f.clock_id
       WHERE f.fired_at >= $1 AND ($2::text IS NULL OR c.region = $2) AND f.event_key LIKE $3`;
    const [rows, [{ n }]] = await Promise.all([
      this.rt.dataSource.query(
        `SELECT c.case_id, c.region, c.severity, c.target, f.event_key, f.due_at, f.fired_at FROM ${from}
          ORDER BY f.fired_at DESC, c.case_id, f.event_key LIMIT $4 OFFSET $5`,
        [...params, q.limit, q.offset],
      ) as Promise<Row[]>,
      this.rt.dataSource.query(`SELECT count(*)::int AS n FROM ${from}`, params) as Promise<Array<{ n: number }>>,
    ]);
    const items = rows.map((r) => ({
      caseId: r.case_id as string,
      region: r.region as string,
      severity: r.severity as string,
      target: r.target as string,
      key: r.event_key as string,
      dueAt: iso(r.due_at)!,
      firedAt: iso(r.fired_at)!,
    }));
    return { items, total: n, limit: q.limit, offset: q.offset };
  }
}

@ApiTags('clocks')
@ApiBearerAuth()
@Controller()
export class ClockBoardController {
  constructor(private readonly board: ClockBoard) {}

  /** Clocks of many cases, soonest planned breach first: the queues' countdowns and the at-risk board. */
  @Get('clocks')
  @Roles('agent', 'engineer', 'manager', 'admin')
  @ApiOkResponse({ description: 'a page of clocks, soonest planned breach first', type: PageOf(BoardClockView) })
  clocks(@Query() q: ClockBoardQuery, @CurrentPrincipal() by: Principal) {
    return this.board.clocks(by, q);
  }

  /** What fired since an instant (rungs fired today, breaches), newest first. */
  @Get('firings')
  @Roles('agent', 'engineer', 'manager', 'admin')
  @ApiOkResponse({ description: 'a page of firings, newest first', type: PageOf(BoardFiringView) })
  firings(@Query() q: FiringsQuery, @CurrentPrincipal() by: Principal) {
    return this.board.firings(by, q);
  }
}
