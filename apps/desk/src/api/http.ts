/**
 * The one way the desk talks to the services: same origin, `/api/<service>/…` (the desk server passes
 * it through), the signed-in user's bearer token, JSON both ways, and errors that name the field.
 */
export type ServiceName = 'intake' | 'case' | 'escalation' | 'spares' | 'survey' | 'notify';

export interface FieldProblem {
  field: string;
  reason: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: FieldProblem[] = [],
    readonly body: unknown = undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let tokenSource: () => string | null = () => null;
let onUnauthorized: () => void = () => undefined;

/** The session module tells the client where the token is and what to do when it is refused. */
export function configureHttp(o: { token: () => string | null; unauthorized: () => void }): void {
  tokenSource = o.token;
  onUnauthorized = o.unauthorized;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined | null | string[]>;
  body?: unknown;
  form?: FormData;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export function queryString(q: RequestOptions['query']): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length) p.set(k, v.join(','));
    } else p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

export async function api<T>(service: ServiceName, method: string, path: string, o: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = tokenSource();
  if (token) headers.authorization = `Bearer ${token}`;
  if (o.idempotencyKey) headers['idempotency-key'] = o.idempotencyKey;
  let body: BodyInit | undefined;
  if (o.form) body = o.form;
  else if (o.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(o.body);
  }
  const res = await fetch(`/api/${service}${path}${queryString(o.query)}`, { method, headers, body, signal: o.signal });
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!res.ok) {
    if (res.status === 401) onUnauthorized();
    const b = (parsed ?? {}) as { message?: string | string[]; errors?: FieldProblem[] };
    const message = Array.isArray(b.message) ? b.message.join('; ') : (b.message ?? `${res.status} ${res.statusText}`);
    throw new ApiError(res.status, message, Array.isArray(b.errors) ? b.errors : [], parsed);
  }
  return parsed as T;
}

/** A file the services serve as bytes (an attachment), fetched with the bearer token a plain link would go without. */
export async function apiBlob(service: ServiceName, path: string): Promise<Blob> {
  const token = tokenSource();
  const res = await fetch(`/api/${service}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    if (res.status === 401) onUnauthorized();
    throw new ApiError(res.status, `${res.status} ${res.statusText}`);
  }
  return res.blob();
}

/** A fresh Idempotency-Key for one user action (kept across its retries). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
