import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ChildHandle, freePortBase, REPO_ROOT, spawnLogged, waitFor, withLogsOnFailure } from '@aftersales/testing';
import { buildDesk, CHROMIUM, haveChromium, launchChromium, seriousViolations, SHOTS, startAllInOne, tearDown } from './support/desk-stack';

/**
 * The desk's OIDC sign-in against a real OpenID Provider (panva's certified oidc-provider, started
 * by apps/desk/test/support/oidc-idp.mjs): the services trust only its JWKS (issuer and audience
 * checked), the desk offers only OIDC; chromium goes through the provider's login and consent, the
 * desk trades the code (PKCE) for an access token, and that token reads the customer's own data.
 */
const AUDIENCE = 'urn:aftersales:api';
const SEEDER_SECRET = 'seeder-secret-for-the-e2e-test-only-0123456789';
const describeOidc = haveChromium || process.env.CI ? describe : describe.skip;

describeOidc('desk OIDC sign-in in chromium against oidc-provider (authorization code + PKCE, JWKS-verified tokens)', () => {
  let idp: ChildHandle | undefined;
  let run: ChildHandle | undefined;
  let browser: Browser;
  let issuer: string;
  let desk: string;
  let services: Record<'intake' | 'case', string>;
  const prefix = `oidc_${Math.random().toString(36).slice(2, 8)}_`;
  let bundle: string;
  const guarded = <T>(fn: () => Promise<T>) => withLogsOnFailure(() => [idp, run], fn, 40);

  /** A token for the test's own writes: the provider's client-credentials grant for the `seeder` client (an admin of north). */
  async function seederToken(): Promise<string> {
    const res = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`seeder:${SEEDER_SECRET}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'api' }).toString(),
    });
    const body = (await res.json()) as { access_token?: string };
    if (!res.ok || !body.access_token) throw new Error(`client credentials refused: ${res.status} ${JSON.stringify(body)}`);
    return body.access_token;
  }

  async function api(service: 'intake' | 'case', method: string, path: string, token: string, body?: unknown) {
    const res = await fetch(services[service] + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`the desk e2e needs Debian's chromium at ${CHROMIUM}: apt-get install -y chromium`);
    mkdirSync(SHOTS, { recursive: true });
    bundle = buildDesk();
    const base = await freePortBase(27);
    desk = `http://127.0.0.1:${base}`;
    idp = spawnLogged('idp', process.execPath, [join(REPO_ROOT, 'apps/desk/test/support/oidc-idp.mjs')], {
      cwd: REPO_ROOT,
      env: { ...process.env, IDP_PORT: String(base + 26), IDP_DESK_URL: desk, IDP_AUDIENCE: AUDIENCE, IDP_SEEDER_SECRET: SEEDER_SECRET },
    });
    const [, found] = await guarded(() => idp!.waitForLog(/^idp (http:\/\/\S+)/m, 60_000));
    issuer = found!;
    run = startAllInOne({
      base,
      prefix,
      bundle,
      env: {
        REGION: 'north',
        // the services trust the provider's keys only, for their audience; the desk signs in there
        JWT_JWKS_URL: `${issuer}/jwks`,
        JWT_ISSUER: issuer,
        JWT_AUDIENCE: AUDIENCE,
        DESK_OIDC_ISSUER: issuer,
        DESK_OIDC_CLIENT_ID: 'desk',
        DESK_OIDC_SCOPE: 'openid profile api',
      },
    });
    await guarded(() => run!.waitForLog(/^\s+desk\s+http:\/\/\S+/m, 120_000));
    services = { intake: `http://127.0.0.1:${base + 1}`, case: `http://127.0.0.1:${base + 2}` };
    browser = await launchChromium();
  }, 180_000);

  afterAll(() => tearDown({ browser, processes: [run, idp], prefix, bundle }), 60_000);

  it(
    'signs the customer in through the provider’s login and consent; its token reads only its own cases',
    () =>
      guarded(async () => {
        const admin = await seederToken();
        // a development token is worth nothing here: the services trust the provider's keys only
        for (const [id, name] of [
          ['C-NB', 'North Bank'],
          ['C-OTHER', 'Other Trading'],
        ])
          expect((await api('intake', 'POST', '/customers', admin, { id, name })).status).toBe(201);
        for (const [customerId, symptom] of [
          ['C-NB', 'array controller fails over every night'],
          ['C-OTHER', 'printer jams'],
        ])
          expect(
            (
              await api('intake', 'POST', '/requests', admin, {
                customerId,
                contact: { name: 'Caller' },
                channel: 'phone',
                severity: 'P3',
                symptom,
              })
            ).status,
          ).toBe(201);
        await waitFor('both cases', async () => (await api('case', 'GET', '/cases', admin)).body.items?.length === 2);

        const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'en-US', bypassCSP: true });
        const page = await ctx.newPage();
        await page.goto(desk);
        // only OIDC: the services verify with JWKS, so the desk offers no development sign-in
        expect(await page.getByRole('heading', { name: 'Development sign-in' }).count()).toBe(0);
        await page.getByRole('button', { name: 'Sign in with your organisation account' }).click();
        await page.waitForURL((u) => u.href.startsWith(issuer));
        await page.locator('input[name="login"]').fill('wang.fang');
        await page.locator('input[name="password"]').fill('any password: development login');
        await page.screenshot({ path: join(SHOTS, '23-oidc-provider-login.png') });
        await page.locator('button[type="submit"]').click();
        // the consent page: the desk asks for openid, profile and the services' api scope
        await page.locator('button[type="submit"]').click();
        await page.waitForURL((u) => u.href.startsWith(desk));
        await page.getByRole('button', { name: 'Sign out' }).waitFor();
        await page.getByText('Signed in as wang.fang (customer, region north)').waitFor();
        const rows = page.locator('tr[data-case]');
        await page.locator('tr', { hasText: 'array controller fails over every night' }).waitFor({ timeout: 30_000 });
        expect(await rows.count()).toBe(1);
        expect(new URL(page.url()).search).toBe(''); // the code and state are gone from the address bar

        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(SHOTS, '24-oidc-portal.png') });

        // the access token the desk holds: the provider's RS256 JWT for the services' audience, read by the API directly
        const token = await page.evaluate<string>('sessionStorage.getItem("aftersales.session")');
        const [head = '', payload = ''] = token.split('.');
        const header = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg: string };
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
        expect(header.alg).toBe('RS256');
        expect(claims).toMatchObject({
          iss: issuer,
          aud: AUDIENCE,
          sub: 'wang.fang',
          roles: ['customer'],
          region: 'north',
          customerId: 'C-NB',
        });
        const own = await api('case', 'GET', '/cases', token);
        expect(own.status).toBe(200);
        expect(own.body.items.map((c: { customerId: string }) => c.customerId)).toEqual(['C-NB']);
        const all = (await api('case', 'GET', '/cases', admin)).body.items as Array<{ id: string; customerId: string }>;
        const other = all.find((c) => c.customerId === 'C-OTHER')!;
        expect((await api('case', 'GET', `/cases/${other.id}`, token)).status).toBe(404);
        // a customer token may not register customers (role from the provider's claims)
        expect((await api('intake', 'POST', '/customers', token, { id: 'C-X', name: 'X' })).status).toBe(403);
        await ctx.close();
      }),
    120_000,
  );
});
