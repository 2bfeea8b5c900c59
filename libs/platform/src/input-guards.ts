import { ArgumentMetadata, BadRequestException, ValidationPipe } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { FieldError, validationException } from './errors';

/**
 * Guards every input once, at the edge, for the classes of bad input that otherwise reach a
 * library or PostgreSQL and come back as a 500:
 * - nesting deeper than any DTO needs (class-transformer recurses and overflows the stack);
 * - NUL characters in path parameters, query values, body strings and keys (PostgreSQL text
 *   cannot hold them: `invalid byte sequence for encoding "UTF8": 0x00`);
 * - `__proto__` / `constructor` / `prototype` keys, which class-transformer drops before the
 *   whitelist could refuse them like any other unknown key;
 * - `null` for a body field that is not documented nullable (`@ApiProperty({ nullable: true })`),
 *   which `@IsOptional()` lets through as if absent and the database then refuses.
 */

/** Deeper than any request body of the API needs (policies nest about 6 levels). */
export const MAX_JSON_DEPTH = 32;
const MAX_REPORTED = 20;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** where @nestjs/swagger keeps `@ApiProperty()` options (its DECORATORS.API_MODEL_PROPERTIES, not exported by the package) */
const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';

/** Whether `v` nests arrays/objects deeper than `max` levels, walked without recursion. */
export function nestedDeeperThan(v: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[v, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/** Express middleware after the body parsers: a body nested deeper than `max` is a 400 before any validation runs. */
export function jsonDepthGuard(max = MAX_JSON_DEPTH) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (nestedDeeperThan(req.body, max)) {
      res.status(400).json({
        statusCode: 400,
        error: 'Bad Request',
        message: 'request body is nested too deeply',
        errors: [{ field: '(body)', reason: `nested deeper than ${max} levels` }],
      });
      return;
    }
    next();
  };
}

const join = (parent: string, key: string) => (parent ? `${parent}.${key}` : key);

/** NUL characters and prototype keys anywhere in a decoded input, each named by its path. */
export function inputProblems(value: unknown, root: string): FieldError[] {
  const problems: FieldError[] = [];
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length && problems.length < MAX_REPORTED) {
    const [node, path] = stack.pop()!;
    if (typeof node === 'string') {
      if (node.includes('\u0000')) problems.push({ field: path || '(body)', reason: 'must not contain NUL characters' });
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    for (const key of Object.keys(node)) {
      const at = join(path, key);
      if (FORBIDDEN_KEYS.has(key)) problems.push({ field: at, reason: `property ${key} should not exist` });
      else if (key.includes('\u0000')) problems.push({ field: at, reason: 'a property name must not contain NUL characters' });
      else stack.push([(node as Record<string, unknown>)[key], at]);
    }
  }
  return problems;
}

function isDto(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype;
}

function documentedNullable(dto: object, key: string): boolean {
  const meta = Reflect.getMetadata(API_MODEL_PROPERTIES, dto, key) as { nullable?: boolean } | undefined;
  return meta?.nullable === true;
}

/** Fields of a validated DTO (and its nested DTOs) that are `null` without being documented nullable. */
export function nullProblems(value: unknown, root = ''): FieldError[] {
  const problems: FieldError[] = [];
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length && problems.length < MAX_REPORTED) {
    const [node, path] = stack.pop()!;
    if (Array.isArray(node)) {
      node.forEach((item, i) => stack.push([item, join(path, String(i))]));
      continue;
    }
    if (!isDto(node)) continue;
    for (const [key, v] of Object.entries(node)) {
      if (v === null && !documentedNullable(node, key)) problems.push({ field: join(path, key), reason: `${key} must not be null` });
      else stack.push([v, join(path, key)]);
    }
  }
  return problems;
}

function rejected(errors: FieldError[]): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: 'validation failed', errors });
}

/**
 * The platform's one validation pipe: class-validator DTOs (unknown keys refused, bad values 400
 * naming the field) with the checks above around them.
 */
export class InputPipe extends ValidationPipe {
  constructor() {
    super({ whitelist: true, forbidNonWhitelisted: true, transform: true, exceptionFactory: validationException });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const checked = metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param';
    if (checked) {
      const problems = inputProblems(value, metadata.data ?? '');
      if (problems.length) throw rejected(problems);
    }
    const out: unknown = await super.transform(value, metadata);
    if (metadata.type === 'body') {
      const nulls = nullProblems(out, metadata.data ?? '');
      if (nulls.length) throw rejected(nulls);
    }
    return out;
  }
}
