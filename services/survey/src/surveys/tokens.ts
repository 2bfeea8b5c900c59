import { createHash, randomBytes } from 'node:crypto';

/**
 * One-time answer links: 256 random bits, URL-safe. Only the SHA-256 of a token is stored, so the
 * table alone does not open anyone's form; the token travels in the invitation to notify.
 */
export function newToken(): { value: string; hash: string } {
  const value = randomBytes(32).toString('base64url');
  return { value, hash: hashToken(value) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A token as issued: 43 base64url characters. Anything else is not looked up. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function answerLink(base: string, token: string): string {
  return `${base.replace(/\/+$/, '')}/${token}`;
}
