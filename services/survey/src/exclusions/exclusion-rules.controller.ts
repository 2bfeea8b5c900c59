import { Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  Clock,
  CurrentPrincipal,
  Page,
  PageOf,
  PageQuery,
  Principal,
  Roles,
  SERVICE_CONFIG,
  visibleTo,
  withIdempotency,
} from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { ServiceConfig } from '@aftersales/config';
import { EXCLUSION_CRITERIA, ExclusionCriterion } from '../domain/exclusion';
import { unprocessable } from '../shared/problems';
import { regionOf } from '../shared/scope';
import { CreateExclusionRuleDto, ExclusionRuleView } from './exclusion-rules.dto';
import { ExclusionRulesRepository, StoredRule } from './exclusion-rules.repository';
import { IdempotentPost, Keyed, KeyedCall } from '../shared/http';

/** Which closed cases the weekly batch leaves out (domain §8: "not the LSP ones"), kept as data. */
@ApiTags('exclusion rules')
@ApiBearerAuth()
@Controller('exclusion-rules')
export class ExclusionRulesController {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly rules: ExclusionRulesRepository,
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  @Roles('agent', 'manager', 'admin')
  @ApiOperation({ summary: 'The rules that apply in the caller’s region (an admin sees all)' })
  @ApiResponse({ status: 200, type: PageOf(ExclusionRuleView), description: 'a page of rules (`items`, `total`, `limit`, `offset`)' })
  async list(@Query() q: PageQuery, @CurrentPrincipal() by: Principal): Promise<Page<StoredRule>> {
    return { ...(await this.rules.page(visibleTo(by).region, q.limit, q.offset)), limit: q.limit, offset: q.offset };
  }

  @IdempotentPost(undefined, 201)
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Adds a rule: closed cases matching all its criteria get no survey from the next batch on' })
  @ApiResponse({ status: 201, type: ExclusionRuleView })
  @ApiResponse({ status: 400, description: 'a field is malformed (named in `errors`)' })
  @ApiResponse({ status: 422, description: 'no criterion given' })
  async create(@Body() dto: CreateExclusionRuleDto, @CurrentPrincipal() by: Principal, @KeyedCall() call: Keyed): Promise<StoredRule> {
    const criteria = Object.fromEntries(
      EXCLUSION_CRITERIA.filter((k) => typeof dto.criteria[k] === 'string').map((k) => [k, dto.criteria[k] as string]),
    ) as Partial<Record<ExclusionCriterion, string>>;
    if (Object.keys(criteria).length === 0) {
      throw unprocessable([{ field: 'criteria', reason: `name at least one of ${EXCLUSION_CRITERIA.join(', ')}` }]);
    }
    // an admin's rule without a region applies everywhere; anyone else's stays in their region
    const region = visibleTo(by).region === undefined && dto.region === undefined ? null : regionOf(by, dto.region);
    const result = await this.dataSource.transaction((m) =>
      withIdempotency(m, this.config.database.schema, `exclusion-rule:${by.subject}`, call.key, dto, async () => {
        const rule: StoredRule = {
          id: randomUUID(),
          name: dto.name.trim(),
          region,
          criteria,
          createdBy: by.subject,
          createdAt: this.clock.now(),
        };
        await this.rules.insert(m, rule);
        return { status: 201, body: rule };
      }),
    );
    return call.answer(result);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Removes a rule (cases already left out stay so)' })
  @ApiResponse({ status: 204 })
  @ApiResponse({ status: 404, description: 'no such rule in the caller’s region' })
  async remove(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() by: Principal): Promise<void> {
    const rule = await this.rules.get(id);
    const region = visibleTo(by).region;
    if (!rule || (region !== undefined && rule.region !== region)) throw new NotFoundException(`exclusion rule ${id} not found`);
    await this.rules.delete(id);
  }
}
