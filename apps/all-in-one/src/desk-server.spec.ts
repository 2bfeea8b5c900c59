import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessBus } from '@aftersales/messaging';
import { Role, signDevToken, TokenVerifier } from '@aftersales/platform';
import { caseOpened, deliver, upstreamEvent, waitFor } from '@aftersales/testing';
import { DESK_SERVICES, DeskService, deskSettingsFromEnv, RunningDesk, startDeskServer } from './desk-server';
import { LiveFeed } from './live-feed';

const SECRET = 'a-development-secret-123456';

/** The desk's server: static bundle with the app's own routing, the pass-through to the services, and the development sign-in. */
describe('desk server', () => {
  let upstream: Server;
  let desk: RunningDesk;
  const seen: Array<{ method: string; url: string; auth?: string; body: string }> = [];
  const dir = mkdtempSync(join(tmpdir(), 'desk-static-'));

  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>desk</title>');
    writeFileSync(join(dir, 'assets', 'app-1.js'), 'console.log(1)');
    upstream = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
        res.writeHead(req.url!.startsWith('/missing') ? 404 : 201, { 'content-type': 'application/json', 'x-upstream': 'yes' });
        res.end(JSON.stringify({ ok: true }));
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
    const upstreams = Object.fromEntries(DESK_SERVICES.map((s) => [s, url])) as Record<DeskService, string>;
    desk = await startDeskServer({
      ...deskSettingsFromEnv({}, { port: 0, upstreams, devSecret: SECRET }),
      staticDir: dir,
      host: '127.0.0.1',
    });
  });
  afterAll(async () => {
    await desk.close();
    await new Promise((r) => upstream.close(r));
  });

  it('passes /api/<service>/… through with method, query, body and bearer token, and the answer back', async () => {
    const res = await fetch(`${desk.url}/api/intake/requests?limit=5`, {
      method: 'POST',
      headers: { authorization: 'Bearer t0k', 'content-type': 'application/json' },
      body: '{"symptom":"down"}',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-upstream')).toBe('yes');
    expect(seen.at(-1)).toEqual({ method: 'POST', url: '/requests?limit=5', auth: 'Bearer t0k', body: '{"symptom":"down"}' });
    expect((await fetch(`${desk.url}/api/case/missing`)).status).toBe(404);
    expect((await fetch(`${desk.url}/api/nothing/x`)).status).toBe(404);
  });

  it('serves the bundle, routes unknown pages to the app, and never serves outside it', async () => {
    const page = await fetch(`${desk.url}/queues`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<title>desk</title>');
    const asset = await fetch(`${desk.url}/assets/app-1.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${desk.url}/assets/gone.js`)).status).toBe(404);
    expect((await fetch(`${desk.url}/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
  });

  it('signs development tokens the services accept, and refuses a customer without its id', async () => {
    const config = await (await fetch(`${desk.url}/desk-config.json`)).json();
    expect(config).toMatchObject({ devSignIn: true, oidc: null });
    const post = (body: unknown) => fetch(`${desk.url}/auth/dev-token`, { method: 'POST', body: JSON.stringify(body) });
    const res = await post({ roles: ['customer'], region: 'north', customerId: 'C-NB' });
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    expect(await new TokenVerifier({ secret: SECRET }).verify(token)).toEqual({
      subject: 'contact-C-NB',
      roles: ['customer'],
      region: 'north',
      customerId: 'C-NB',
    });
    const bad = await post({ roles: ['customer'], region: 'north' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: unknown }).errors).toEqual([{ field: 'customerId', reason: 'a customer needs one' }]);
    expect((await post({ roles: ['wizard'], region: 'north' })).status).toBe(400);
  });

  it('turns development sign-in off where the services check a JWKS, and needs issuer and client id together for OIDC', () => {
    const upstreams = Object.fromEntries(DESK_SERVICES.map((s) => [s, 'http://x'])) as Record<DeskService, string>;
    const d = { port: 0, upstreams, devSecret: SECRET };
    expect(deskSettingsFromEnv({ JWT_JWKS_URL: 'https://idp.example/jwks' }, d).devSecret).toBeUndefined();
    expect(deskSettingsFromEnv({ DESK_DEV_SIGN_IN: 'false' }, d).devSecret).toBeUndefined();
    expect(() => deskSettingsFromEnv({ DESK_OIDC_ISSUER: 'https://idp.example' }, d)).toThrow(/DESK_OIDC_CLIENT_ID/);
    expect(deskSettingsFromEnv({ DESK_OIDC_ISSUER: 'https://idp.example', DESK_OIDC_CLIENT_ID: 'desk' }, d).oidc).toEqual({
      issuer: 'https://idp.example',
      clientId: 'desk',
      scope: 'openid profile',
      audience: undefined,
    });
    expect(deskSettingsFromEnv({ DESK_UPSTREAM_CASE: 'http://case:3002/' }, d).upstreams.case).toBe('http://case:3002');
  });
});

/** Server-sent events fed by the bus: each browser hears of the cases its token may see, and nothing else. */
describe('desk live feed (GET /live)', () => {
  let bus: InProcessBus;
  let desk: RunningDesk;

  beforeAll(async () => {
    bus = new InProcessBus();
    const upstreams = Object.fromEntries(DESK_SERVICES.map((s) => [s, 'http://127.0.0.1:9'])) as Record<DeskService, string>;
    desk = await startDeskServer({
      ...deskSettingsFromEnv({}, { port: 0, upstreams, devSecret: SECRET }),
      host: '127.0.0.1',
      live: await LiveFeed.fromBus(bus),
      auth: { secret: SECRET },
    });
  });
  afterAll(async () => {
    await desk.close();
    await bus.close();
  });

  /** Reads the stream in the background; `notices()` is what has arrived so far. */
  async function listen(token: string) {
    const ctl = new AbortController();
    const res = await fetch(`${desk.url}/live`, { headers: { authorization: `Bearer ${token}` }, signal: ctl.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    const pump = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        text += new TextDecoder().decode(value);
      }
    })();
    return {
      notices: () => [...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!) as { type: string; caseId: string }),
      connected: () => text.includes(': connected'),
      close: async () => {
        ctl.abort();
        await pump;
      },
    };
  }

  it('tells staff of their region’s case and clock changes, customers of their own cases only', async () => {
    const sign = (roles: Role[], region: string, customerId?: string) => signDevToken(SECRET, { sub: 'u', roles, region, customerId });
    const north = await listen(await sign(['engineer'], 'north'));
    const south = await listen(await sign(['manager'], 'south'));
    const bank = await listen(await sign(['customer'], 'north', 'C-NB'));
    await waitFor('three connections', () => north.connected() && south.connected() && bank.connected());

    const mine = caseOpened({ region: 'north', customerId: 'C-NB' });
    const other = caseOpened({ region: 'north', customerId: 'C-OTHER' });
    await deliver(bus, upstreamEvent('case.opened.v1', mine.caseId, mine));
    await deliver(bus, upstreamEvent('case.opened.v1', other.caseId, other));
    await waitFor('north to hear of both', () => north.notices().length === 2);
    await waitFor('the customer to hear of its own', () => bank.notices().length === 1);
    expect(north.notices()).toEqual([
      { type: 'case.opened.v1', caseId: mine.caseId },
      { type: 'case.opened.v1', caseId: other.caseId },
    ]);
    expect(bank.notices()).toEqual([{ type: 'case.opened.v1', caseId: mine.caseId }]);
    expect(south.notices()).toEqual([]);
    for (const l of [north, south, bank]) await l.close();
  });

  it('refuses a bad token, and says there is no feed where it has none', async () => {
    expect((await fetch(`${desk.url}/live`, { headers: { authorization: 'Bearer forged' } })).status).toBe(401);
    const upstreams = Object.fromEntries(DESK_SERVICES.map((s) => [s, 'http://127.0.0.1:9'])) as Record<DeskService, string>;
    const plain = await startDeskServer({ ...deskSettingsFromEnv({}, { port: 0, upstreams }), host: '127.0.0.1' });
    expect((await fetch(`${plain.url}/live`)).status).toBe(404);
    expect(await (await fetch(`${plain.url}/desk-config.json`)).json()).toMatchObject({ live: false, devSignIn: false });
    await plain.close();
  });
});
