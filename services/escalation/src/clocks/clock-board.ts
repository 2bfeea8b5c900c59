import { Controller, Get, Injectable, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { CurrentPrincipal, Page, PageOf, PageQuery, Principal, Roles, visibleTo } from '@aftersales/platform';
import { ClockRepository } from './clock.repository';
import { FiringRepository } from './firing.repository';

/** `?caseId=a&caseId=b` or `?caseId=a,b` */
const listOf = ({ value }: { value: unknown }): unknown[] =>
  (Array.isArray(value) ? (value as unknown[]) : [value])
    .flatMap((v) => (typeof v === 'string' ? v.split(',') : [v]))
    .filter((v) => v !== '');

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

const iso = (v: Date) => v.toISOString();
const isoOrNull = (v: Date | null) => (v ? v.toISOString() : null);

/** The clocks and firings of many cases at once, for the desk's queues and the manager board; region-scoped. */
@Injectable()
export class ClockBoard {
  constructor(
    private readonly repo: ClockRepository,
    private readonly firingRows: FiringRepository,
  ) {}

  async clocks(by: Principal, q: ClockBoardQuery): Promise<Page<BoardClockView>> {
    const filter = { state: q.state, region: visibleTo(by).region ?? null, caseIds: q.caseId ?? null, dueBefore: q.dueBefore ?? null };
    const { rows, total } = await this.repo.boardClocks(filter, q.limit, q.offset);
    const items = rows.map((r) => ({
      clockId: r.id,
      caseId: r.case_id,
      region: r.region,
      severity: r.severity,
      target: r.target,
      state: r.state,
      startedAt: iso(r.started_at),
      dueAt: isoOrNull(r.due_at),
      nextDueAt: isoOrNull(r.next_due_at),
      pausedSince: isoOrNull(r.paused_since),
    }));
    return { items, total, limit: q.limit, offset: q.offset };
  }

  async firings(by: Principal, q: FiringsQuery): Promise<Page<BoardFiringView>> {
    const filter = { since: new Date(q.since), region: visibleTo(by).region ?? null, keyPrefix: q.kind ? `${q.kind}:` : '' };
    const { rows, total } = await this.firingRows.boardFirings(filter, q.limit, q.offset);
    const items = rows.map((r) => ({
      caseId: r.case_id,
      region: r.region,
      severity: r.severity,
      target: r.target,
      key: r.event_key,
      dueAt: iso(r.due_at),
      firedAt: iso(r.fired_at),
    }));
    return { items, total, limit: q.limit, offset: q.offset };
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
