import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultStaticDir, deskBundleBuilt } from './desk-server';

/**
 * `npm start` straight after `npm ci`: the desk's bundle is built once (vite, a few seconds) if it
 * is not there yet. A checkout without the dev tools (a production image) only says so.
 */
export function ensureDeskBundle(env: NodeJS.ProcessEnv): void {
  const dir = env.DESK_STATIC_DIR ? resolve(env.DESK_STATIC_DIR) : defaultStaticDir();
  if (deskBundleBuilt(dir)) return;
  const root = resolve(__dirname, '..', '..', '..');
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite) || !existsSync(join(root, 'apps', 'desk', 'vite.config.mts'))) {
    process.stdout.write(`the desk is not built (no ${dir}): run \`npm run build:desk\`\n`);
    return;
  }
  process.stdout.write('building the desk (first start; `npm run build:desk` rebuilds it)…\n');
  const r = spawnSync(process.execPath, [vite, 'build', '--config', 'apps/desk/vite.config.mts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) process.stdout.write('the desk build failed: the services start without it\n');
}
