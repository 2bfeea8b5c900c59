import {
  applyDecorators,
  Body,
  Controller,
  Get,
  Header,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Res,
  Type,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, Roles, sendStored } from '@aftersales/platform';
import {
  ArrivalDto,
  CompletionDto,
  CreateReportDto,
  DispatchVisitDto,
  OpenVendorCaseDto,
  SignatureDto,
  UpdateVendorCaseDto,
} from './field.dto';
import { ReportsService, UploadedSignature } from './reports.service';
import { SignatureUpload } from './signature-upload.interceptor';
import { VendorCasesService } from './vendor-cases.service';
import { VisitsService } from './visits.service';
import { ReportListView, ReportView, VendorCaseView, VisitListView, VisitView } from '../api/responses';

const uuid = new ParseUUIDPipe();
const STAFF = ['agent', 'engineer', 'manager', 'admin'] as const;
const CaseId = () => Param('id', uuid);
const VisitId = () => Param('visitId', uuid);

/** A staff step on one of the case's visits, answering `view` with `status`. */
const VisitStep = (step: string, status: 200 | 201, view: Type<unknown>) =>
  applyDecorators(
    Post(`visits/:visitId/${step}`),
    HttpCode(status),
    Roles(...STAFF),
    status === 201 ? ApiCreatedResponse({ type: view }) : ApiOkResponse({ type: view }),
  );

@ApiTags('field')
@ApiBearerAuth()
@Controller('cases/:id')
export class FieldController {
  constructor(
    private readonly visits: VisitsService,
    private readonly reports: ReportsService,
    private readonly vendorCases: VendorCasesService,
  ) {}

  @Post('visits')
  @HttpCode(201)
  @Roles(...STAFF)
  @ApiCreatedResponse({ type: VisitView })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async dispatch(
    @Param('id', uuid) id: string,
    @Body() dto: DispatchVisitDto,
    @CurrentPrincipal() by: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return sendStored(res, await this.visits.dispatch(id, dto, by, key));
  }

  @Get('visits')
  @ApiOkResponse({ type: VisitListView, description: 'customers see no desk notes' })
  listVisits(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.visits.list(id, by);
  }

  @VisitStep('arrival', 200, VisitView)
  arrive(@CaseId() id: string, @VisitId() visitId: string, @Body() dto: ArrivalDto, @CurrentPrincipal() by: Principal) {
    return this.visits.arrive(id, visitId, dto ?? {}, by);
  }

  @VisitStep('completion', 200, VisitView)
  complete(@CaseId() id: string, @VisitId() visitId: string, @Body() dto: CompletionDto, @CurrentPrincipal() by: Principal) {
    return this.visits.complete(id, visitId, dto, by);
  }

  @VisitStep('report', 201, ReportView)
  createReport(@CaseId() id: string, @VisitId() visitId: string, @Body() dto: CreateReportDto, @CurrentPrincipal() by: Principal) {
    return this.reports.create(id, visitId, dto, by);
  }

  @Get('reports')
  @ApiOkResponse({ type: ReportListView })
  listReports(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.reports.listForCase(id, by);
  }

  @Get('reports/:reportId')
  @ApiOkResponse({ type: ReportView })
  getReport(@Param('id', uuid) id: string, @Param('reportId', uuid) reportId: string, @CurrentPrincipal() by: Principal) {
    return this.reports.get(id, reportId, by);
  }

  /** A printable HTML page; no scripts, images only as data: URIs. */
  @Get('reports/:reportId/document')
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'the printable customer service report', content: { 'text/html': { schema: { type: 'string' } } } })
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', "default-src 'none'; img-src data:; style-src 'unsafe-inline'")
  @Header('X-Content-Type-Options', 'nosniff')
  document(@Param('id', uuid) id: string, @Param('reportId', uuid) reportId: string, @CurrentPrincipal() by: Principal) {
    return this.reports.document(id, reportId, by);
  }

  @Post('reports/:reportId/signatures/:party')
  @HttpCode(201)
  @Roles(...STAFF, 'customer')
  @UseInterceptors(SignatureUpload)
  @ApiCreatedResponse({ type: ReportView, description: 'the report with the signature (signed once both parties signed)' })
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        signature: { type: 'string', format: 'binary', description: 'PNG or JPEG, at most 1 MB' },
        signerName: { type: 'string' },
        typedName: { type: 'string', description: 'instead of an image' },
      },
    },
  })
  sign(
    @Param('id', uuid) id: string,
    @Param('reportId', uuid) reportId: string,
    @Param('party') party: string,
    @Body() dto: SignatureDto,
    @UploadedFile() file: UploadedSignature | undefined,
    @CurrentPrincipal() by: Principal,
  ) {
    return this.reports.sign(id, reportId, party, dto ?? {}, file, by);
  }

  @Get('reports/:reportId/signatures/:party/image')
  @ApiProduces('image/png', 'image/jpeg')
  @ApiOkResponse({ description: 'the signature image as uploaded', schema: { type: 'string', format: 'binary' } })
  async signatureImage(
    @Param('id', uuid) id: string,
    @Param('reportId', uuid) reportId: string,
    @Param('party') party: string,
    @CurrentPrincipal() by: Principal,
    @Res() res: Response,
  ) {
    const image = await this.reports.signatureImage(id, reportId, party, by);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.type(image.type).send(image.bytes);
  }

  @Post('vendor-case')
  @HttpCode(201)
  @Roles(...STAFF)
  @ApiCreatedResponse({ type: VendorCaseView })
  openVendorCase(@Param('id', uuid) id: string, @Body() dto: OpenVendorCaseDto, @CurrentPrincipal() by: Principal) {
    return this.vendorCases.open(id, dto, by);
  }

  @Patch('vendor-case')
  @Roles(...STAFF)
  @ApiOkResponse({ type: VendorCaseView })
  updateVendorCase(@Param('id', uuid) id: string, @Body() dto: UpdateVendorCaseDto, @CurrentPrincipal() by: Principal) {
    return this.vendorCases.update(id, dto, by);
  }

  @Get('vendor-case')
  @Roles(...STAFF)
  @ApiOkResponse({ type: VendorCaseView })
  getVendorCase(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.vendorCases.get(id, by);
  }
}
