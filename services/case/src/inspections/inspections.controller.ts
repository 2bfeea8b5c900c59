import { Body, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { CurrentPrincipal, PageOf, Principal, Roles } from '@aftersales/platform';
import { FindingDto, InspectionQuery, InspectionSignatureDto, InspectionView, ItemResultDto } from './inspections.dto';
import { InspectionsService } from './inspections.service';
import { ApiController } from '../api/api-controller';

/** Inspection work orders (巡检, remote checks): results per item, findings, the signed report. Customers see and sign their own. */
@ApiController('inspections')
export class InspectionsController {
  constructor(private readonly inspections: InspectionsService) {}

  @Get()
  @ApiOkResponse({ type: PageOf(InspectionView) })
  list(@Query() q: InspectionQuery, @CurrentPrincipal() by: Principal) {
    return this.inspections.list(by, { contractId: q.contractId, status: q.status }, q.limit, q.offset);
  }

  @Get(':id')
  @ApiOkResponse({ type: InspectionView })
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() by: Principal) {
    return this.inspections.get(id, by);
  }

  @Put(':id/items/:itemId')
  @Roles('engineer', 'agent', 'manager', 'admin')
  @ApiOperation({ summary: 'Record the result of one checklist item' })
  @ApiOkResponse({ type: InspectionView })
  @ApiResponse({ status: 409, description: 'the report is signed' })
  result(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('itemId') itemId: string,
    @Body() dto: ItemResultDto,
    @CurrentPrincipal() by: Principal,
  ) {
    return this.inspections.recordResult(id, itemId, dto, by);
  }

  @Post(':id/findings')
  @Roles('engineer', 'agent', 'manager', 'admin')
  @ApiOperation({ summary: 'A problem found: opens an ordinary case for the customer, linked from the work order' })
  @ApiCreatedResponse({ type: InspectionView })
  finding(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: FindingDto, @CurrentPrincipal() by: Principal) {
    return this.inspections.addFinding(id, dto, by);
  }

  @Post(':id/report/signatures/:party')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign the inspection report (customer or engineer); both signatures complete the work order' })
  @ApiOkResponse({ type: InspectionView })
  @ApiResponse({ status: 409, description: 'an item has no result yet, or the party already signed' })
  sign(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('party') party: string,
    @Body() dto: InspectionSignatureDto,
    @CurrentPrincipal() by: Principal,
  ) {
    return this.inspections.sign(id, party, dto.typedName, by);
  }
}
