import { NotFoundException } from '@nestjs/common';
import { FieldError, problemException } from '@aftersales/platform';

export { problemException };

/** A reason a record cannot be written, with the HTTP status the API answers it with. */
export interface RecordProblem extends FieldError {
  status: 400 | 409 | 422;
}

export function throwProblem(p: RecordProblem): never {
  throw problemException(p.status, [{ field: p.field, reason: p.reason }]);
}

export function notFound(kind: string, id: string): NotFoundException {
  return new NotFoundException({ statusCode: 404, message: `${kind} ${id} not found` });
}
