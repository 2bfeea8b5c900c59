import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsString, IsUrl, Matches, MaxLength, MinLength } from 'class-validator';
import { canSee, Clock, CurrentPrincipal, Principal, regionScope, Roles } from '@aftersales/platform';
import { notFound } from '../http/errors';
import { WebhookRepository } from './webhook.repository';

class CustomerParam {
  @ApiProperty() @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'customerId must be 1-64 letters, digits, . _ or -' }) customerId: string;
}

class WebhookDto {
  @ApiProperty({ example: 'https://tickets.customer.example.com/aftersales' })
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true }, { message: 'url must be an http(s) URL' })
  @MaxLength(2000)
  url: string;
  @ApiProperty({ description: 'shared secret for X-Aftersales-Signature (HMAC-SHA256 over `<timestamp>.<body>`); never shown again' })
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  secret: string;
}

class WebhookView {
  @ApiProperty() customerId: string;
  @ApiProperty() region: string;
  @ApiProperty() url: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}

/**
 * A customer's own system subscribed to its notices (case acknowledgements): POSTed as JSON with
 * `X-Aftersales-Timestamp` and `X-Aftersales-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`.
 */
@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly repo: WebhookRepository,
    private readonly clock: Clock,
  ) {}

  @Put(':customerId')
  @Roles('admin')
  @ApiOkResponse({ type: WebhookView })
  async put(@Param() p: CustomerParam, @Body() dto: WebhookDto, @CurrentPrincipal() by: Principal): Promise<WebhookView> {
    // another region's webhook is out of scope: 404 as for a read, never overwritten
    const existing = await this.repo.get(p.customerId);
    if (existing && !canSee(by, { region: existing.region })) throw notFound(`webhook of ${p.customerId}`);
    const w = await this.repo.put({
      customerId: p.customerId,
      region: by.region,
      url: dto.url,
      secret: dto.secret,
      updatedAt: this.clock.now(),
    });
    return { customerId: w.customerId, region: w.region, url: w.url, updatedAt: w.updatedAt };
  }

  @Get(':customerId')
  @Roles('manager', 'admin')
  @ApiOkResponse({ type: WebhookView })
  @ApiResponse({ status: 404, description: 'no webhook (or another region)' })
  async get(@Param() p: CustomerParam, @CurrentPrincipal() by: Principal): Promise<WebhookView> {
    const w = await this.repo.get(p.customerId);
    if (!w || !canSee(by, { region: w.region })) throw notFound(`webhook of ${p.customerId}`);
    return { customerId: w.customerId, region: w.region, url: w.url, updatedAt: w.updatedAt };
  }

  @Delete(':customerId')
  @HttpCode(204)
  @Roles('admin')
  @ApiResponse({ status: 204, description: 'removed' })
  async remove(@Param() p: CustomerParam, @CurrentPrincipal() by: Principal): Promise<void> {
    if (!(await this.repo.delete(p.customerId, regionScope(by)))) throw notFound(`webhook of ${p.customerId}`);
  }
}
