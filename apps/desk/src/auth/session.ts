import type { Role } from '../api/types';

/** Who is signed in, read from the bearer token the services will verify (the desk itself trusts nothing in it). */
export interface Session {
  token: string;
  subject: string;
  roles: Role[];
  region: string;
  customerId?: string;
  expiresAt: number | null;
}

const KEY = 'aftersales.session';

export function decodeToken(token: string): Session {
  const part = token.split('.')[1];
  if (!part) throw new Error('not a JWT');
  const json = atob(
    part
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(part.length / 4) * 4, '='),
  );
  const p = JSON.parse(decodeURIComponent(escape(json))) as {
    sub?: string;
    roles?: Role[];
    region?: string;
    customerId?: string;
    exp?: number;
  };
  return {
    token,
    subject: p.sub ?? 'unknown',
    roles: Array.isArray(p.roles) ? p.roles : [],
    region: p.region ?? '',
    customerId: p.customerId,
    expiresAt: typeof p.exp === 'number' ? p.exp * 1000 : null,
  };
}

export function loadSession(now = Date.now()): Session | null {
  const token = sessionStorage.getItem(KEY);
  if (!token) return null;
  try {
    const s = decodeToken(token);
    return s.expiresAt !== null && s.expiresAt <= now ? null : s;
  } catch {
    return null;
  }
}

export function saveSession(token: string): Session {
  const s = decodeToken(token);
  sessionStorage.setItem(KEY, token);
  return s;
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

/** A customer contact (only the customer role) gets the portal; everyone else the desk. */
export function isCustomerOnly(s: Session): boolean {
  return s.roles.includes('customer') && s.roles.every((r) => r === 'customer');
}

export function has(s: Session, ...roles: Role[]): boolean {
  return roles.some((r) => s.roles.includes(r));
}
