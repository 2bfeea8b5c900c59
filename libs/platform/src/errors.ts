import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter, HttpException, Logger, ValidationError } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';

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
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const res = host.switchToHttp().getResponse();
    const { status, body } = this.describe(exception);
    if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    res.status(status).json(body);
  }

  private describe(e: unknown): { status: number; body: Record<string, unknown> } {
    if (e instanceof HttpException) {
      const r = e.getResponse();
      const body = typeof r === 'string' ? { statusCode: e.getStatus(), message: r } : (r as Record<string, unknown>);
      return { status: e.getStatus(), body };
    }
    const err = e as { type?: string; status?: number; statusCode?: number; code?: string; message?: string };
    // body-parser errors (malformed JSON, too large) carry their own 4xx status
    if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
      const reason = err.type === 'entity.too.large' ? 'request body is larger than the limit' : 'request body is not valid JSON';
      return { status: err.status, body: { statusCode: err.status, message: reason, errors: [{ field: '(body)', reason: err.message }] } };
    }
    if (e instanceof QueryFailedError) {
      const code = (e as unknown as { code?: string }).code;
      if (code === '23505') return { status: 409, body: { statusCode: 409, message: 'conflicts with an existing record' } };
      if (code === '22P02' || code === '22007' || code === '22003') return { status: 400, body: { statusCode: 400, message: 'a value has the wrong format' } };
    }
    return { status: 500, body: { statusCode: 500, message: 'internal error' } };
  }
}
