import {
  authorizationUrl,
  base64url,
  checkMetadata,
  codeChallengeS256,
  discoveryUrl,
  parseCallback,
  randomToken,
  tokenRequestBody,
} from './pkce';

const meta = {
  issuer: 'https://idp.example/realms/aftersales',
  authorization_endpoint: 'https://idp.example/realms/aftersales/protocol/openid-connect/auth',
  token_endpoint: 'https://idp.example/realms/aftersales/protocol/openid-connect/token',
};
const config = { issuer: meta.issuer, clientId: 'aftersales-desk', scope: 'openid profile', audience: 'aftersales' };

describe('OIDC authorization code + PKCE', () => {
  it('derives the S256 code challenge of RFC 7636 appendix B', async () => {
    expect(await codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes verifiers of 43 unreserved characters, different every time', () => {
    const a = randomToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(a);
    expect(base64url(new Uint8Array([251, 255]))).toBe('-_8');
  });

  it('builds the authorization URL with the code challenge, state, nonce and audience', () => {
    const url = new URL(
      authorizationUrl(meta, config, { redirectUri: 'https://desk.example/', state: 's1', nonce: 'n1', codeChallenge: 'c1' }),
    );
    expect(url.origin + url.pathname).toBe(meta.authorization_endpoint);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'aftersales-desk',
      redirect_uri: 'https://desk.example/',
      scope: 'openid profile',
      state: 's1',
      nonce: 'n1',
      code_challenge: 'c1',
      code_challenge_method: 'S256',
      audience: 'aftersales',
    });
  });

  it('accepts only the answer to its own request, and reports the provider’s errors', () => {
    expect(parseCallback('', 's1')).toEqual({ kind: 'none' });
    expect(parseCallback('?code=abc&state=s1', 's1')).toEqual({ kind: 'code', code: 'abc' });
    expect(parseCallback('?code=abc&state=forged', 's1').kind).toBe('error');
    expect(parseCallback('?code=abc&state=s1', null).kind).toBe('error');
    expect(parseCallback('?error=access_denied&error_description=no+role&state=s1', 's1')).toEqual({
      kind: 'error',
      error: 'access_denied: no role',
    });
  });

  it('exchanges the code with the verifier as a public client', () => {
    const body = tokenRequestBody({ code: 'abc', redirectUri: 'https://desk.example/', clientId: 'aftersales-desk', codeVerifier: 'v1' });
    expect(body.toString()).toBe(
      'grant_type=authorization_code&code=abc&redirect_uri=https%3A%2F%2Fdesk.example%2F&client_id=aftersales-desk&code_verifier=v1',
    );
  });

  it('reads the provider’s metadata only from its own issuer', () => {
    expect(discoveryUrl('https://idp.example/realms/aftersales/')).toBe(
      'https://idp.example/realms/aftersales/.well-known/openid-configuration',
    );
    expect(checkMetadata(meta.issuer + '/', meta)).toBe(meta);
    expect(() => checkMetadata('https://other.example', meta)).toThrow(/not https:\/\/other.example/);
    expect(() => checkMetadata(meta.issuer, { issuer: meta.issuer })).toThrow(/endpoint/);
  });
});
