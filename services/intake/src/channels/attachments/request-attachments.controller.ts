import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Req, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentPrincipal, Principal, Roles } from '@aftersales/platform';
import { AttachmentRefView } from '../../api/responses';
import { ALLOWED_ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_REQUEST } from '../../domain/attachment-policy';
import { AttachmentUpload } from './attachment-upload.interceptor';
import { RequestAttachmentsService, UploadedAttachment } from './request-attachments.service';

@ApiTags('attachments')
@ApiBearerAuth()
@Controller('requests/:id/attachments')
export class RequestAttachmentsController {
  constructor(private readonly attachments: RequestAttachmentsService) {}

  /** The request's files (mail attachments and uploads); the bytes at `GET /attachments/{attachmentId}`. */
  @Get()
  @ApiOkResponse({ type: [AttachmentRefView] })
  list(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() by: Principal) {
    return this.attachments.list(id, by);
  }

  @Post()
  @HttpCode(201)
  @Roles('agent', 'engineer', 'customer', 'admin')
  @UseInterceptors(AttachmentUpload)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: {
          type: 'string',
          format: 'binary',
          description:
            `at most ${MAX_ATTACHMENT_BYTES} bytes (413 beyond), of ${ALLOWED_ATTACHMENT_TYPES.join(', ')} (415 otherwise); ` +
            `the content must match its type (422); at most ${MAX_ATTACHMENTS_PER_REQUEST} per request (409)`,
        },
      },
    },
  })
  @ApiCreatedResponse({ type: AttachmentRefView, description: 'stored; listed on the request from now on' })
  add(
    @Param('id', new ParseUUIDPipe()) id: string,
    @UploadedFile() file: UploadedAttachment | undefined,
    @Req() req: Request,
    @CurrentPrincipal() by: Principal,
  ) {
    return this.attachments.add(id, file, req.is('multipart/form-data') === 'multipart/form-data', by);
  }
}
