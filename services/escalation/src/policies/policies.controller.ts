import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseIntPipe,
  Post,
  Put,
  UnprocessableEntityException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PolicyListView, PolicyView, RebaseResultView, RegionPolicyView } from '../api/responses';
import {
  BusinessCalendarDefinition,
  CALENDAR_DEFINITION_SCHEMA,
  calendarShapeProblems,
  validateCalendarDefinition,
} from '@aftersales/calendar';
import { CurrentPrincipal, Principal, regionScope, Roles } from '@aftersales/platform';
import { DataSource } from 'typeorm';
import { SlaPolicy, validatePolicy } from '../domain';
import { ClockRebase, RebaseResult } from '../clocks/clock-rebase';
import { CalendarStore } from './calendar-store';
import { PolicyStore } from './policy-store';
import { CalendarDto, PolicyVersionDto, RegionPolicyDto } from './policy.dto';

function unprocessable(errors: Array<{ field: string; reason: string }>): UnprocessableEntityException {
  return new UnprocessableEntityException({ statusCode: 422, message: 'validation failed', errors });
}

/** SLA policies as versioned data, the default policy per region, re-basing running clocks, calendars. */
@ApiTags('policies')
@ApiBearerAuth()
@Controller()
export class PoliciesController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly policies: PolicyStore,
    private readonly calendars: CalendarStore,
    private readonly clockRebase: ClockRebase,
  ) {}

  @Get('policies')
  @Roles('agent', 'engineer', 'manager', 'admin')
  @ApiOkResponse({ type: PolicyListView })
  async list(): Promise<{ items: SlaPolicy[] }> {
    return { items: await this.policies.list() };
  }

  @Get('policies/:id')
  @Roles('agent', 'engineer', 'manager', 'admin')
  @ApiOkResponse({ type: PolicyView, description: 'the latest version' })
  async latest(@Param('id') id: string): Promise<SlaPolicy> {
    const p = await this.policies.latest(id);
    if (!p) throw new NotFoundException(`unknown SLA policy ${id}`);
    return p;
  }

  @Get('policies/:id/versions/:version')
  @Roles('agent', 'engineer', 'manager', 'admin')
  @ApiOkResponse({ type: PolicyView })
  async version(@Param('id') id: string, @Param('version', ParseIntPipe) version: number): Promise<SlaPolicy> {
    try {
      return await this.policies.version(id, version);
    } catch {
      throw new NotFoundException(`unknown SLA policy ${id} version ${version}`);
    }
  }

  /** Writes the next version; running clocks keep theirs until re-based. */
  @Post('policies')
  @HttpCode(201)
  @Roles('admin')
  @ApiCreatedResponse({ type: PolicyView, description: 'the version written' })
  async addVersion(@Body() dto: PolicyVersionDto, @CurrentPrincipal() by: Principal): Promise<SlaPolicy> {
    const problems = validatePolicy({ ...dto, version: 1 });
    if (problems.length) throw unprocessable(problems.map((p) => ({ field: p.path, reason: p.message })));
    return this.dataSource.transaction((m) => this.policies.addVersion(dto as unknown as Omit<SlaPolicy, 'version'>, by.subject, m));
  }

  /**
   * Moves every running clock of the policy to its latest version (fired rungs stay fired); each
   * running case gets clocks for the targets the version adds and stops those of targets it drops.
   */
  @Post('policies/:id/rebase')
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ type: RebaseResultView })
  async rebase(@Param('id') id: string): Promise<RebaseResult> {
    return this.dataSource.transaction(async (m) => {
      const latest = await this.policies.latest(id, m);
      if (!latest) throw new NotFoundException(`unknown SLA policy ${id}`);
      return this.clockRebase.rebase(m, latest);
    });
  }

  @Put('regions/:region/policy')
  @Roles('admin')
  @ApiOkResponse({ type: RegionPolicyView })
  async regionPolicy(
    @Param('region') region: string,
    @Body() dto: RegionPolicyDto,
    @CurrentPrincipal() by: Principal,
  ): Promise<{ region: string; policyId: string }> {
    // an admin sets the default of its own region; another region's needs a global token
    const own = regionScope(by);
    if (own !== undefined && own !== region) throw new NotFoundException(`region ${region} not found`);
    if (!(await this.policies.latest(dto.policyId)))
      throw unprocessable([{ field: 'policyId', reason: `unknown SLA policy ${dto.policyId}` }]);
    await this.policies.setRegionDefault(region, dto.policyId);
    return { region, policyId: dto.policyId };
  }

  /** A business calendar for contract clocks (normally projected from intake's registry). */
  @Put('calendars/:id')
  @Roles('admin')
  @ApiOkResponse({ description: 'the definition stored', schema: CALENDAR_DEFINITION_SCHEMA })
  async putCalendar(@Param('id') id: string, @Body() dto: CalendarDto): Promise<BusinessCalendarDefinition> {
    const shape = calendarShapeProblems({ ...dto.definition, id }, 'definition.');
    if (shape.length) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: 'validation failed', errors: shape });
    const def = { ...dto.definition, id } as unknown as BusinessCalendarDefinition;
    const problems = validateCalendarDefinition(def);
    if (problems.length) throw unprocessable(problems.map((p) => ({ field: 'definition', reason: p })));
    await this.dataSource.transaction((m) => this.calendars.put(def, m));
    return def;
  }
}
