import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, Roles, visibleTo } from '@aftersales/platform';
import { AttachmentRecord } from './attachment.entity';
import { DataSource } from 'typeorm';

@ApiTags('attachments')
@ApiBearerAuth()
@Controller('attachments')
export class AttachmentsController {
  constructor(private readonly dataSource: DataSource) {}

  /** The bytes as received; a customer gets only its own (404 otherwise, so ids leak nothing). */
  @Get(':id')
  @Roles('agent', 'engineer', 'manager', 'customer', 'admin')
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'the file as received, with its own content type', schema: { type: 'string', format: 'binary' } })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() by: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const scope = visibleTo(by);
    // an unmatched mail's files have no customer yet: staff only
    const found = await this.dataSource
      .getRepository(AttachmentRecord)
      .createQueryBuilder('a')
      .addSelect('a.content')
      .where('a.id = :id', { id })
      .andWhere(scope.customerId !== undefined ? 'a.customer_id = :customerId' : '1=1', scope)
      .andWhere(scope.region !== undefined ? 'a.region = :region' : '1=1', scope)
      .getOne();
    if (!found) throw new NotFoundException(`attachment ${id} not found`);
    res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(found.filename)}`);
    res.setHeader('x-content-type-options', 'nosniff');
    return new StreamableFile(found.content, { type: found.contentType, length: found.size });
  }
}
