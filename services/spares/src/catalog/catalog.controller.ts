import { Body, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, ImportResultView, Principal, problemException, Roles } from '@aftersales/platform';
import { CatalogService } from './catalog.service';
import { CreatePartDto, PartListQuery, PartPage, PartView, ProblemView } from './catalog.dto';
import { answer, IdempotentCreate, MANAGERS, Read, SparesApi } from '../shared/http';

/** The parts catalog: part numbers, prices, what they fit, whether the faulty one comes back, DOA window. */
@SparesApi('catalog')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @IdempotentCreate('parts', MANAGERS)
  @ApiResponse({ status: 201, type: PartView })
  @ApiResponse({ status: 400, type: ProblemView, description: 'a field is missing or wrong' })
  @ApiResponse({ status: 409, type: ProblemView, description: 'the part number exists' })
  async create(
    @Body() dto: CreatePartDto,
    @CurrentPrincipal() by: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return answer(res, await this.catalog.create(dto, by.subject, key));
  }

  @Read('parts', PartPage)
  list(@Query() q: PartListQuery) {
    return this.catalog.list({ model: q.model, partClass: q.partClass }, q.limit, q.offset);
  }

  @Read('parts/:partNumber', PartView, { notFound: true })
  get(@Param('partNumber') partNumber: string) {
    return this.catalog.get(partNumber);
  }

  /** CSV import: valid rows are upserted by part number, the others reported by line with the field and why. */
  @Post('imports/parts')
  @HttpCode(200)
  @Roles(...MANAGERS)
  @ApiConsumes('text/csv')
  @ApiBody({
    description:
      'header row of field names (partNumber, description, partClass, compatibleModels, unitCost, contractPrice, mustReturn, doaDays, lifetimeSupply); compatibleModels separated by |',
    schema: { type: 'string' },
  })
  @ApiOkResponse({ type: ImportResultView })
  @ApiResponse({ status: 400, type: ProblemView, description: 'the header does not fit or the file is not CSV' })
  async import(@Body() body: unknown, @Headers('content-type') type: string | undefined) {
    if (!/^text\/csv\b/i.test(type ?? '') || typeof body !== 'string') {
      throw problemException(415, [{ field: '(body)', reason: 'send the file with Content-Type: text/csv' }], 'unsupported media type');
    }
    return this.catalog.import(body);
  }
}
