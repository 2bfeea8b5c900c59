import { NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { FieldError } from '@aftersales/platform';

export const unprocessable = (errors: Array<FieldError & Record<string, unknown>>) =>
  new UnprocessableEntityException({ statusCode: 422, message: 'validation failed', errors });

export const notFound = (what: string) => new NotFoundException({ statusCode: 404, message: `${what} not found` });
