import {
  authorizationUrl,
  checkMetadata,
  codeChallengeS256,
  discoveryUrl,
  OidcConfig,
  parseCallback,
  ProviderMetadata,
  randomToken,
  tokenRequestBody,
} from './pkce';

const PENDING = 'aftersales.oidc.pending';

interface Pending {
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
}

async function metadata(c: OidcConfig): Promise<ProviderMetadata> {
  const res = await fetch(discoveryUrl(c.issuer));
  if (!res.ok) throw new Error(`cannot read the provider's configuration (${res.status})`);
  return checkMetadata(c.issuer, (await res.json()) as Partial<ProviderMetadata>);
}

function redirectUri(): string {
  return `${location.origin}/`;
}

/** Off to the provider; the verifier waits in this tab's session storage. */
export async function beginSignIn(c: OidcConfig): Promise<void> {
  const meta = await metadata(c);
  const pending: Pending = { state: randomToken(), nonce: randomToken(), verifier: randomToken(), redirectUri: redirectUri() };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  location.assign(authorizationUrl(meta, c, { ...pending, codeChallenge: await codeChallengeS256(pending.verifier) }));
}

/** Back from the provider: the code for a token (the access token carries roles and region for the services). */
export async function completeSignIn(c: OidcConfig): Promise<string | null> {
  const raw = sessionStorage.getItem(PENDING);
  const pending = raw ? (JSON.parse(raw) as Pending) : null;
  const result = parseCallback(location.search, pending?.state ?? null);
  if (result.kind === 'none') return null;
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', location.pathname + location.hash);
  if (result.kind === 'error') throw new Error(result.error);
  const meta = await metadata(c);
  const res = await fetch(meta.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: tokenRequestBody({ code: result.code, redirectUri: pending!.redirectUri, clientId: c.clientId, codeVerifier: pending!.verifier }),
  });
  if (!res.ok) throw new Error(`the provider refused the sign-in code (${res.status})`);
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error('the provider answered without an access token');
  return body.access_token;
}
