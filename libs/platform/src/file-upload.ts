import { CallHandler, ExecutionContext, HttpException, Injectable, mixin, NestInterceptor, Type } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import { Observable } from 'rxjs';
import { problemException } from './csv-import';

/**
 * One file in the multipart field `field`, in memory (the bytes go into a table, never onto the
 * pod's disk), with multer's errors — too large, wrong field, broken form — in the platform's
 * problem shape naming that field: 413 `<what> too large`, otherwise 400.
 */
export function SingleFileUpload(field: string, o: { maxBytes: number; what: string }): Type<NestInterceptor> {
  const Multipart = FileInterceptor(field, { limits: { fileSize: o.maxBytes, files: 1, fields: 4, fieldSize: 4096, parts: 5 } });

  @Injectable()
  class Upload extends Multipart {
    override async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      try {
        return await super.intercept(ctx, next);
      } catch (e) {
        // multer stopped reading mid-body: the rest of the upload is still on the wire, so this connection cannot carry another request
        ctx.switchToHttp().getResponse<Response>().setHeader('Connection', 'close');
        const status = e instanceof HttpException ? e.getStatus() : 400;
        if (status === 413) throw problemException(413, [{ field, reason: `larger than ${o.maxBytes} bytes` }], `${o.what} too large`);
        if (status >= 500) throw e;
        throw problemException(400, [{ field, reason: e instanceof Error ? e.message : 'unreadable multipart body' }]);
      }
    }
  }
  return mixin(Upload);
}
