import { Controller, Get, HttpCode, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from './auth';
import { SERVICE_RUNTIME, ServiceRuntime } from './runtime';

@ApiExcludeController()
@Public()
@Controller('health')
export class HealthController {
  constructor(@Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime) {}

  @Get('live')
  live() {
    return { status: 'ok', service: this.rt.config.service };
  }

  /** Ready when the database answers and the bus is connected (Kubernetes stops routing otherwise). */
  @Get('ready')
  @HttpCode(200)
  async ready() {
    const checks = { database: false, bus: false };
    try {
      await this.rt.dataSource.query('SELECT 1');
      checks.database = true;
    } catch {
      /* reported below */
    }
    checks.bus = await this.rt.bus.isReady().catch(() => false);
    if (!checks.database || !checks.bus) throw new ServiceUnavailableException({ status: 'unavailable', checks });
    return { status: 'ok', checks, bus: this.rt.bus.kind };
  }
}

@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime) {}

  @Get()
  async metrics(@Res() res: Response) {
    const { pending, oldestAgeSeconds } = await this.rt.relay.backlog().catch(() => ({ pending: NaN, oldestAgeSeconds: NaN }));
    this.rt.metrics.outboxPending.set(pending);
    this.rt.metrics.outboxLag.set(oldestAgeSeconds);
    res.setHeader('Content-Type', this.rt.metrics.registry.contentType);
    res.send(await this.rt.metrics.registry.metrics());
  }
}
