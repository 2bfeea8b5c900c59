import { applyDecorators, HttpCode, Post } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Response } from 'express';
import { StoredResponse } from '@aftersales/platform';

/** A POST that takes an `Idempotency-Key` header: a repeat with the same key answers what the first call did. */
export const IdempotentPost = (path: string | undefined, status: 200 | 201) =>
  applyDecorators(Post(path), HttpCode(status), ApiHeader({ name: 'Idempotency-Key', required: false }));

/** The body of a stored response, with `Idempotent-Replayed` set on a repeat. */
export function replayedBody<T>(res: Response, r: StoredResponse<T>): T {
  if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
  return r.body;
}
