import { HttpException, NotFoundException } from '@nestjs/common';
import type { FieldError } from '@aftersales/platform';

/** A reason a record cannot be written, with the HTTP status the API answers it with. */
export interface RecordProblem extends FieldError {
  status: 400 | 409 | 422;
}

const MESSAGES: Record<number, string> = {
  400: 'validation failed',
  409: 'conflicts with existing records',
  422: 'refers to records that do not exist or do not fit',
};

/** The platform's problem shape: `{ statusCode, message, errors: [{ field, reason }] }`. */
export function problemException(status: number, errors: FieldError[], message = MESSAGES[status] ?? 'request failed'): HttpException {
  return new HttpException({ statusCode: status, message, errors }, status);
}

export function throwProblem(p: RecordProblem): never {
  throw problemException(p.status, [{ field: p.field, reason: p.reason }]);
}

export function notFound(kind: string, id: string): NotFoundException {
  return new NotFoundException({ statusCode: 404, message: `${kind} ${id} not found` });
}
