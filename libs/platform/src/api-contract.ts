import { INestApplication, RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { ApiProperty, ApiPropertyOptional, type OpenAPIObject } from '@nestjs/swagger';
import { PUBLIC_METADATA, ROLES_METADATA, Role } from './auth';

/**
 * The error shape every service answers with (ProblemFilter, validation, body parsing): a JSON
 * object with the status, a message and, for input problems, the fields and why.
 */
export const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'message'],
  properties: {
    statusCode: { type: 'integer', minimum: 400, maximum: 599 },
    error: { type: 'string' },
    message: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'reason'],
        properties: {
          field: { type: 'string' },
          reason: { type: 'string' },
          line: { type: 'integer', minimum: 1, description: 'a template or file that does not parse: where' },
          column: { type: 'integer', minimum: 1 },
        },
      },
    },
    allowed: { type: 'array', items: { type: 'string' }, description: 'an illegal case move (409): the statuses allowed from here' },
  },
};

const ERROR_DESCRIPTIONS: Record<string, string> = {
  '400': 'bad input: the fields and why (wrong type, unknown key, null, NUL, nested too deep)',
  '401': 'no token, or one that is expired, badly signed or without a known role and region',
  '403': "the token's roles may not use this route",
  '404':
    'no such record in the caller’s scope (another region’s or customer’s records answer the same); customers get 404 on staff-only routes about a record',
  '409': 'conflicts with the record’s state or an existing record',
  '413': 'body larger than the limit',
  '415': 'content type not accepted here',
  '422': 'refers to records that do not exist or do not fit, or an Idempotency-Key reused with another body',
  '500': 'a fault of the service (logged); never an answer to bad input',
};

const METHODS: Partial<Record<RequestMethod, string>> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.DELETE]: 'delete',
  [RequestMethod.PATCH]: 'patch',
};

interface RouteAccess {
  path: string;
  method: string;
  roles: Role[] | 'any' | 'public';
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v : [v ?? '']).map(String);
const joinPath = (a: string, b: string) =>
  (
    '/' +
    [a, b]
      .map((p) => p.replace(/^\/+|\/+$/g, ''))
      .filter(Boolean)
      .join('/')
  ).replace(/:(\w+)/g, '{$1}');

/** Every HTTP route of the app with the roles its guard asks for, read from the controllers' metadata. */
export function routeAccess(app: INestApplication): RouteAccess[] {
  const out: RouteAccess[] = [];
  for (const mod of app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const type = wrapper.metatype as (new (...a: unknown[]) => unknown) | undefined;
      if (!type?.prototype) continue;
      const base = asList(Reflect.getMetadata(PATH_METADATA, type));
      const seen = new Set<string>();
      for (
        let proto = type.prototype as object | null;
        proto && proto !== Object.prototype;
        proto = Object.getPrototypeOf(proto) as object | null
      ) {
        for (const name of Object.getOwnPropertyNames(proto)) {
          if (name === 'constructor' || seen.has(name)) continue;
          seen.add(name);
          // the descriptor, not the property: reading a getter on the bare prototype would run it
          const handler: unknown = Object.getOwnPropertyDescriptor(proto, name)?.value;
          const sub: unknown = typeof handler === 'function' ? Reflect.getMetadata(PATH_METADATA, handler) : undefined;
          const method = sub === undefined ? undefined : METHODS[Reflect.getMetadata(METHOD_METADATA, handler as object) as RequestMethod];
          if (!method || typeof handler !== 'function') continue;
          const isPublic: unknown = Reflect.getMetadata(PUBLIC_METADATA, handler) ?? Reflect.getMetadata(PUBLIC_METADATA, type);
          const roles = (Reflect.getMetadata(ROLES_METADATA, handler) ?? Reflect.getMetadata(ROLES_METADATA, type)) as Role[] | undefined;
          for (const b of base)
            for (const s of asList(sub)) out.push({ path: joinPath(b, s), method, roles: isPublic ? 'public' : (roles ?? 'any') });
        }
      }
    }
  }
  return out;
}

/**
 * Adds to the document what the controllers do not say one by one: who may call each route
 * (`x-roles`: role names, `any` authenticated token, or `public`) and the error answers in the
 * shared `Problem` shape. Existing response entries keep their descriptions.
 */
export function documentContract(app: INestApplication, doc: OpenAPIObject): OpenAPIObject {
  doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, Problem: PROBLEM_SCHEMA as never } };
  const access = new Map(routeAccess(app).map((r) => [`${r.method} ${r.path}`, r.roles]));
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item) as Array<[string, Record<string, unknown>]>) {
      if (!op || typeof op !== 'object' || !('responses' in op)) continue;
      const roles = access.get(`${method} ${path}`) ?? 'any';
      op['x-roles'] = roles;
      const params = (op.parameters as Array<{ in: string }> | undefined) ?? [];
      const responses = op.responses as Record<string, { description?: string; content?: unknown }>;
      // a public route with a key in its path (survey's answer link) answers errors the same way
      if (roles === 'public' && !params.some((p) => p.in === 'path')) continue;
      const statuses = roles === 'public' ? ['400', '404', '500'] : ['400', '401', '500'];
      if (roles !== 'any' && roles !== 'public') statuses.push('403');
      if (params.some((p) => p.in === 'path')) statuses.push('404');
      if (method !== 'get') statuses.push('409', '422');
      if (op.requestBody) statuses.push('413', '415');
      // errors a controller declared itself (410, 429, …) have the same shape
      statuses.push(...Object.keys(responses).filter((s) => Number(s) >= 400 && !responses[s]?.content));
      for (const status of new Set(statuses)) {
        responses[status] = {
          description: responses[status]?.description ?? ERROR_DESCRIPTIONS[status] ?? 'an error',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } },
        };
      }
    }
  }
  return doc;
}

/** The OpenAPI class of a page of `item`s (`{ items, total, limit, offset }`, see `Page`). */
export function PageOf<T>(item: Type<T>): Type<{ items: T[]; total: number; limit: number; offset: number }> {
  class PageOfItems {
    @ApiProperty({ type: [item] }) items: T[];
    @ApiProperty({ description: 'matching records in all pages' }) total: number;
    @ApiProperty() limit: number;
    @ApiProperty() offset: number;
  }
  Object.defineProperty(PageOfItems, 'name', { value: `PageOf${item.name}` });
  return PageOfItems;
}

/** The OpenAPI class of an unpaginated list (`{ items }`). */
export function ListOf<T>(item: Type<T>): Type<{ items: T[] }> {
  class ListOfItems {
    @ApiProperty({ type: [item] }) items: T[];
  }
  Object.defineProperty(ListOfItems, 'name', { value: `ListOf${item.name}` });
  return ListOfItems;
}

class ImportRejectionView {
  @ApiProperty({ description: '1-based line of the file where the refused record starts (a header is line 1)' }) line: number;
  @ApiProperty() field: string;
  @ApiProperty() reason: string;
}

/** The answer of a file import: rows taken, and each refused row with its line and why. */
export class ImportResultView {
  @ApiProperty() imported: number;
  @ApiProperty({ type: [ImportRejectionView] }) rejected: ImportRejectionView[];
}

/** Who did something: a person (subject from the token) or the system, with the role it acted in. */
export class ActorView {
  @ApiPropertyOptional({ description: 'who (staff see it; customers see the role only)' }) subject?: string;
  @ApiProperty({ description: 'a token role, or `system`' }) role: string;
}

/** The caller of a service request, as intake took it down (case shows the same). */
export class CallerView {
  @ApiProperty() name: string;
  @ApiPropertyOptional() phone?: string;
  @ApiPropertyOptional() email?: string;
}

/** The contract terms a request or case runs under. */
export class ContractTermsView {
  @ApiProperty() contractId: string;
  @ApiProperty({ enum: ['business-hours', '7x24'] }) coverage: string;
  @ApiPropertyOptional() calendarId?: string;
  @ApiPropertyOptional() policyId?: string;
  @ApiPropertyOptional({ type: String, format: 'date' }) warrantyEndsOn?: string;
}
