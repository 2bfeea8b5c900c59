import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Clock, CurrentPrincipal, Principal, regionScope, Roles, SERVICE_SETTINGS } from '@aftersales/platform';
import { notFound, unprocessable } from '../http/errors';
import { NotifySettings } from '../notify.config';
import { PeopleQuery, PersonDto, PersonIdParam, PersonPage, PersonView } from './directory.dto';
import { DirectoryRepository, PersonRecord } from './directory.repository';

/** Staff see their own region's people (and those of every region, `*`); admins see all. */
const regionOf = (by: Principal, wanted?: string) => (regionScope(by) === undefined ? wanted : by.region);
/** A person of every region (`*`) or of the token's region (a global token: any). */
const inScope = (by: Principal, region: string) => regionScope(by) === undefined || region === by.region || region === '*';

/**
 * The directory: who holds which role in which region, how to reach them per channel, in which
 * language, and who stands in for them while away. Engineers are listed under their case-service
 * id, so `case-owner` notices reach their e-mail and phone too.
 */
@ApiTags('directory')
@ApiBearerAuth()
@Controller('people')
export class PeopleController {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly clock: Clock,
    @Inject(SERVICE_SETTINGS) private readonly s: NotifySettings,
  ) {}

  @Put(':id')
  @Roles('admin')
  @ApiOkResponse({ type: PersonView })
  @ApiResponse({ status: 400, description: 'a malformed field (e-mail, E.164 phone, role, region), named' })
  @ApiResponse({ status: 422, description: 'deputyId names nobody in the directory, or the person; awayUntil before awayFrom' })
  async put(@Param() p: PersonIdParam, @Body() dto: PersonDto, @CurrentPrincipal() by: Principal): Promise<PersonRecord> {
    // another region's person is out of scope: 404 as for a read, never overwritten
    const existing = await this.directory.person(p.id);
    if (existing && !inScope(by, existing.region)) throw notFound(`person ${p.id}`);
    const errors = [];
    if (dto.deputyId === p.id) errors.push({ field: 'deputyId', reason: 'a person cannot be their own deputy' });
    else if (dto.deputyId && !(await this.directory.person(dto.deputyId))) {
      errors.push({ field: 'deputyId', reason: `no person ${dto.deputyId} in the directory` });
    }
    if (dto.awayFrom && dto.awayUntil && new Date(dto.awayUntil) <= new Date(dto.awayFrom)) {
      errors.push({ field: 'awayUntil', reason: 'must be after awayFrom' });
    }
    if (dto.awayUntil && !dto.awayFrom) errors.push({ field: 'awayFrom', reason: 'required with awayUntil' });
    if (errors.length) throw unprocessable(errors);
    return this.directory.upsertPerson(
      {
        id: p.id,
        name: dto.name,
        region: dto.region,
        roles: [...new Set(dto.roles)],
        language: dto.language ?? this.s.NOTIFY_DEFAULT_LANGUAGE,
        email: dto.email ?? null,
        phone: dto.phone ?? null,
        wecom: dto.wecom ?? null,
        dingtalk: dto.dingtalk ?? null,
        deputyId: dto.deputyId ?? null,
        awayFrom: dto.awayFrom ? new Date(dto.awayFrom) : null,
        awayUntil: dto.awayUntil ? new Date(dto.awayUntil) : null,
      },
      this.clock.now(),
    );
  }

  @Get()
  @Roles('agent', 'engineer', 'manager', 'admin')
  @ApiOkResponse({ type: PersonPage })
  async list(@Query() q: PeopleQuery, @CurrentPrincipal() by: Principal) {
    const page = await this.directory.people({ region: regionOf(by, q.region), role: q.role }, q);
    return { ...page, limit: q.limit, offset: q.offset };
  }

  @Get(':id')
  @Roles('agent', 'engineer', 'manager', 'admin')
  @ApiOkResponse({ type: PersonView })
  @ApiResponse({ status: 404, description: 'not in the directory (or in another region)' })
  async get(@Param() p: PersonIdParam, @CurrentPrincipal() by: Principal): Promise<PersonRecord> {
    const person = await this.directory.person(p.id);
    if (!person || !inScope(by, person.region)) throw notFound(`person ${p.id}`);
    return person;
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin')
  @ApiResponse({ status: 204, description: 'removed' })
  @ApiResponse({ status: 404, description: 'not in the directory' })
  async remove(@Param() p: PersonIdParam, @CurrentPrincipal() by: Principal): Promise<void> {
    if (!(await this.directory.deletePerson(p.id, regionOf(by)))) throw notFound(`person ${p.id}`);
  }
}
