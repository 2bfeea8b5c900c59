import { applyDecorators, Controller, Get, HttpCode, ParseUUIDPipe, Post, Type } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Role, Roles, StoredResponse } from '@aftersales/platform';
import { ProblemView } from '../catalog/catalog.dto';

/** Everyone who works for the provider (customers are not staff). */
export const STAFF: readonly Role[] = ['agent', 'engineer', 'manager', 'admin'];
export const STAFF_AND_CUSTOMER: readonly Role[] = [...STAFF, 'customer'];
export const MANAGERS: readonly Role[] = ['manager', 'admin'];
export const uuid = new ParseUUIDPipe();

type View = Type<unknown> | [Type<unknown>];

/** A controller of the spares API under `path`, documented under `tag`, every route behind a bearer token. */
export const SparesApi = (tag: string, path?: string) => applyDecorators(ApiTags(tag), ApiBearerAuth(), Controller(path ?? ''));

/** A read for `roles` answering `type`; `notFound` adds the 404 of a row missing or out of reach. */
export const Read = (path: string | undefined, type: View, o: { roles?: readonly Role[]; notFound?: boolean } = {}) =>
  applyDecorators(
    Get(path),
    Roles(...(o.roles ?? STAFF)),
    ApiOkResponse({ type }),
    ...(o.notFound ? [ApiResponse({ status: 404, type: ProblemView })] : []),
  );

/** A move of a row through its states: POST answering 200 with the row; 409 when its state forbids the move. */
export const Move = (path: string, type: View, o: { roles?: readonly Role[]; conflict: string }) =>
  applyDecorators(
    Post(path),
    HttpCode(200),
    Roles(...(o.roles ?? STAFF)),
    ApiOkResponse({ type }),
    ApiResponse({ status: 409, type: ProblemView, description: o.conflict }),
  );

/** A create that takes an `Idempotency-Key` header: a repeat answers what the first call answered. */
export const IdempotentCreate = (path: string | undefined, roles: readonly Role[]) =>
  applyDecorators(Post(path), HttpCode(201), Roles(...roles), ApiHeader({ name: 'Idempotency-Key', required: false }));

/** Answers a stored response: its status, and `Idempotent-Replayed` when it is a repeat. */
export function answer<T>(res: Response, r: StoredResponse<T>): T {
  res.status(r.status);
  if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
  return r.body;
}
