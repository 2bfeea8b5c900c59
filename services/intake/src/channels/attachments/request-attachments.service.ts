import { Injectable } from '@nestjs/common';
import { Clock, Principal, problemException, visibleTo } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { attachmentFilename, attachmentProblem, baseContentType, MAX_ATTACHMENTS_PER_REQUEST } from '../../domain/attachment-policy';
import { RequestAttachment, ServiceRequest } from '../../requests/service-request.entity';
import { RequestsService } from '../../requests/requests.service';
import { conflict, unprocessable } from '../channel-errors';
import { AttachmentRecord, attachmentRef } from './attachment.entity';

/** An uploaded file as multer's memory storage hands it over. */
export interface UploadedAttachment {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

/**
 * Files uploaded to a request (the portal's "attach a photo or log"): the bytes in the attachments
 * table, the reference in the request's list, in one transaction; scoped like every read, so
 * another customer's request is 404 before anything about the file is said.
 */
@Injectable()
export class RequestAttachmentsService {
  constructor(
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly requests: RequestsService,
  ) {}

  async list(requestId: string, by: Principal): Promise<RequestAttachment[]> {
    return (await this.requests.get(requestId, by)).attachments;
  }

  /** `multipart` says whether the body was a form at all (none: 415, a form without `file`: 422). */
  async add(requestId: string, file: UploadedAttachment | undefined, multipart: boolean, by: Principal): Promise<RequestAttachment> {
    return this.dataSource.transaction(async (m) => {
      const request = await m.findOne(ServiceRequest, { where: { id: requestId, ...visibleTo(by) }, lock: { mode: 'pessimistic_write' } });
      if (!request)
        throw problemException(404, [{ field: 'id', reason: `request ${requestId} not found` }], `request ${requestId} not found`);
      if (!file) {
        if (!multipart)
          throw problemException(415, [{ field: '(body)', reason: 'send multipart/form-data with the file in the field `file`' }]);
        throw unprocessable('no file uploaded', 'file', 'send the file in the multipart field `file`');
      }
      const problem = attachmentProblem(file.mimetype, file.buffer);
      if (problem) {
        const message = problem.status === 415 ? 'this kind of file is not accepted' : 'the file is not what its type says';
        throw problemException(problem.status, [{ field: problem.field, reason: problem.reason }], message);
      }
      const filename = attachmentFilename(file.originalname);
      if (!filename) throw unprocessable('the file has no name', 'file', 'the multipart part needs a filename');
      if (request.attachments.length >= MAX_ATTACHMENTS_PER_REQUEST) {
        throw conflict(
          `request ${request.id} already has ${request.attachments.length} attachments`,
          'file',
          `at most ${MAX_ATTACHMENTS_PER_REQUEST} per request`,
        );
      }
      const record = m.create(AttachmentRecord, {
        id: randomUUID(),
        ownerKind: 'request',
        ownerId: request.id,
        region: request.region,
        customerId: request.customerId,
        filename,
        contentType: baseContentType(file.mimetype),
        size: file.buffer.length,
        content: file.buffer,
        createdAt: this.clock.now(),
      });
      await m.insert(AttachmentRecord, record);
      const ref = attachmentRef(record);
      await m.update(ServiceRequest, { id: request.id }, { attachments: [...request.attachments, ref] });
      return ref;
    });
  }
}
