// A certified OpenID Provider (panva's oidc-provider) for the desk's OIDC e2e test: one public
// client for the desk (authorization code + PKCE), one confidential client the test seeds data
// with (client credentials), and access tokens as RS256 JWTs for the services' audience carrying
// the claims the services read (roles, region, customerId). Its development login and consent
// pages take any password: the people below are the accounts it knows.
//
// Environment: IDP_PORT, IDP_DESK_URL (the desk's origin, its redirect URI), IDP_AUDIENCE,
// IDP_SEEDER_SECRET. Prints "idp <issuer>" once it listens.
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.env.IDP_PORT);
const issuer = `http://127.0.0.1:${port}`;
const desk = process.env.IDP_DESK_URL.replace(/\/+$/, '');
const audience = process.env.IDP_AUDIENCE;

/** The directory: what the identity provider knows of each person, as its claim mappers would emit them. */
const PEOPLE = {
  'wang.fang': { name: 'Wang Fang', roles: ['customer'], region: 'north', customerId: 'C-NB' },
  'li.agent': { name: 'Li Agent', roles: ['agent'], region: 'north' },
};
const SEEDER = { roles: ['admin'], region: 'north' };

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'idp-e2e', use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'desk',
      token_endpoint_auth_method: 'none',
      redirect_uris: [`${desk}/`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
    {
      client_id: 'seeder',
      client_secret: process.env.IDP_SEEDER_SECRET,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
    },
  ],
  jwks: { keys: [jwk] },
  cookies: { keys: ['idp-e2e-cookie-key-0123456789abcdef'] },
  pkce: { required: () => true },
  scopes: ['openid', 'profile', 'api'],
  claims: { openid: ['sub'], profile: ['name'] },
  async findAccount(_ctx, id) {
    const person = PEOPLE[id];
    if (!person) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, name: person.name }) };
  },
  clientBasedCORS(_ctx, origin, client) {
    return client.clientId === 'desk' && origin === new URL(desk).origin;
  },
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'api',
        audience,
        accessTokenTTL: 3600,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  async extraTokenClaims(_ctx, token) {
    if (token.kind === 'ClientCredentials') return token.clientId === 'seeder' ? SEEDER : undefined;
    const person = PEOPLE[token.accountId];
    if (!person) return undefined;
    const { roles, region, customerId } = person;
    return customerId ? { roles, region, customerId } : { roles, region };
  },
});
provider.listen(port, '127.0.0.1', () => console.log(`idp ${issuer}`));
