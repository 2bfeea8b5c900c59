import { applyDecorators, createParamDecorator, ExecutionContext, HttpCode, Post } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { StoredResponse } from '@aftersales/platform';

/** A POST that takes an `Idempotency-Key` header: a repeat with the same key answers what the first call did. */
export const IdempotentPost = (path: string | undefined, status: 200 | 201) =>
  applyDecorators(Post(path), HttpCode(status), ApiHeader({ name: 'Idempotency-Key', required: false }));

/** A keyed call: its `Idempotency-Key` (if any), and the answer's body, marked `Idempotent-Replayed` on a repeat. */
export interface Keyed {
  key: string | undefined;
  answer<T>(r: StoredResponse<T>): T;
}

/** The handler parameter of an `IdempotentPost` route. */
export const KeyedCall = createParamDecorator((_: unknown, ctx: ExecutionContext): Keyed => {
  const http = ctx.switchToHttp();
  const key = http.getRequest<Request>().headers['idempotency-key'];
  const res = http.getResponse<Response>();
  return {
    key: typeof key === 'string' ? key : undefined,
    answer: (r) => {
      if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
      return r.body;
    },
  };
});
