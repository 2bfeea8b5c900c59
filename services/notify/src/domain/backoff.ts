export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
}

export type AfterFailure = { dead: true } | { dead: false; retryAt: Date };

/**
 * What happens after attempt `attempt` (1-based) failed: exponential backoff (base × 2^(n-1),
 * capped), spread by up to +20 % with a jitter derived from the delivery id, so a provider
 * outage does not bring every retry back in the same second; dead after `maxAttempts`, or at once
 * when the provider said the message can never be delivered.
 */
export function afterFailure(
  p: RetryPolicy,
  attempt: number,
  now: Date,
  o: { permanent?: boolean; jitterSeed?: string } = {},
): AfterFailure {
  if (o.permanent || attempt >= p.maxAttempts) return { dead: true };
  const exp = Math.min(p.maxMs, p.baseMs * 2 ** Math.max(0, attempt - 1));
  const jitter = Math.min(p.maxMs - exp, Math.floor(exp * 0.2 * unitHash(o.jitterSeed ?? '')));
  return { dead: false, retryAt: new Date(now.getTime() + exp + Math.max(0, jitter)) };
}

/** a stable number in [0, 1) from a string (FNV-1a) */
function unitHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 2 ** 32;
}
