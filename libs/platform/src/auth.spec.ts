import { createServer, Server } from 'node:http';
import { exportJWK, generateKeyPair, KeyLike, SignJWT } from 'jose';
import { signDevToken, TOKEN_CACHE_SIZE, TokenVerifier } from './auth';

const SECRET = 'a-development-secret-123456';

describe('TokenVerifier', () => {
  describe('HS256 (development)', () => {
    const verifier = new TokenVerifier({ secret: SECRET });

    it('turns a valid token into a principal with roles, region and customer', async () => {
      const token = await signDevToken(SECRET, { sub: 'u1', roles: ['customer'], region: 'north', customerId: 'C-1' });
      expect(await verifier.verify(token)).toEqual({ subject: 'u1', roles: ['customer'], region: 'north', customerId: 'C-1' });
    });

    it('rejects a wrong signature, an expired token, and tokens without roles, region or customer id', async () => {
      await expect(
        verifier.verify(await signDevToken('another-secret-0123456789', { sub: 'u', roles: ['agent'], region: 'n' })),
      ).rejects.toThrow(/signature/);
      await expect(verifier.verify(await signDevToken(SECRET, { sub: 'u', roles: ['agent'], region: 'n' }, '-1s'))).rejects.toThrow(/exp/);
      const key = new TextEncoder().encode(SECRET);
      const bare = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('u').sign(key);
      await expect(verifier.verify(await bare({ roles: ['wizard'], region: 'n' }))).rejects.toThrow(/role/);
      await expect(verifier.verify(await bare({ roles: ['agent'] }))).rejects.toThrow(/region/);
      await expect(verifier.verify(await bare({ roles: ['customer'], region: 'n' }))).rejects.toThrow(/customerId/);
    });
  });

  describe('verified tokens remembered', () => {
    const key = new TextEncoder().encode(SECRET);
    const at = (epochSeconds: number) =>
      new SignJWT({ roles: ['agent'], region: 'n' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('u')
        .setExpirationTime(epochSeconds)
        .sign(key);

    it('still rejects a token from its exp on, though it verified before', async () => {
      let now = Date.UTC(2026, 0, 1, 12, 0, 0);
      const verifier = new TokenVerifier({ secret: SECRET }, () => now);
      const token = await at(now / 1000 + 30);
      expect(await verifier.verify(token)).toEqual({ subject: 'u', roles: ['agent'], region: 'n' });
      now += 29_999;
      expect((await verifier.verify(token)).subject).toBe('u');
      now += 1;
      await expect(verifier.verify(token)).rejects.toThrow(/exp/);
    });

    it('never remembers a failure', async () => {
      const now = Date.UTC(2026, 0, 1, 12, 0, 0);
      const verifier = new TokenVerifier({ secret: SECRET }, () => now);
      const token = await at(now / 1000 + 3600);
      await verifier.verify(token);
      const forged = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
      await expect(verifier.verify(forged)).rejects.toThrow(/signature/);
      await expect(verifier.verify(forged)).rejects.toThrow(/signature/);
      expect(verifier.cached).toBe(1);
    });

    it('gives each caller its own principal, and keeps at most TOKEN_CACHE_SIZE tokens', async () => {
      const now = Date.UTC(2026, 0, 1, 12, 0, 0);
      const verifier = new TokenVerifier({ secret: SECRET }, () => now);
      const token = await at(now / 1000 + 3600);
      (await verifier.verify(token)).roles.push('admin');
      expect((await verifier.verify(token)).roles).toEqual(['agent']);
      for (let i = 1; i <= TOKEN_CACHE_SIZE + 5; i++) await verifier.verify(await at(now / 1000 + 3600 + i));
      expect(verifier.cached).toBe(TOKEN_CACHE_SIZE);
    });
  });

  describe('JWKS (production identity provider)', () => {
    let server: Server;
    let url: string;
    let privateKey: KeyLike;
    beforeAll(async () => {
      const pair = await generateKeyPair('RS256');
      privateKey = pair.privateKey;
      const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
      server = createServer((_, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks`;
    });
    afterAll(() => new Promise((r) => server.close(r)));

    const sign = (claims: Record<string, unknown>, iss = 'https://idp.example') =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setSubject('eng-7')
        .setIssuer(iss)
        .setAudience('aftersales')
        .setExpirationTime('5m')
        .sign(privateKey);

    it('verifies RS256 tokens against the published keys, checking issuer and audience', async () => {
      const verifier = new TokenVerifier({ jwksUrl: url, issuer: 'https://idp.example', audience: 'aftersales' });
      expect(await verifier.verify(await sign({ roles: ['engineer'], region: 'south' }))).toEqual({
        subject: 'eng-7',
        roles: ['engineer'],
        region: 'south',
        customerId: undefined,
      });
      await expect(verifier.verify(await sign({ roles: ['engineer'], region: 'south' }, 'https://evil.example'))).rejects.toThrow(/iss/);
      const hs = await signDevToken(SECRET, { sub: 'u', roles: ['admin'], region: 'n' });
      await expect(verifier.verify(hs)).rejects.toThrow();
    });
  });
});
