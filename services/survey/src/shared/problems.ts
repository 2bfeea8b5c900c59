import { ConflictException, GoneException, UnprocessableEntityException } from '@nestjs/common';

/** A 422 in the platform's validation shape: each problem names its field. */
export function unprocessable(errors: Array<{ field: string; reason: string }>, message = 'validation failed') {
  return new UnprocessableEntityException({ statusCode: 422, message, errors });
}

export function conflict(message: string, extra: Record<string, unknown> = {}) {
  return new ConflictException({ statusCode: 409, message, ...extra });
}

export function gone(message: string) {
  return new GoneException({ statusCode: 410, message });
}
