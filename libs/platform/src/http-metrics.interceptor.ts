import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, tap } from 'rxjs';
import type { Request, Response } from 'express';
import { PlatformMetrics, statusClass } from '@aftersales/observability';
import { routeTemplate } from './route-template';

/** Counts and times requests by route template (never the raw URL, which would carry ids) and status class. */
@Injectable()
export class HttpMetricsInterceptor implements NestInterceptor {
  constructor(private readonly metrics: PlatformMetrics) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const end = this.metrics.httpDuration.startTimer();
    const record = (status: number) => {
      const route = routeTemplate(req);
      end({ method: req.method, route });
      this.metrics.httpRequests.inc({ method: req.method, route, status: statusClass(status) });
    };
    return next.handle().pipe(
      tap({
        next: () => record(res.statusCode),
        error: (e: { getStatus?: () => number }) => record(typeof e?.getStatus === 'function' ? e.getStatus() : 500),
      }),
    );
  }
}
