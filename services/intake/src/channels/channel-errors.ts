import { ConflictException, UnprocessableEntityException } from '@nestjs/common';
import type { Principal } from '@aftersales/platform';

/** The principal a channel files under when no person is involved (the SMTP listener). */
export function systemPrincipal(subject: string, region: string): Principal {
  return { subject, roles: ['agent'], region };
}

export function conflict(message: string, field: string, reason: string): ConflictException {
  return new ConflictException({ statusCode: 409, message, errors: [{ field, reason }] });
}

export function unprocessable(message: string, field: string, reason: string): UnprocessableEntityException {
  return new UnprocessableEntityException({ statusCode: 422, message, errors: [{ field, reason }] });
}
