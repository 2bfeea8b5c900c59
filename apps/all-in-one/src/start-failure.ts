import { ConfigError } from '@aftersales/config';
import { EmbeddedPostgresError } from '@aftersales/persistence';

type Coded = Error & { code?: string; port?: number; address?: string; errors?: unknown[] };

const PG_ACCESS = new Set(['28P01', '28000', '3D000', '42501']);
const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET', 'EAI_AGAIN']);

function databaseTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

/**
 * One line that says what went wrong and what to do: `npm start` never shows a newcomer a stack
 * trace (LOG_LEVEL=debug adds it).
 */
export function explainStartFailure(e: unknown, env: NodeJS.ProcessEnv = process.env): string {
  if (e instanceof EmbeddedPostgresError) return e.message;
  if (e instanceof ConfigError) {
    const vars = [...new Set(e.problems.map((p) => p.variable))].join(', ');
    return `invalid configuration: ${e.problems.map((p) => `${p.variable}: ${p.reason}`).join('; ')}: correct ${vars} and start again`;
  }
  const err = (e instanceof Error ? e : new Error(String(e))) as Coded;
  const code = err.code ?? (err.errors?.[0] as Coded | undefined)?.code;
  if (code === 'EADDRINUSE') {
    const port = err.port ?? /:(\d+)\s*$/.exec(err.message)?.[1];
    return `port ${port ?? '(unknown)'} is already in use (is aftersales already running?): stop it, or use other ports, e.g. AFTERSALES_PORT_BASE=4000 npm start`;
  }
  if (code === 'EACCES' && /listen/.test(err.message)) {
    return `not allowed to listen on port ${err.port ?? ''}: choose ports above 1024 with AFTERSALES_PORT_BASE`;
  }
  if (env.DATABASE_URL && ((code && NETWORK.has(code)) || (code && PG_ACCESS.has(code)))) {
    const why = err.message || code;
    return `cannot use the database at ${databaseTarget(env.DATABASE_URL)} (${why}): check DATABASE_URL, or unset it to use the embedded PostgreSQL`;
  }
  const first = (err.message || err.name || String(e)).split('\n')[0];
  return `${first} (LOG_LEVEL=debug shows the details)`;
}
