import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Clock, CurrentPrincipal, Principal, regionScope, Roles } from '@aftersales/platform';
import { notFound } from '../http/errors';
import { DeliveryDetail, DeliveryPage, DeliveryQuery, DeliveryView, IdParam } from './deliveries.dto';
import { DeliveryFilter, DeliveryRepository } from './delivery.repository';
import { DeliveryWorker } from './delivery-worker';

/** Staff see their region's deliveries (a `global` token all); a customer sees only what was sent to it, never a staff notice. */
function scope(by: Principal): DeliveryFilter {
  if (by.roles.every((r) => r === 'customer')) return { customerId: by.customerId ?? '' };
  const region = regionScope(by);
  return region === undefined ? {} : { region };
}

/** The delivery log: every (event, recipient, channel) with its state, attempts and the provider's answers. */
@ApiTags('deliveries')
@ApiBearerAuth()
@Controller('deliveries')
export class DeliveriesController {
  constructor(
    private readonly repo: DeliveryRepository,
    private readonly worker: DeliveryWorker,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOkResponse({ type: DeliveryPage })
  async list(@Query() q: DeliveryQuery, @CurrentPrincipal() by: Principal) {
    const page = await this.repo.list({ ...scope(by), caseId: q.caseId, status: q.status, channel: q.channel }, q);
    return { ...page, limit: q.limit, offset: q.offset };
  }

  @Get(':id')
  @ApiOkResponse({ type: DeliveryDetail })
  @ApiResponse({ status: 404, description: 'no such delivery (or out of scope)' })
  async get(@Param() p: IdParam, @CurrentPrincipal() by: Principal) {
    const d = await this.repo.get(p.id, scope(by));
    if (!d) throw notFound(`delivery ${p.id}`);
    return d;
  }

  /** A dead (or failing) delivery back to the queue with a fresh set of attempts, e.g. after fixing an address or a provider. */
  @Post(':id/retry')
  @HttpCode(200)
  @Roles('manager', 'admin')
  @ApiOkResponse({ type: DeliveryView })
  @ApiResponse({ status: 404, description: 'no dead or failed delivery with this id in scope' })
  async retry(@Param() p: IdParam, @CurrentPrincipal() by: Principal) {
    const d = await this.repo.requeue(p.id, this.clock.now(), scope(by).region);
    if (!d) throw notFound(`dead or failed delivery ${p.id}`);
    this.worker.kick();
    return d;
  }
}
