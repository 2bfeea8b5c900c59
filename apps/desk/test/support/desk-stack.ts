import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Browser, Page } from 'playwright-core';
import { ChildHandle, REPO_ROOT, spawnLogged, testDatabaseUrl, TS_REGISTER } from '@aftersales/testing';

/** What the desk's browser tests share: the bundle, `npm start`'s all-in-one, Debian's chromium and axe-core. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);
export const SHOTS = join(REPO_ROOT, 'tmp', 'desk-screenshots');
export const SERVICES = ['intake', 'case', 'escalation', 'spares', 'survey', 'notify'] as const;
export type Service = (typeof SERVICES)[number];
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The bundle of the sources under test (not whatever dist/ holds), in a fresh directory. */
export function buildDesk(): string {
  const bundle = mkdtempSync(join(tmpdir(), 'desk-bundle-'));
  const vite = join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  // each test file builds into a directory of its own, so two at once (two jest workers) do not
  // collide: vite's one-build-per-project lock would refuse the second
  const args = [vite, 'build', '--config', 'apps/desk/vite.config.mts', '--outDir', bundle, '--logLevel', 'warn', '--bypass-lock'];
  const built = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`vite build failed: ${built.stderr}`);
  return bundle;
}

/** `npm start`'s all-in-one in its own schemas of the test database, serving the desk from `bundle`. */
export function startAllInOne(o: { base: number; prefix: string; bundle: string; env: NodeJS.ProcessEnv }): ChildHandle {
  return spawnLogged('all-in-one', process.execPath, ['-r', TS_REGISTER, 'apps/all-in-one/src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      AFTERSALES_PORT_BASE: String(o.base),
      DATABASE_URL: testDatabaseUrl(),
      AFTERSALES_SCHEMA_PREFIX: o.prefix,
      DESK_STATIC_DIR: o.bundle,
      LOG_LEVEL: 'warn',
      OUTBOX_POLL_MS: '100',
      DB_POOL_SIZE: '4',
      ...o.env,
    },
  });
}

/** Headless, with no network of its own; playwright starts each launch with a fresh temporary --user-data-dir. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Closes the browser, stops the processes, drops the run's schemas and the bundle. */
export async function tearDown(o: { browser?: Browser; processes: Array<ChildHandle | undefined>; prefix: string; bundle: string }) {
  await o.browser?.close().catch(() => undefined);
  for (const p of o.processes) await p?.stop(20_000).catch(() => undefined);
  const c = new Client({ connectionString: testDatabaseUrl() });
  await c.connect();
  for (const s of SERVICES) await c.query(`DROP SCHEMA IF EXISTS "${o.prefix}${s}" CASCADE`);
  await c.end();
  rmSync(o.bundle, { recursive: true, force: true });
}

/** axe-core in the page: its serious and critical violations, each with where. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  // a string, so this Node-typed file needs no DOM types
  const violations = await page.evaluate<Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }>>(
    'axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)',
  );
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
