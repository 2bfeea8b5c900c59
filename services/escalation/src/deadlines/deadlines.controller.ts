import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { CurrentPrincipal, PageQuery, Principal, Roles } from '@aftersales/platform';
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

/** The task deadlines escalation holds for other services, in the caller's region (admins: all). */
@ApiTags('deadlines')
@ApiBearerAuth()
@Controller('deadlines')
export class DeadlinesController {
  constructor(private readonly deadlines: DeadlinesRepository) {}

  @Get()
  @Roles('agent', 'manager', 'admin')
  @ApiOperation({ summary: 'Task deadlines (survey callbacks, purchase-plan stock-ins): open, overdue or met, earliest first' })
  @ApiResponse({ status: 200, description: 'a page (`items`, `total`, `limit`, `offset`)' })
  async list(@Query() q: DeadlineListQuery, @CurrentPrincipal() by: Principal) {
    return { ...(await this.deadlines.list(by, q, q.limit, q.offset)), limit: q.limit, offset: q.offset };
  }
}
