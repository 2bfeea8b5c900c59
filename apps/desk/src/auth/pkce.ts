/**
 * OIDC authorization code flow with PKCE (RFC 7636, S256) for a public browser client: the pieces
 * are pure so they are tested without a provider; `oidc.ts` wires them to the browser.
 */

export interface OidcConfig {
  issuer: string;
  clientId: string;
  scope: string;
  audience?: string;
}

export interface ProviderMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}

export function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** 32 random bytes → 43 characters of the unreserved set, as RFC 7636 §4.1 asks. */
export function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

export async function codeChallengeS256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/** The metadata must be the issuer's own (OIDC Discovery §4.3). */
export function checkMetadata(issuer: string, m: Partial<ProviderMetadata>): ProviderMetadata {
  const trim = (s: string) => s.replace(/\/+$/, '');
  if (!m.issuer || trim(m.issuer) !== trim(issuer)) throw new Error(`the provider says it is ${m.issuer ?? 'nobody'}, not ${issuer}`);
  if (!m.authorization_endpoint || !m.token_endpoint) throw new Error('the provider publishes no authorization or token endpoint');
  return m as ProviderMetadata;
}

export function authorizationUrl(
  meta: ProviderMetadata,
  c: OidcConfig,
  p: { redirectUri: string; state: string; nonce: string; codeChallenge: string },
): string {
  const url = new URL(meta.authorization_endpoint);
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: c.clientId,
    redirect_uri: p.redirectUri,
    scope: c.scope,
    state: p.state,
    nonce: p.nonce,
    code_challenge: p.codeChallenge,
    code_challenge_method: 'S256',
  };
  if (c.audience) params.audience = c.audience;
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

export type CallbackResult = { kind: 'none' } | { kind: 'code'; code: string } | { kind: 'error'; error: string };

/** What the provider sent back to the redirect URI; a state that is not ours is refused (CSRF). */
export function parseCallback(search: string, expectedState: string | null): CallbackResult {
  const q = new URLSearchParams(search);
  if (!q.has('code') && !q.has('error')) return { kind: 'none' };
  if (!expectedState || q.get('state') !== expectedState)
    return { kind: 'error', error: 'the sign-in answer does not match the request (state)' };
  if (q.has('error'))
    return { kind: 'error', error: `${q.get('error')}${q.get('error_description') ? `: ${q.get('error_description')}` : ''}` };
  return { kind: 'code', code: q.get('code')! };
}

export function tokenRequestBody(p: { code: string; redirectUri: string; clientId: string; codeVerifier: string }): URLSearchParams {
  return new URLSearchParams({
    grant_type: 'authorization_code',
    code: p.code,
    redirect_uri: p.redirectUri,
    client_id: p.clientId,
    code_verifier: p.codeVerifier,
  });
}
