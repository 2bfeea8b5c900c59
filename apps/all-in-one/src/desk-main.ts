import { ConfigError } from '@aftersales/config';
import { DESK_SERVICES, DeskService, deskSettingsFromEnv, startDeskServer } from './desk-server';

/**
 * The desk on its own (clusters, `npm run start:distributed`): the bundle plus a pass-through to the
 * services at DESK_UPSTREAM_<SERVICE> (default http://127.0.0.1:3001…3006). Development sign-in only
 * where JWT_SECRET is set and JWT_JWKS_URL is not; otherwise OIDC (DESK_OIDC_ISSUER, DESK_OIDC_CLIENT_ID).
 */
export async function runDesk(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const upstreams = Object.fromEntries(DESK_SERVICES.map((s, i) => [s, `http://127.0.0.1:${3001 + i}`])) as Record<DeskService, string>;
  try {
    const desk = await startDeskServer(deskSettingsFromEnv(env, { port: Number(env.PORT ?? 3000), upstreams, devSecret: env.JWT_SECRET }));
    process.stdout.write(
      JSON.stringify({ time: new Date().toISOString(), level: 'info', service: 'desk', msg: `listening on ${desk.url}` }) + '\n',
    );
    const stop = () =>
      void desk.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  } catch (e) {
    process.stderr.write(`desk: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(e instanceof ConfigError ? 78 : 1);
  }
}

if (require.main === module) void runDesk();
