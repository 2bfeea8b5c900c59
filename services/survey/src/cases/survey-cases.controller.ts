import { Body, Controller, Get, NotFoundException, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, Matches, MaxLength } from 'class-validator';
import { CurrentPrincipal, Principal, Roles } from '@aftersales/platform';
import { DataSource } from 'typeorm';
import { normaliseTags } from '../domain/exclusion';
import { SurveyCase, SurveyCasesRepository } from './survey-cases.repository';
import { SurveyCaseView } from '../shared/responses';

export class CaseTagsDto {
  @ApiProperty({ type: [String], example: ['LSP'], description: 'replaces the case’s tags; exclusion rules may name one' })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  @Matches(/\S/, { each: true, message: 'each value in tags must not be blank' })
  tags: string[];
}

const view = (c: SurveyCase) => ({
  caseId: c.caseId,
  caseNumber: c.caseNumber,
  customerId: c.customerId,
  contact: c.contact,
  region: c.region,
  caseType: c.caseType,
  status: c.status,
  ownerName: c.ownerName,
  escalationOwnerName: c.escalationOwnerName,
  tags: c.tags,
  openedAt: c.openedAt,
  closedAt: c.closedAt,
});

/** What survey knows of a case (staff of the case's region). */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class SurveyCasesController {
  constructor(
    private readonly cases: SurveyCasesRepository,
    private readonly dataSource: DataSource,
  ) {}

  @Get(':caseId')
  @Roles('agent', 'manager', 'admin')
  @ApiResponse({ status: 200, type: SurveyCaseView, description: 'the case as survey sees it: contact, owners, tags, when it closed' })
  @ApiResponse({ status: 404, description: 'unknown to survey, or of another region' })
  async get(@Param('caseId', new ParseUUIDPipe()) caseId: string, @CurrentPrincipal() by: Principal) {
    const found = await this.cases.get(caseId, by);
    if (!found) throw new NotFoundException(`case ${caseId} is not known to survey`);
    return view(found);
  }

  @Put(':caseId/tags')
  @Roles('agent', 'manager', 'admin')
  @ApiOperation({ summary: 'Tags the case (e.g. LSP) for exclusion rules; the batch reads them when it runs' })
  @ApiResponse({ status: 200, type: SurveyCaseView, description: 'the case with its tags' })
  @ApiResponse({ status: 404, description: 'unknown to survey, or of another region' })
  async tag(@Param('caseId', new ParseUUIDPipe()) caseId: string, @Body() dto: CaseTagsDto, @CurrentPrincipal() by: Principal) {
    return this.dataSource.transaction(async (m) => {
      if (!(await this.cases.get(caseId, by, m))) throw new NotFoundException(`case ${caseId} is not known to survey`);
      await this.cases.lock(m, caseId);
      await this.cases.saveTags(m, caseId, normaliseTags(dto.tags));
      return view((await this.cases.get(caseId, by, m))!);
    });
  }
}
