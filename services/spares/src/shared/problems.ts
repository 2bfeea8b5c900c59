import { ConflictException, NotFoundException } from '@nestjs/common';
import { problemException } from '@aftersales/platform';

/** 409 for a move the state machine does not allow: why, and what is allowed instead. */
export function illegalMove(reason: string, allowed: readonly string[]): ConflictException {
  return new ConflictException({ statusCode: 409, message: reason, errors: [{ field: 'state', reason }], allowed });
}

/** 422 for a body field naming a record that does not exist (or is out of the caller's scope). */
export function unknownRef(field: string, what: string, id: string) {
  return problemException(422, [{ field, reason: `no ${what} ${id}` }], `unknown ${what}`);
}

export function badField(field: string, reason: string, status = 400) {
  return problemException(status, [{ field, reason }], status === 400 ? 'validation failed' : reason);
}

export function conflictOn(field: string, reason: string, extra: Record<string, unknown> = {}): ConflictException {
  return new ConflictException({ statusCode: 409, message: reason, errors: [{ field, reason }], ...extra });
}

export function notFound(what: string, id: string): NotFoundException {
  return new NotFoundException({ statusCode: 404, message: `${what} ${id} not found` });
}
