import { CallHandler, ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import { Observable } from 'rxjs';
import { invalidField } from './field-errors';
import { MAX_SIGNATURE_BYTES } from './signature-image';

const Multipart = FileInterceptor('signature', {
  // memory storage: the image goes into the report row, never onto the pod's disk
  limits: { fileSize: MAX_SIGNATURE_BYTES, files: 1, fields: 4, fieldSize: 4096, parts: 5 },
});

/** Multer's errors (too large, wrong field, broken form) in the platform's shape, naming the `signature` field. */
@Injectable()
export class SignatureUpload extends Multipart {
  override async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await super.intercept(ctx, next);
    } catch (e) {
      // multer stopped reading mid-body: the rest of the upload is still on the wire, so this connection cannot carry another request
      ctx.switchToHttp().getResponse<Response>().setHeader('Connection', 'close');
      const status = e instanceof HttpException ? e.getStatus() : 400;
      const reason = e instanceof Error ? e.message : 'unreadable multipart body';
      if (status === 413) {
        throw new HttpException(
          {
            statusCode: 413,
            message: 'signature image too large',
            errors: [{ field: 'signature', reason: `larger than ${MAX_SIGNATURE_BYTES} bytes` }],
          },
          413,
        );
      }
      if (status >= 500) throw e;
      throw invalidField('signature', reason);
    }
  }
}
