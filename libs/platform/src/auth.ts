import {
  CanActivate,
  ExecutionContext,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  ForbiddenException,
  NotFoundException,
  createParamDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { createRemoteJWKSet, jwtVerify, JWTPayload, SignJWT } from 'jose';

export const ROLES = ['agent', 'engineer', 'manager', 'customer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  subject: string;
  roles: Role[];
  region: string;
  /** set for customer tokens: they see only their own customer's data */
  customerId?: string;
  /**
   * the token's `global: true` claim: a staff member who may see every region (e.g. a global
   * manager). Never a default: without it every read is scoped to `region`.
   */
  global?: boolean;
}

export interface AuthOptions {
  secret?: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

/** A token whose only role is customer: it sees its own customer's records and nothing else. */
export function isCustomerOnly(p: Principal): boolean {
  return p.roles.includes('customer') && p.roles.every((r) => r === 'customer');
}

/** metadata keys of `@Public()` and `@Roles()` (the OpenAPI documents list them per route as `x-roles`) */
export const PUBLIC_METADATA = 'aftersales:public';
export const ROLES_METADATA = 'aftersales:roles';
const PUBLIC = PUBLIC_METADATA;
const REQUIRED_ROLES = ROLES_METADATA;

/** Health, metrics and docs stay open; everything else needs a bearer token. */
export const Public = () => SetMetadata(PUBLIC, true);
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

/** A request the AuthGuard has seen: it carries the verified principal (none on a public route). */
interface AuthedRequest extends Request {
  principal?: Principal;
}

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  // used on guarded routes only, where the guard has set it
  return ctx.switchToHttp().getRequest<AuthedRequest>().principal!;
});

/** How many verified tokens a verifier remembers, and for how long at most (a token's own `exp` ends it sooner). */
export const TOKEN_CACHE_SIZE = 1000;
export const TOKEN_CACHE_MS = 60_000;

interface Verified {
  principal: Principal;
  /** epoch ms from which the entry no longer stands for a verification */
  until: number;
}

/**
 * Verifies bearer tokens. A token that verified is remembered by its exact string until its `exp`
 * (at most `TOKEN_CACHE_MS`, so a key withdrawn from the JWKS stops being honoured within that
 * long), in at most `TOKEN_CACHE_SIZE` entries, the least recently used leaving first: signature
 * checking is most of a read's guard work and a client sends the same token with every request.
 * Failures are never remembered. `now` is also the time jose checks `exp` and `nbf` against.
 */
export class TokenVerifier {
  private readonly key: Uint8Array | ReturnType<typeof createRemoteJWKSet>;
  private readonly verified = new Map<string, Verified>();

  constructor(
    private readonly o: AuthOptions,
    private readonly now: () => number = Date.now,
  ) {
    if (o.jwksUrl) this.key = createRemoteJWKSet(new URL(o.jwksUrl));
    else if (o.secret) this.key = new TextEncoder().encode(o.secret);
    else throw new Error('auth needs JWT_SECRET or JWT_JWKS_URL');
  }

  async verify(token: string): Promise<Principal> {
    const now = this.now();
    const hit = this.verified.get(token);
    if (hit) {
      this.verified.delete(token);
      if (now < hit.until) {
        this.verified.set(token, hit); // most recently used last
        return copyOf(hit.principal);
      }
    }
    const options = {
      issuer: this.o.issuer,
      audience: this.o.audience,
      algorithms: this.o.jwksUrl ? undefined : ['HS256'],
      currentDate: new Date(now),
    };
    const { payload } =
      this.key instanceof Uint8Array ? await jwtVerify(token, this.key, options) : await jwtVerify(token, this.key, options);
    const principal = toPrincipal(payload);
    // jose rejects a token once the clock reaches `exp` (seconds)
    const until = Math.min(now + TOKEN_CACHE_MS, typeof payload.exp === 'number' ? payload.exp * 1000 : Infinity);
    if (this.verified.size >= TOKEN_CACHE_SIZE) {
      const oldest = this.verified.keys().next();
      if (!oldest.done) this.verified.delete(oldest.value);
    }
    this.verified.set(token, { principal, until });
    return copyOf(principal);
  }

  /** tokens remembered now (tests check the bound) */
  get cached(): number {
    return this.verified.size;
  }
}

/** each request gets its own principal: nothing a handler does to it reaches the next request */
function copyOf(p: Principal): Principal {
  return { ...p, roles: [...p.roles] };
}

function toPrincipal(p: JWTPayload): Principal {
  const roles = Array.isArray(p.roles) ? p.roles.filter((r): r is Role => ROLES.includes(r as Role)) : [];
  if (!p.sub || roles.length === 0) throw new Error('token needs sub and at least one known role');
  if (typeof p.region !== 'string') throw new Error('token needs a region');
  const customerId = typeof p.customerId === 'string' ? p.customerId : undefined;
  if (roles.includes('customer') && !customerId) throw new Error('a customer token needs customerId');
  if (p.global !== undefined && typeof p.global !== 'boolean') throw new Error('global must be a boolean');
  if (p.global === true && roles.includes('customer')) throw new Error('a customer token cannot be global');
  return { subject: p.sub, roles, region: p.region, customerId, ...(p.global === true ? { global: true } : {}) };
}

/** Signs a development token (HS256). Production tokens come from the identity provider (JWKS). */
export async function signDevToken(
  secret: string,
  claims: { sub: string; roles: Role[]; region: string; customerId?: string; global?: boolean },
  ttl = '12h',
): Promise<string> {
  const scope = claims.global ? { global: true } : {};
  return new SignJWT({ roles: claims.roles, region: claims.region, customerId: claims.customerId, ...scope })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(new TextEncoder().encode(secret));
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const header = req.headers.authorization;
    const token = header?.match(/^Bearer\s+(.+)$/i)?.[1];
    if (!token) throw new UnauthorizedException('a bearer token is required');
    let principal: Principal;
    try {
      principal = req.principal = await this.verifier.verify(token);
    } catch (e) {
      throw new UnauthorizedException(`invalid token: ${e instanceof Error ? e.message : 'unreadable'}`);
    }
    const needed = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (needed && !needed.some((r) => principal.roles.includes(r))) {
      // a customer must not learn that a staff-only resource exists: 404 as for any record out of scope
      if (isCustomerOnly(principal) && Object.keys(req.params ?? {}).length > 0) throw new NotFoundException('not found');
      throw new ForbiddenException(`needs one of the roles: ${needed.join(', ')}`);
    }
    return true;
  }
}
