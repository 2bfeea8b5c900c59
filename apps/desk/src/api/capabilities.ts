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
  return routesOf(await res.json());
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

/** The routes each view needs (as the services publish them); a view waits while one is missing (an older service). */
export const NEEDS = {
  sparesDesk: {
    service: 'spares' as const,
    needs: [
      { method: 'get', path: '/depots' },
      { method: 'get', path: '/depots/{id}/stock' },
      { method: 'get', path: '/part-requests' },
      { method: 'get', path: '/returns' },
      { method: 'get', path: '/repair-orders' },
    ] as Need[],
  },
  caseParts: {
    service: 'spares' as const,
    needs: [
      { method: 'get', path: '/part-requests' },
      { method: 'post', path: '/part-requests' },
      { method: 'get', path: '/returns' },
    ] as Need[],
  },
  surveyReport: {
    service: 'survey' as const,
    needs: [
      { method: 'get', path: '/callbacks' },
      { method: 'get', path: '/reports/weeks' },
    ] as Need[],
  },
  portalSurvey: {
    service: 'survey' as const,
    needs: [
      { method: 'get', path: '/surveys' },
      { method: 'post', path: '/surveys/{id}/answer' },
    ] as Need[],
  },
  portalQuotes: {
    service: 'spares' as const,
    needs: [
      { method: 'get', path: '/repair-orders' },
      { method: 'post', path: '/repair-orders/{id}/accept' },
      { method: 'post', path: '/repair-orders/{id}/decline' },
    ] as Need[],
  },
  notifications: {
    service: 'notify' as const,
    needs: [
      { method: 'get', path: '/inbox' },
      { method: 'post', path: '/inbox/{id}/read' },
    ] as Need[],
  },
};
