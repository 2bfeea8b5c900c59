import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { OpenApiDocument, Route, Schema } from './openapi';

/**
 * Checks answers against the OpenAPI document of their service: the status must be documented
 * for the route, a JSON body must match the documented schema (components resolved within the
 * same document). OpenAPI's `nullable` and `example` are understood.
 */
export class ContractChecker {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly docIds = new Map<OpenApiDocument, string>();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    addFormats(this.ajv);
  }

  private docId(doc: OpenApiDocument): string {
    let id = this.docIds.get(doc);
    if (!id) {
      id = `doc${this.docIds.size}`;
      this.docIds.set(doc, id);
      this.ajv.addSchema({ $id: id, components: nullables(rewriteRefs(doc.components ?? {}, id)) });
    }
    return id;
  }

  /** Problems of an error answer's body against the shared Problem schema of the route's document. */
  checkProblem(r: Route, status: number, body: string): string[] {
    const where = `${r.service} ${r.method} ${r.path} ${status}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return [`${where}: error answer is not JSON: ${body.slice(0, 80)}`];
    }
    const key = `${r.service} Problem`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${this.docId(r.doc)}#/components/schemas/Problem` });
      this.compiled.set(key, validate);
    }
    if (validate(parsed)) return [];
    return (validate.errors ?? []).slice(0, 3).map((e) => `${where}: ${e.instancePath || '(body)'} ${e.message}`);
  }

  /** The documented schema of a route's answer with this status (undefined: no JSON body documented). */
  schemaOf(r: Route, status: number): Schema | undefined {
    const res = r.op.responses[String(status)];
    return res?.content?.['application/json']?.schema;
  }

  /** Problems of one answer: an undocumented status, an undocumented JSON body, or a body off its schema. */
  check(r: Route, status: number, body: string, contentType: string | null): string[] {
    const where = `${r.service} ${r.method} ${r.path} ${status}`;
    if (!(String(status) in r.op.responses)) return [`${where}: status not documented (${Object.keys(r.op.responses).join(', ')})`];
    if (!contentType?.includes('application/json') || body === '') return [];
    const schema = this.schemaOf(r, status);
    if (!schema) return [`${where}: JSON answer without a documented schema`];
    const key = `${where} schema`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(nullables(rewriteRefs(schema, this.docId(r.doc))) as object);
      this.compiled.set(key, validate);
    }
    if (validate(JSON.parse(body))) return [];
    return (validate.errors ?? [])
      .slice(0, 5)
      .map((e) => `${where}: ${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`);
  }
}

/**
 * OpenAPI 3.0's `nullable: true` as JSON Schema: the schema or null (ajv's own `nullable` leaves
 * an enum or a `$ref` refusing null, which OpenAPI allows). Objects are closed: a field the
 * document does not name is a contract problem.
 */
function nullables(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(nullables);
  if (v === null || typeof v !== 'object') return v;
  const { nullable, ...rest } = v as Record<string, unknown>;
  const inner = Object.fromEntries(Object.entries(rest).map(([k, x]) => [k, nullables(x)]));
  // strict: an object documents every field it answers with
  if (inner.properties && !('additionalProperties' in inner)) inner.additionalProperties = false;
  return nullable === true ? { anyOf: [inner, { type: 'null' }] } : inner;
}

/** `#/components/...` → `<id>#/components/...`, so a schema taken out of its document still resolves. */
function rewriteRefs<T>(schema: T, id: string): T {
  return JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, `"$ref":"${id}#/`));
}
