import { LoggerService } from '@nestjs/common';
import { trace } from '@opentelemetry/api';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof LEVELS;
const NEST_BOOT_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestMicroservice',
  'NestApplication',
]);

/** An HTTP request as the access log writes it: the route template, never the raw URL (ids, tokens in queries). */
export interface AccessEntry {
  method: string;
  route: string;
  status: number;
  durationMs: number;
}

/** One JSON object per line, with service, region and the active trace and span ids, for Loki/ELK. */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly fields: { service: string; region: string },
    private readonly level: LogLevel = 'info',
    private readonly out: (line: string) => void = (l) => process.stdout.write(l + '\n'),
  ) {}

  log(message: unknown, context?: string): void {
    // Nest's start-up chatter (every module and route) is debug detail, not news
    this.write(context && NEST_BOOT_CONTEXTS.has(context) ? 'debug' : 'info', message, context);
  }
  error(message: unknown, stackOrContext?: string, context?: string): void {
    this.write('error', message, context ?? stackOrContext, context ? stackOrContext : undefined);
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  /** One line per HTTP request, at info: method, route template, status, duration. */
  access(e: AccessEntry): void {
    const ms = Math.round(e.durationMs * 10) / 10;
    this.write('info', `${e.method} ${e.route} ${e.status} ${ms} ms`, 'http', undefined, {
      http: { method: e.method, route: e.route, status: e.status, duration_ms: ms },
    });
  }

  private write(level: LogLevel, message: unknown, context?: string, stack?: string, fields?: Record<string, unknown>): void {
    if (LEVELS[level] < LEVELS[this.level]) return;
    const span = trace.getActiveSpan()?.spanContext();
    const entry: Record<string, unknown> = {
      time: new Date().toISOString(),
      level,
      ...this.fields,
      context,
      msg: message instanceof Error ? message.message : message,
      ...fields,
    };
    if (span && span.traceId !== '00000000000000000000000000000000') {
      entry.trace_id = span.traceId;
      entry.span_id = span.spanId;
    }
    if (stack) entry.stack = stack;
    else if (message instanceof Error) entry.stack = message.stack;
    this.out(JSON.stringify(entry));
  }
}
