import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ExceptionFilter,
  HttpException,
  Inject,
  LoggerService,
  ValidationError,
} from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { SERVICE_LOGGER } from './runtime';

export interface FieldError {
  field: string;
  reason: string;
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...flattenValidationErrors(e.children ?? [], field)];
  });
}

export function validationException(errors: ValidationError[]): BadRequestException {
  const fields = flattenValidationErrors(errors);
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: 'validation failed', errors: fields });
}

/**
 * Every error leaves as JSON with a status a client can act on: validation and malformed bodies
 * are 400, constraint conflicts 409, and only a real fault is a 500 (logged with its stack).
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  // the service's own logger: Nest's static Logger would name whichever app was created last
  constructor(@Inject(SERVICE_LOGGER) private readonly logger: LoggerService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const res = host.switchToHttp().getResponse<Response>();
    const { status, body } = this.describe(exception);
    if (status >= 500) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    res.status(status).json(body);
  }

  private describe(e: unknown): { status: number; body: Record<string, unknown> } {
    if (e instanceof HttpException) {
      const r = e.getResponse();
      const body = typeof r === 'string' ? { statusCode: e.getStatus(), message: r } : (r as Record<string, unknown>);
      return { status: e.getStatus(), body };
    }
    if (e instanceof QueryFailedError) {
      const code = (e as unknown as { code?: string }).code;
      if (code === '23505') return { status: 409, body: { statusCode: 409, message: 'conflicts with an existing record' } };
      // a delete of a record another still refers to (or a reference to one that is gone)
      if (code === '23503')
        return {
          status: 409,
          body: { statusCode: 409, message: 'refers to, or is referred to by, another record that forbids the change' },
        };
      if (code === '22P02' || code === '22007' || code === '22003')
        return { status: 400, body: { statusCode: 400, message: 'a value has the wrong format' } };
    }
    return { status: 500, body: { statusCode: 500, message: 'internal error' } };
  }
}

/** Express error middleware right after the JSON parser: malformed or oversized bodies in the same shape as validation errors. */
export function bodyParseErrors(
  err: { type?: string; status?: number; message?: string },
  _req: Request,
  res: Response,
  next: NextFunction,
): void {
  if (err?.type === 'entity.parse.failed') {
    res
      .status(400)
      .json({ statusCode: 400, message: 'request body is not valid JSON', errors: [{ field: '(body)', reason: err.message }] });
  } else if (err?.type === 'entity.too.large') {
    res
      .status(413)
      .json({ statusCode: 413, message: 'request body is larger than the limit', errors: [{ field: '(body)', reason: err.message }] });
  } else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
    res
      .status(err.status)
      .json({ statusCode: err.status, message: 'unreadable request body', errors: [{ field: '(body)', reason: err.message }] });
  } else {
    next(err);
  }
}
