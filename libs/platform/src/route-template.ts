import type { Request } from 'express';

/** The route template a request matched (`/cases/:id`), never the raw URL; `unmatched` when none did. */
export function routeTemplate(req: Request): string {
  // express types `route` as any: it is the matched Route, whose `path` is the template
  const route = req.route as { path?: unknown } | undefined;
  return typeof route?.path === 'string' ? route.path : 'unmatched';
}
