import type { ServiceName } from './http';

/**
 * The spares, survey and notify views need routes those services are still growing. The desk asks
 * each service's published OpenAPI (public, `/docs/openapi.json`) which routes exist, and shows a
 * view only when every route it needs is there — never made-up data in the meantime.
 */
export interface Need {
  method: 'get' | 'post' | 'put' | 'patch';
  path: string;
}

export interface Capability {
  service: ServiceName;
  ready: boolean;
  missing: Need[];
}

const cache = new Map<ServiceName, Promise<Set<string>>>();

export function routesOf(doc: { paths?: Record<string, Record<string, unknown>> }): Set<string> {
  const out = new Set<string>();
  for (const [path, ops] of Object.entries(doc.paths ?? {})) for (const m of Object.keys(ops)) out.add(`${m.toLowerCase()} ${path}`);
  return out;
}

export function missingRoutes(routes: Set<string>, needs: Need[]): Need[] {
  return needs.filter((n) => !routes.has(`${n.method} ${n.path}`));
}

async function load(service: ServiceName): Promise<Set<string>> {
  const res = await fetch(`/api/${service}/docs/openapi.json`);
  if (!res.ok) return new Set();
  return routesOf((await res.json()) as Parameters<typeof routesOf>[0]);
}

export async function capability(service: ServiceName, needs: Need[]): Promise<Capability> {
  if (!cache.has(service))
    cache.set(
      service,
      load(service).catch(() => new Set<string>()),
    );
  const missing = missingRoutes(await cache.get(service)!, needs);
  return { service, ready: missing.length === 0, missing };
}

/** A view's needs on one service, each route as `[method, path]`. */
function needsOf<S extends ServiceName>(service: S, ...routes: Array<[Need['method'], string]>): { service: S; needs: Need[] } {
  return { service, needs: routes.map(([method, path]) => ({ method, path })) };
}

/** The routes each view needs (as the services publish them); a view waits while one is missing (an older service). */
export const NEEDS = {
  sparesDesk: needsOf(
    'spares',
    ['get', '/depots'],
    ['get', '/depots/{id}/stock'],
    ['get', '/part-requests'],
    ['get', '/returns'],
    ['get', '/repair-orders'],
  ),
  caseParts: needsOf('spares', ['get', '/part-requests'], ['post', '/part-requests'], ['get', '/returns']),
  surveyReport: needsOf('survey', ['get', '/callbacks'], ['get', '/reports/weeks']),
  portalSurvey: needsOf('survey', ['get', '/surveys'], ['post', '/surveys/{id}/answer']),
  portalQuotes: needsOf(
    'spares',
    ['get', '/repair-orders'],
    ['post', '/repair-orders/{id}/accept'],
    ['post', '/repair-orders/{id}/decline'],
  ),
  notifications: needsOf('notify', ['get', '/inbox'], ['post', '/inbox/{id}/read']),
};
