import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { CurrentPrincipal, PageOf, PageQuery, Principal, Roles } from '@aftersales/platform';
import { DEADLINE_KINDS, DeadlineKind, DeadlineState } from '../domain/deadline-policy';
import { DeadlinesRepository } from './deadlines.repository';

export class DeadlineListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DEADLINE_KINDS }) @IsOptional() @IsIn(DEADLINE_KINDS) kind?: DeadlineKind;
  @ApiPropertyOptional({ enum: ['open', 'overdue', 'met'] }) @IsOptional() @IsIn(['open', 'overdue', 'met']) state?: DeadlineState;
  @ApiPropertyOptional({ description: 'the task’s id in its own service (callback id, purchase plan id)' })
  @IsOptional()
  @IsUUID()
  subjectId?: string;
}

const dateTime = { type: String, format: 'date-time' } as const;

/** A task deadline as `GET /deadlines` lists it. */
class DeadlineView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: DEADLINE_KINDS }) kind: string;
  @ApiProperty({ description: 'the task’s id in its own service' }) subjectId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) caseId: string | null;
  @ApiProperty() region: string;
  @ApiProperty({ ...dateTime, nullable: true }) dueAt: string | null;
  @ApiProperty({ type: [String], description: 'who is told when it falls overdue' }) notifyRoles: string[];
  @ApiProperty({ enum: ['open', 'overdue', 'met'] }) state: string;
  @ApiProperty(dateTime) recordedAt: string;
  @ApiProperty({ ...dateTime, nullable: true }) firedAt: string | null;
  @ApiProperty({ ...dateTime, nullable: true }) metAt: string | null;
}

/** The task deadlines escalation holds for other services, in the caller's region (admins: all). */
@ApiTags('deadlines')
@ApiBearerAuth()
@Controller('deadlines')
export class DeadlinesController {
  constructor(private readonly deadlines: DeadlinesRepository) {}

  @Get()
  @Roles('agent', 'manager', 'admin')
  @ApiOperation({ summary: 'Task deadlines (survey callbacks, purchase-plan stock-ins): open, overdue or met, earliest first' })
  @ApiResponse({ status: 200, type: PageOf(DeadlineView), description: 'a page (`items`, `total`, `limit`, `offset`)' })
  async list(@Query() q: DeadlineListQuery, @CurrentPrincipal() by: Principal) {
    return { ...(await this.deadlines.list(by, q, q.limit, q.offset)), limit: q.limit, offset: q.offset };
  }
}
