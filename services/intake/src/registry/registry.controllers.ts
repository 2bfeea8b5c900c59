import { Body, Controller, Delete, Get, Headers, HttpCode, Injectable, Param, Patch, Post, Query, Res, Type } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, PageOf, PageQuery, Principal, Role, Roles, sendStored } from '@aftersales/platform';
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

const READERS: Role[] = ['agent', 'engineer', 'manager', 'admin', 'customer'];
const AGENTS: Role[] = ['admin', 'agent'];

/** One registry resource: its path (the service's kind) and the classes of its bodies, query and answer. */
interface RegistryTypes<C, U, Q extends PageQuery> {
  kind: RegistryKind;
  view: Type<unknown>;
  create: Type<C>;
  update: Type<U>;
  query: Type<Q>;
}

/** How one resource turns a body into a row and a query into filters; who writes it. */
interface RegistryRules<C, Q> {
  row(dto: C, by: Principal): ObjectLiteral;
  where(q: Q): FindOptionsWhere<ObjectLiteral>;
  /** who may create, change and delete (default admins and agents) */
  writers?: Role[];
  /** the 204 of DELETE: what blocks it */
  deleted?: string;
}

/** Only the filters that were given, as a TypeORM where-clause. */
function filters(q: ObjectLiteral, keys: string[]): FindOptionsWhere<ObjectLiteral> {
  const where: ObjectLiteral = {};
  for (const k of keys) {
    const v: unknown = q[k];
    if (v !== undefined) where[k] = v;
  }
  return where;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The CRUD controller of one registry resource: `GET /:id`, `POST /`, `GET /` (a page),
 * `PATCH /:id`, `DELETE /:id`, every read scoped by the service to the caller.
 */
function registryController<C, U, Q extends PageQuery>(t: RegistryTypes<C, U, Q>, rules: RegistryRules<C, Q>) {
  const r = { ...t, ...rules, writers: rules.writers ?? AGENTS, deleted: rules.deleted ?? 'deleted (409 while other records refer to it)' };
  @ApiTags('registry')
  @ApiBearerAuth()
  @Controller(r.kind)
  @Injectable()
  class RegistryController {
    constructor(readonly registry: RegistryService) {}

    @Get(':id')
    @Roles(...READERS)
    @ApiOkResponse({ type: r.view })
    get(@Param('id') id: string, @CurrentPrincipal() by: Principal) {
      return this.registry.get(r.kind, id, by);
    }

    @Post()
    @Roles(...r.writers)
    @ApiCreatedResponse({ type: r.view })
    @ApiHeader({ name: 'Idempotency-Key', required: false })
    async create(
      @Body() dto: C,
      @CurrentPrincipal() by: Principal,
      @Headers('idempotency-key') key: string | undefined,
      @Res({ passthrough: true }) res: Response,
    ) {
      return sendStored(res, await this.registry.create(r.kind, r.row(dto, by), by, key));
    }

    @Get()
    @Roles(...READERS)
    @ApiOkResponse({ type: PageOf(r.view) })
    list(@Query() q: Q, @CurrentPrincipal() by: Principal) {
      return this.registry.list(r.kind, r.where(q), by, q.limit, q.offset);
    }

    @Patch(':id')
    @Roles(...r.writers)
    @ApiOkResponse({ type: r.view })
    update(@Param('id') id: string, @Body() dto: U, @CurrentPrincipal() by: Principal) {
      return this.registry.update(r.kind, id, dto as ObjectLiteral, by);
    }

    @Delete(':id')
    @HttpCode(204)
    @Roles(...r.writers)
    @ApiNoContentResponse({ description: r.deleted })
    async remove(@Param('id') id: string, @CurrentPrincipal() by: Principal) {
      await this.registry.remove(r.kind, id, by);
    }
  }
  // the generic parameters erase to Object: validation and the document read the classes from here
  const proto = RegistryController.prototype;
  Reflect.defineMetadata('design:paramtypes', [r.create, Object, Object, Object], proto, 'create');
  Reflect.defineMetadata('design:paramtypes', [r.query, Object], proto, 'list');
  Reflect.defineMetadata('design:paramtypes', [String, r.update, Object], proto, 'update');
  // named as before the factory: the name makes the operation ids of the OpenAPI document
  const name = `${r.kind.charAt(0).toUpperCase()}${r.kind.slice(1)}Controller`;
  Object.defineProperty(RegistryController, 'name', { value: name });
  return RegistryController;
}

export const CustomersController = registryController(
  { kind: 'customers', view: CustomerView, create: CreateCustomerDto, update: UpdateCustomerDto, query: CustomerQuery },
  {
    row: (dto, by) => customerRow(dto, by.region),
    where: (q) => ({ ...filters(q, ['region']), ...(q.name ? { name: ILike(`%${escapeLike(q.name)}%`) } : {}) }),
  },
);

export const SitesController = registryController(
  { kind: 'sites', view: SiteView, create: CreateSiteDto, update: UpdateSiteDto, query: SiteQuery },
  { row: (dto) => siteRow(dto), where: (q) => filters(q, ['customerId', 'region', 'city']) },
);

export const ContactsController = registryController(
  { kind: 'contacts', view: ContactView, create: CreateContactDto, update: UpdateContactDto, query: ContactQuery },
  {
    row: (dto) => contactRow(dto),
    where: (q) => {
      const where = filters(q, ['customerId', 'siteId']);
      if (q.phone !== undefined) where.phoneDigits = phoneDigits(q.phone) ?? '';
      if (q.email !== undefined) where.email = Raw((a) => `lower(${a}) = lower(:email)`, { email: q.email });
      return where;
    },
  },
);

export const ContractsController = registryController(
  { kind: 'contracts', view: ContractView, create: CreateContractDto, update: UpdateContractDto, query: ContractQuery },
  {
    row: (dto) => contractRow(dto),
    where: (q) => filters(q, ['customerId', 'coverage', 'calendarId', 'region']),
    // contracts decide what is covered: only admins write them
    writers: ['admin'],
    deleted: 'deleted (409 while assets refer to it)',
  },
);

export const AssetsController = registryController(
  { kind: 'assets', view: AssetView, create: CreateAssetDto, update: UpdateAssetDto, query: AssetQuery },
  {
    row: (dto) => assetRow(dto),
    where: (q) => filters(q, ['customerId', 'siteId', 'contractId', 'serialNumber', 'model', 'productLine']),
  },
);
