import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, IncomingMessage, request as httpRequest, Server, ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '@aftersales/config';
import { AuthOptions, Principal, ROLES, signDevToken, TokenVerifier } from '@aftersales/platform';
import { LiveFeed, visibleNotice } from './live-feed';

/**
 * The desk's web server (apps/desk is the single-page app it serves): the built bundle as static
 * files, `/api/<service>/…` passed through to the six services (so the browser talks to one origin
 * and the services need no CORS), `/desk-config.json` telling the app how to sign in, and — only
 * where the services trust a development secret — `POST /auth/dev-token`.
 */

export const DESK_SERVICES = ['intake', 'case', 'escalation', 'spares', 'survey', 'notify'] as const;
export type DeskService = (typeof DESK_SERVICES)[number];

export interface OidcSettings {
  issuer: string;
  clientId: string;
  scope: string;
  /** some providers need the API audience as an authorization parameter */
  audience?: string;
}

export interface DeskServerOptions {
  port: number;
  host?: string;
  /** the built bundle (index.html and assets/) */
  staticDir: string;
  upstreams: Record<DeskService, string>;
  /** the services' HS256 development secret: enables the development sign-in */
  devSecret?: string;
  oidc?: OidcSettings;
  region: string;
  /** case and escalation events for `GET /live` (server-sent events); without it the desk polls */
  live?: LiveFeed;
  /** how the services verify tokens (the live feed checks the browser's token the same way) */
  auth?: AuthOptions;
  /** comment lines that keep idle connections open through proxies */
  heartbeatMs?: number;
}

export interface RunningDesk {
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

// hop-by-hop headers are the proxy's own business (RFC 9110 §7.6.1)
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);

const DevTokenBody = z.object({
  roles: z.array(z.enum(ROLES)).min(1).max(5),
  region: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'lowercase letters, digits and dashes'),
  customerId: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/)
    .optional(),
  sub: z
    .string()
    .regex(/^[A-Za-z0-9_.:@-]{1,64}$/)
    .optional(),
});

/** Where the bundle is: beside the sources (`dist/desk` after `npm run build:desk`) or beside the compiled launcher. */
export function defaultStaticDir(): string {
  const root = resolve(__dirname, '..', '..', '..');
  const built = join(root, 'dist', 'desk');
  return [built, join(root, 'desk')].find((d) => existsSync(join(d, 'index.html'))) ?? built;
}

export function deskBundleBuilt(dir: string): boolean {
  return existsSync(join(dir, 'index.html'));
}

const deskEnv = z.object({
  DESK_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  DESK_STATIC_DIR: z.string().min(1).optional(),
  DESK_OIDC_ISSUER: z.string().url().optional(),
  DESK_OIDC_CLIENT_ID: z.string().min(1).optional(),
  DESK_OIDC_SCOPE: z.string().min(1).default('openid profile'),
  DESK_OIDC_AUDIENCE: z.string().min(1).optional(),
  DESK_DEV_SIGN_IN: z.enum(['true', 'false']).optional(),
});

/**
 * The desk's settings from the environment. Development sign-in is on where the services verify
 * HS256 tokens with a secret (and no JWKS), unless DESK_DEV_SIGN_IN=false; OIDC needs an issuer and
 * a client id together.
 */
export function deskSettingsFromEnv(
  env: NodeJS.ProcessEnv,
  defaults: { port: number; upstreams: Record<DeskService, string>; devSecret?: string },
): DeskServerOptions {
  const parsed = deskEnv.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ variable: String(i.path[0]), reason: i.message })));
  }
  const e = parsed.data;
  if (!!e.DESK_OIDC_ISSUER !== !!e.DESK_OIDC_CLIENT_ID) {
    const missing = e.DESK_OIDC_ISSUER ? 'DESK_OIDC_CLIENT_ID' : 'DESK_OIDC_ISSUER';
    throw new ConfigError([{ variable: missing, reason: 'OIDC sign-in needs both DESK_OIDC_ISSUER and DESK_OIDC_CLIENT_ID' }]);
  }
  const upstreams = { ...defaults.upstreams };
  for (const s of DESK_SERVICES) {
    const v = env[`DESK_UPSTREAM_${s.toUpperCase()}`];
    if (v) upstreams[s] = v.replace(/\/+$/, '');
  }
  const devAllowed = !env.JWT_JWKS_URL && e.DESK_DEV_SIGN_IN !== 'false';
  return {
    port: e.DESK_PORT ?? defaults.port,
    staticDir: e.DESK_STATIC_DIR ? resolve(e.DESK_STATIC_DIR) : defaultStaticDir(),
    upstreams,
    devSecret: devAllowed ? defaults.devSecret : undefined,
    oidc: e.DESK_OIDC_ISSUER
      ? { issuer: e.DESK_OIDC_ISSUER, clientId: e.DESK_OIDC_CLIENT_ID!, scope: e.DESK_OIDC_SCOPE, audience: e.DESK_OIDC_AUDIENCE }
      : undefined,
    region: env.REGION ?? 'local',
  };
}

export async function startDeskServer(o: DeskServerOptions): Promise<RunningDesk> {
  const verifier = o.live && o.auth && (o.auth.secret || o.auth.jwksUrl) ? new TokenVerifier(o.auth) : undefined;
  const server = createServer((req, res) => {
    handle(o, req, res, verifier).catch((e) => {
      if (!res.headersSent) sendJson(res, 502, { statusCode: 502, message: `desk: ${e instanceof Error ? e.message : String(e)}` });
      else res.destroy();
    });
  });
  await new Promise<void>((r, j) => {
    server.once('error', j);
    server.listen(o.port, o.host ?? '0.0.0.0', () => r());
  });
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((r) => {
    server.close(() => r());
    server.closeAllConnections();
  });
}

async function handle(o: DeskServerOptions, req: IncomingMessage, res: ServerResponse, verifier?: TokenVerifier): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://desk');
  const api = url.pathname.match(/^\/api\/([a-z]+)(\/.*)?$/);
  if (api?.[1]) return proxy(o, api[1], (api[2] ?? '/') + url.search, req, res);
  if (url.pathname === '/live') return live(o, verifier, req, res);
  if (url.pathname === '/desk-config.json') return sendJson(res, 200, clientConfig(o));
  if (url.pathname === '/auth/dev-token') return devToken(o, req, res);
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { statusCode: 405, message: 'method not allowed' });
  return serveStatic(o, url.pathname, res);
}

function clientConfig(o: DeskServerOptions) {
  return { region: o.region, devSignIn: !!o.devSecret, oidc: o.oidc ?? null, live: !!o.live, services: DESK_SERVICES };
}

/** Server-sent events: a notice per case or clock change the token may see. The browser reloads what it shows. */
async function live(o: DeskServerOptions, verifier: TokenVerifier | undefined, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!o.live || !verifier) return sendJson(res, 404, { statusCode: 404, message: 'no live feed here: poll the APIs' });
  const token = req.headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
  let principal: Principal;
  try {
    principal = await verifier.verify(token ?? '');
  } catch (e) {
    return sendJson(res, 401, { statusCode: 401, message: `invalid token: ${e instanceof Error ? e.message : 'unreadable'}` });
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
  res.write(': connected\n\n');
  const off = o.live.on((n) => {
    if (visibleNotice(principal, n)) res.write(`event: case\ndata: ${JSON.stringify({ type: n.type, caseId: n.caseId })}\n\n`);
  });
  const beat = setInterval(() => res.write(': keep-alive\n\n'), o.heartbeatMs ?? 25_000);
  beat.unref();
  req.on('close', () => {
    off();
    clearInterval(beat);
  });
}

function proxy(o: DeskServerOptions, service: string, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const base = o.upstreams[service as DeskService];
  if (!base) return Promise.resolve(sendJson(res, 404, { statusCode: 404, message: `no service ${service}` }));
  const target = new URL(path, base + '/');
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP.has(k)) headers[k] = v;
  return new Promise((resolveDone, reject) => {
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const up = send(target, { method: req.method, headers }, (upRes) => {
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(upRes.headers)) if (v !== undefined && !HOP.has(k)) out[k] = v;
      res.writeHead(upRes.statusCode ?? 502, out);
      upRes.pipe(res);
      upRes.on('end', () => resolveDone());
      upRes.on('error', reject);
    });
    up.on('error', reject);
    req.pipe(up);
  });
}

async function devToken(o: DeskServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!o.devSecret) return sendJson(res, 404, { statusCode: 404, message: 'development sign-in is off' });
  if (req.method !== 'POST') return sendJson(res, 405, { statusCode: 405, message: 'POST a role, region and customer' });
  const raw = await readBody(req, 4096);
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return sendJson(res, 400, { statusCode: 400, message: 'body must be JSON' });
  }
  const parsed = DevTokenBody.safeParse(body);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'body', reason: i.message }));
    return sendJson(res, 400, { statusCode: 400, message: 'validation failed', errors });
  }
  const { roles, region, customerId } = parsed.data;
  if (roles.includes('customer') && !customerId) {
    return sendJson(res, 400, {
      statusCode: 400,
      message: 'validation failed',
      errors: [{ field: 'customerId', reason: 'a customer needs one' }],
    });
  }
  const sub = parsed.data.sub ?? (customerId ? `contact-${customerId}` : `dev-${roles[0]}`);
  const token = await signDevToken(o.devSecret, { sub, roles, region, customerId }, '12h');
  sendJson(res, 200, { token, sub, roles, region, customerId: customerId ?? null });
}

function serveStatic(o: DeskServerOptions, pathname: string, res: ServerResponse): void {
  const root = resolve(o.staticDir);
  let file = normalize(join(root, decodeURIComponent(pathname)));
  if (file !== root && !file.startsWith(root + sep)) return sendJson(res, 404, { statusCode: 404, message: 'not found' });
  const isFile = (f: string) => existsSync(f) && statSync(f).isFile();
  const asset = pathname.startsWith('/assets/');
  if (!isFile(file)) {
    if (asset || extname(pathname)) return sendJson(res, 404, { statusCode: 404, message: 'not found' });
    file = join(root, 'index.html'); // the app routes the rest itself
  }
  if (!isFile(file)) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('The desk is not built yet: run `npm run build:desk` and reload.\n');
    return;
  }
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    // hashed bundle files never change; the page itself is always looked up again
    'cache-control': asset ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...(file.endsWith('.html') ? { 'content-security-policy': csp(o) } : {}),
  });
  createReadStream(file).pipe(res);
}

/** Scripts only from the bundle; the OIDC provider is the one other origin the page talks to (discovery, token). */
function csp(o: DeskServerOptions): string {
  const idp = o.oidc ? ` ${new URL(o.oidc.issuer).origin}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src 'self'${idp}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    `form-action 'self'${idp}`,
  ].join('; ');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((r, j) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        j(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => r(Buffer.concat(chunks).toString('utf8')));
    req.on('error', j);
  });
}
