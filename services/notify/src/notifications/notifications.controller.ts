import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { CurrentPrincipal, PageOf, PageQuery, Principal, visibleTo } from '@aftersales/platform';
import { DataSource } from 'typeorm';
import { Notification, NotificationView } from './notification.entity';

class NotificationQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() caseId?: string;
}

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOkResponse({ type: PageOf(NotificationView), description: 'the notices of the caller’s scope, newest first' })
  async list(@Query() q: NotificationQuery, @CurrentPrincipal() by: Principal) {
    const where = { ...visibleTo(by), ...(q.caseId ? { caseId: q.caseId } : {}) };
    const [items, total] = await this.dataSource
      .getRepository(Notification)
      .findAndCount({ where, order: { createdAt: 'DESC', id: 'ASC' }, take: q.limit, skip: q.offset });
    return { items, total, limit: q.limit, offset: q.offset };
  }
}
