import { Body, Controller, Delete, Get, Headers, HttpCode, Injectable, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, PageOf, Principal, Roles } from '@aftersales/platform';
import { FindOptionsWhere, ILike, ObjectLiteral, Raw } from 'typeorm';
import { phoneDigits } from './registry.entities';
import {
  AssetQuery,
  ContactQuery,
  ContractQuery,
  CreateAssetDto,
  CreateContactDto,
  CreateContractDto,
  CreateCustomerDto,
  CreateSiteDto,
  CustomerQuery,
  SiteQuery,
  UpdateAssetDto,
  UpdateContactDto,
  UpdateContractDto,
  UpdateCustomerDto,
  UpdateSiteDto,
} from './registry.dtos';
import { assetRow, contactRow, contractRow, customerRow, siteRow } from './registry-rules';
import { RegistryKind, RegistryService } from './registry.service';
import { AssetView, ContactView, ContractView, CustomerView, SiteView } from '../api/responses';

const READERS = ['agent', 'engineer', 'manager', 'admin', 'customer'] as const;

/** Only the filters that were given, as a TypeORM where-clause. */
function filters(q: ObjectLiteral, keys: string[]): FindOptionsWhere<ObjectLiteral> {
  const where: ObjectLiteral = {};
  for (const k of keys) if (q[k] !== undefined) where[k] = q[k];
  return where;
}

async function created(res: Response, result: { status: number; body: unknown; replayed: boolean }) {
  res.status(result.status);
  if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
  return result.body;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The part every registry resource shares: get one, delete. */
@Injectable() // so that the subclasses inherit the constructor's parameter types
abstract class RecordController {
  protected abstract readonly kind: RegistryKind;
  constructor(protected readonly registry: RegistryService) {}

  /** each resource's `GET /:id`, declared in the subclass with its response type */
  protected read(id: string, by: Principal) {
    return this.registry.get(this.kind, id, by);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin', 'agent')
  @ApiNoContentResponse({ description: 'deleted (409 while other records refer to it)' })
  async remove(@Param('id') id: string, @CurrentPrincipal() by: Principal) {
    await this.registry.remove(this.kind, id, by);
  }
}

@ApiTags('registry')
@ApiBearerAuth()
@Controller('customers')
export class CustomersController extends RecordController {
  protected readonly kind = 'customers';

  @Get(':id')
  @Roles(...READERS)
  @ApiOkResponse({ type: CustomerView })
  get(@Param('id') id: string, @CurrentPrincipal() by: Principal) {
    return this.read(id, by);
  }

  @Post()
  @Roles('admin', 'agent')
  @ApiCreatedResponse({ type: CustomerView })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async create(
    @Body() dto: CreateCustomerDto,
    @CurrentPrincipal() by: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return created(res, await this.registry.create(this.kind, customerRow(dto, by.region), by, key));
  }

  @Get()
  @Roles(...READERS)
  @ApiOkResponse({ type: PageOf(CustomerView) })
  list(@Query() q: CustomerQuery, @CurrentPrincipal() by: Principal) {
    const where = filters(q, ['region']);
    if (q.name) where.name = ILike(`%${escapeLike(q.name)}%`);
    return this.registry.list(this.kind, where, by, q.limit, q.offset);
  }

  @Patch(':id')
  @Roles('admin', 'agent')
  @ApiOkResponse({ type: CustomerView })
  update(@Param('id') id: string, @Body() dto: UpdateCustomerDto, @CurrentPrincipal() by: Principal) {
    return this.registry.update(this.kind, id, dto, by);
  }
}

@ApiTags('registry')
@ApiBearerAuth()
@Controller('sites')
export class SitesController extends RecordController {
  protected readonly kind = 'sites';

  @Get(':id')
  @Roles(...READERS)
  @ApiOkResponse({ type: SiteView })
  get(@Param('id') id: string, @CurrentPrincipal() by: Principal) {
    return this.read(id, by);
  }

  @Post()
  @Roles('admin', 'agent')
  @ApiCreatedResponse({ type: SiteView })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async create(
    @Body() dto: CreateSiteDto,
    @CurrentPrincipal() by: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return created(res, await this.registry.create(this.kind, siteRow(dto), by, key));
  }

  @Get()
  @Roles(...READERS)
  @ApiOkResponse({ type: PageOf(SiteView) })
  list(@Query() q: SiteQuery, @CurrentPrincipal() by: Principal) {
    return this.registry.list(this.kind, filters(q, ['customerId', 'region', 'city']), by, q.limit, q.offset);
  }

  @Patch(':id')
  @Roles('admin', 'agent')
  @ApiOkResponse({ type: SiteView })
  update(@Param('id') id: string, @Body() dto: UpdateSiteDto, @CurrentPrincipal() by: Principal) {
    return this.registry.update(this.kind, id, dto, by);
  }
}

@ApiTags('registry')
@ApiBearerAuth()
@Controller('contacts')
export class ContactsController extends RecordController {
  protected readonly kind = 'contacts';

  @Get(':id')
  @Roles(...READERS)
  @ApiOkResponse({ type: ContactView })
  get(@Param('id') id: string, @CurrentPrincipal() by: Principal) {
    return this.read(id, by);
  }

  @Post()
  @Roles('admin', 'agent')
  @ApiCreatedResponse({ type: ContactView })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async create(
    @Body() dto: CreateContactDto,
    @CurrentPrincipal() by: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return created(res, await this.registry.create(this.kind, contactRow(dto), by, key));
  }

  @Get()
  @Roles(...READERS)
  @ApiOkResponse({ type: PageOf(ContactView) })
  list(@Query() q: ContactQuery, @CurrentPrincipal() by: Principal) {
    const where = filters(q, ['customerId', 'siteId']);
    if (q.phone !== undefined) where.phoneDigits = phoneDigits(q.phone) ?? '';
    if (q.email !== undefined) where.email = Raw((a) => `lower(${a}) = lower(:email)`, { email: q.email });
    return this.registry.list(this.kind, where, by, q.limit, q.offset);
  }

  @Patch(':id')
  @Roles('admin', 'agent')
  @ApiOkResponse({ type: ContactView })
  update(@Param('id') id: string, @Body() dto: UpdateContactDto, @CurrentPrincipal() by: Principal) {
    return this.registry.update(this.kind, id, dto, by);
  }
}

@ApiTags('registry')
@ApiBearerAuth()
@Controller('contracts')
export class ContractsController extends RecordController {
  protected readonly kind = 'contracts';

  @Get(':id')
  @Roles(...READERS)
  @ApiOkResponse({ type: ContractView })
  get(@Param('id') id: string, @CurrentPrincipal() by: Principal) {
    return this.read(id, by);
  }

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ type: ContractView })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async create(
    @Body() dto: CreateContractDto,
    @CurrentPrincipal() by: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return created(res, await this.registry.create(this.kind, contractRow(dto), by, key));
  }

  @Get()
  @Roles(...READERS)
  @ApiOkResponse({ type: PageOf(ContractView) })
  list(@Query() q: ContractQuery, @CurrentPrincipal() by: Principal) {
    return this.registry.list(this.kind, filters(q, ['customerId', 'coverage', 'calendarId', 'region']), by, q.limit, q.offset);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOkResponse({ type: ContractView })
  update(@Param('id') id: string, @Body() dto: UpdateContractDto, @CurrentPrincipal() by: Principal) {
    return this.registry.update(this.kind, id, dto, by);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin')
  @ApiNoContentResponse({ description: 'deleted (409 while assets refer to it)' })
  override async remove(@Param('id') id: string, @CurrentPrincipal() by: Principal) {
    await this.registry.remove(this.kind, id, by);
  }
}

@ApiTags('registry')
@ApiBearerAuth()
@Controller('assets')
export class AssetsController extends RecordController {
  protected readonly kind = 'assets';

  @Get(':id')
  @Roles(...READERS)
  @ApiOkResponse({ type: AssetView })
  get(@Param('id') id: string, @CurrentPrincipal() by: Principal) {
    return this.read(id, by);
  }

  @Post()
  @Roles('admin', 'agent')
  @ApiCreatedResponse({ type: AssetView })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async create(
    @Body() dto: CreateAssetDto,
    @CurrentPrincipal() by: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return created(res, await this.registry.create(this.kind, assetRow(dto), by, key));
  }

  @Get()
  @Roles(...READERS)
  @ApiOkResponse({ type: PageOf(AssetView) })
  list(@Query() q: AssetQuery, @CurrentPrincipal() by: Principal) {
    return this.registry.list(
      this.kind,
      filters(q, ['customerId', 'siteId', 'contractId', 'serialNumber', 'model', 'productLine']),
      by,
      q.limit,
      q.offset,
    );
  }

  @Patch(':id')
  @Roles('admin', 'agent')
  @ApiOkResponse({ type: AssetView })
  update(@Param('id') id: string, @Body() dto: UpdateAssetDto, @CurrentPrincipal() by: Principal) {
    return this.registry.update(this.kind, id, dto, by);
  }
}
