import { applyDecorators, createParamDecorator, ExecutionContext, HttpCode, Post, Type } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { StoredResponse } from '@aftersales/platform';

/** A POST that takes an `Idempotency-Key` header: a repeat with the same key answers what the first call did. */
export const IdempotentPost = (path: string | undefined, status: 200 | 201) =>
  applyDecorators(Post(path), HttpCode(status), ApiHeader({ name: 'Idempotency-Key', required: false }));

/** The documented answers of a route: 200 with `type`, and each error status with what causes it. */
export const Answers = (type: Type<unknown>, errors: Partial<Record<400 | 404 | 409 | 410 | 422, string>>) =>
  applyDecorators(
    ApiResponse({ status: 200, type }),
    ...Object.entries(errors).map(([status, description]) => ApiResponse({ status: Number(status), description })),
  );

/** Why an answer to a survey is refused (400, 409, 422), as the API documents it. */
export const BAD_SCORE = 'a score that is not an integer 1–5, or an unknown item (named in `errors`)';
export const ANSWERED = 'already answered, or its period is archived';
export const UNSCORED = 'items still unscored (named in `errors`)';

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
