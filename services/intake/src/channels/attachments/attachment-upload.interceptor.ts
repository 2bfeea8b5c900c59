import { CallHandler, ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import { problemException } from '@aftersales/platform';
import { Observable } from 'rxjs';
import { MAX_ATTACHMENT_BYTES } from '../../domain/attachment-policy';

const Multipart = FileInterceptor('file', {
  // memory storage: the bytes go into the attachments table, never onto the pod's disk
  limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 2, fieldSize: 1024, parts: 3 },
});

/** Multer's errors (too large, wrong field, broken form) in the platform's shape, naming the `file` field. */
@Injectable()
export class AttachmentUpload extends Multipart {
  override async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await super.intercept(ctx, next);
    } catch (e) {
      // multer stopped reading mid-body: the rest of the upload is still on the wire, so this connection cannot carry another request
      ctx.switchToHttp().getResponse<Response>().setHeader('Connection', 'close');
      const status = e instanceof HttpException ? e.getStatus() : 400;
      if (status === 413) {
        throw problemException(413, [{ field: 'file', reason: `larger than ${MAX_ATTACHMENT_BYTES} bytes` }], 'attachment too large');
      }
      if (status >= 500) throw e;
      const reason = e instanceof Error ? e.message : 'unreadable multipart body';
      throw problemException(400, [{ field: 'file', reason }], 'unreadable upload');
    }
  }
}
