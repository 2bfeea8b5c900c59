import { context, trace } from '@opentelemetry/api';
import { getRPCMetadata } from '@opentelemetry/core';
import type { NextFunction, Request, Response } from 'express';
import { AccessEntry } from '@aftersales/observability';
import { routeTemplate } from './route-template';

/**
 * Express middleware, first in the chain so that every request is logged — refused by the auth
 * guard (401/403), unmatched (404) or not parsed (400) too: one info line when the response is
 * finished, in the request's trace (its trace_id and span_id). The request's span is also told
 * which service answered (all-in-one serves six from one process).
 */
export function accessLog(service: string, log: { access(e: AccessEntry): void }) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (/^\/(health|metrics)(\/|$)/.test(req.path)) return next();
    const started = process.hrtime.bigint();
    // the HTTP server span (express instrumentation makes a middleware's own span the active one)
    const active = context.active();
    const server = getRPCMetadata(active)?.span ?? trace.getSpan(active);
    server?.setAttribute('aftersales.service', service);
    const ctx = server ? trace.setSpan(active, server) : active;
    res.once('finish', () =>
      context.with(ctx, () =>
        log.access({
          method: req.method,
          route: routeTemplate(req),
          status: res.statusCode,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        }),
      ),
    );
    next();
  };
}
