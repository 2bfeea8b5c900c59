import { ServiceName, Stack } from './stack';

/** The parts of an OpenAPI 3 document the hostile suites read. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  nullable?: boolean;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  example?: unknown;
  [k: string]: unknown;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
  security?: unknown[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** One route of one service, as its document describes it. */
export interface Route {
  service: ServiceName;
  method: string;
  /** the templated path, e.g. `/cases/{id}/visits/{visitId}/arrival` */
  path: string;
  op: Operation;
  doc: OpenApiDocument;
}

/** Routes anyone may call (no token): health, metrics and the documents themselves. */
export const PUBLIC_PATHS = ['/health/live', '/health/ready', '/metrics'];

export async function fetchDocuments(stack: Stack): Promise<Map<ServiceName, OpenApiDocument>> {
  const docs = new Map<ServiceName, OpenApiDocument>();
  for (const [name, t] of stack.services) {
    const res = await fetch(`${t.service.url}/docs/openapi.json`);
    if (res.status !== 200) throw new Error(`${name}: /docs/openapi.json answered ${res.status}`);
    docs.set(name, (await res.json()) as OpenApiDocument);
  }
  return docs;
}

export function routesOf(docs: Map<ServiceName, OpenApiDocument>): Route[] {
  const routes: Route[] = [];
  for (const [service, doc] of docs) {
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (PUBLIC_PATHS.includes(path)) continue;
      for (const [method, op] of Object.entries(ops)) routes.push({ service, method: method.toUpperCase(), path, op, doc });
    }
  }
  return routes;
}

export const pathParams = (r: Route) => (r.op.parameters ?? []).filter((p) => p.in === 'path');
export const queryParams = (r: Route) => (r.op.parameters ?? []).filter((p) => p.in === 'query');
export const isWrite = (r: Route) => r.method !== 'GET';

/** The schema a `$ref` points at, or the schema itself. */
export function resolve(doc: OpenApiDocument, s: Schema | undefined): Schema | undefined {
  let cur = s;
  for (let i = 0; cur?.$ref && i < 20; i++) {
    const name = cur.$ref.replace('#/components/schemas/', '');
    cur = doc.components?.schemas?.[name];
  }
  return cur;
}

/** The JSON body schema of a route (undefined: the route takes no JSON body). */
export function bodySchema(r: Route): Schema | undefined {
  const content = r.op.requestBody?.content;
  if (!content) return undefined;
  return resolve(r.doc, content['application/json']?.schema ?? Object.values(content)[0]?.schema);
}

/** Fills a templated path with the given values (encoded), e.g. `{id}` → `C-1`. */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`no value for {${name}} in ${template}`);
    return v;
  });
}
