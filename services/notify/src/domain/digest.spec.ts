import { admit, AdmissionInput } from './digest';

const base: AdmissionInput = {
  template: 'sla-warning',
  severity: 'P3',
  channel: 'email',
  recentToRecipient: 0,
  rateLimit: 20,
  digestMinutes: 15,
  rateWindowMinutes: 60,
};

describe('digest and rate limit', () => {
  it('merges P3/P4 warnings into a digest, not P1/P2 ones, not rungs or breaches', () => {
    expect(admit(base)).toEqual({ kind: 'digest', windowMinutes: 15, reason: 'low-severity' });
    expect(admit({ ...base, severity: 'P4' }).kind).toBe('digest');
    expect(admit({ ...base, severity: 'P2' }).kind).toBe('now');
    expect(admit({ ...base, template: 'sla-breach' }).kind).toBe('now');
    expect(admit({ ...base, template: 'escalation-rung' }).kind).toBe('now');
  });

  it('never holds in-app, and sends everything at once when digests are off', () => {
    expect(admit({ ...base, channel: 'in-app' }).kind).toBe('now');
    expect(admit({ ...base, digestMinutes: 0 }).kind).toBe('now');
  });

  it('merges everything but P1 beyond the per-recipient rate limit', () => {
    const busy = { ...base, template: 'sla-breach', severity: 'P2' as const, recentToRecipient: 20 };
    expect(admit(busy)).toEqual({ kind: 'digest', windowMinutes: 15, reason: 'rate-limit' });
    expect(admit({ ...busy, severity: 'P1' }).kind).toBe('now');
    expect(admit({ ...busy, recentToRecipient: 19 }).kind).toBe('now');
    expect(admit({ ...busy, rateLimit: 0 }).kind).toBe('now');
    expect(admit({ ...busy, digestMinutes: 0 })).toEqual({ kind: 'digest', windowMinutes: 60, reason: 'rate-limit' });
  });
});
