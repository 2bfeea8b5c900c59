import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Clock, CurrentPrincipal, Principal } from '@aftersales/platform';
import { notFound } from '../http/errors';
import { IdParam, InboxItem, InboxPage, InboxQuery, MarkedCount, ReadReceipt, UnreadCount } from './deliveries.dto';
import { Delivery, DeliveryRepository } from './delivery.repository';

const item = (d: Delivery): InboxItem => ({
  id: d.id,
  caseId: d.caseId,
  template: d.template,
  severity: d.severity,
  subject: d.subject,
  body: d.body,
  onBehalfOf: d.onBehalfOf,
  createdAt: d.createdAt,
  readAt: d.readAt,
});

/** Whose inbox a token reads: a customer's users share their customer's (`customer:<id>`, where contact notices without an address land). */
const inboxOf = (by: Principal) => (by.customerId ? `customer:${by.customerId}` : by.subject);

/**
 * The in-app inbox of the person behind the token (`sub` = their id in the directory, for engineers
 * their case-service id). Nobody reads anyone else's: another person's item is 404.
 */
@ApiTags('inbox')
@ApiBearerAuth()
@Controller('inbox')
export class InboxController {
  constructor(
    private readonly repo: DeliveryRepository,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOkResponse({ type: InboxPage })
  async list(@Query() q: InboxQuery, @CurrentPrincipal() by: Principal): Promise<InboxPage> {
    const page = await this.repo.inbox(inboxOf(by), q.unread === true, q);
    return {
      items: page.items.map(item),
      total: page.total,
      unread: await this.repo.unreadCount(inboxOf(by)),
      limit: q.limit,
      offset: q.offset,
    };
  }

  @Get('unread-count')
  @ApiOkResponse({ type: UnreadCount })
  async unread(@CurrentPrincipal() by: Principal): Promise<UnreadCount> {
    return { unread: await this.repo.unreadCount(inboxOf(by)) };
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOkResponse({ type: ReadReceipt })
  @ApiResponse({ status: 404, description: 'not in your inbox' })
  async read(@Param() p: IdParam, @CurrentPrincipal() by: Principal): Promise<ReadReceipt> {
    const r = await this.repo.markRead(inboxOf(by), p.id, this.clock.now());
    if (!r) throw notFound(`inbox item ${p.id}`);
    return r;
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOkResponse({ type: MarkedCount })
  async readAll(@CurrentPrincipal() by: Principal): Promise<MarkedCount> {
    return { marked: await this.repo.markAllRead(inboxOf(by), this.clock.now()) };
  }
}
