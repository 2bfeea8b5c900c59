import { decide, suggest, TriageFacts } from './triage';

describe('triage at intake', () => {
  describe('suggested severity from the symptom form (domain §4)', () => {
    it.each([
      ['system-down', 'P1'],
      ['data-loss', 'P1'],
      ['degraded', 'P2'],
      ['partial-fault', 'P3'],
      ['question', 'P4'],
    ] as const)('%s → %s', (impact, severity) => {
      expect(suggest({ impact, warranty: 'unknown' }).severity).toBe(severity);
    });

    it('has no suggestion without a symptom form, unless the call is a question', () => {
      expect(suggest({ warranty: 'in-warranty', faultKind: 'hardware' }).severity).toBeNull();
      expect(suggest({ warranty: 'in-warranty', faultKind: 'question' }).severity).toBe('P4');
    });
  });

  describe('suggested service mode from fault, warranty, contract and DOA', () => {
    const rows: Array<[string, string, TriageFacts]> = [
      ['hardware, in warranty, with a contract', 'on-site', { faultKind: 'hardware', warranty: 'in-warranty', coverage: '7x24' }],
      [
        'hardware, maintenance contract after warranty',
        'on-site',
        { faultKind: 'hardware', warranty: 'under-contract', coverage: 'business-hours' },
      ],
      ['hardware, in warranty, no contract', 'carry-in', { faultKind: 'hardware', warranty: 'in-warranty' }],
      ['hardware, in warranty, no contract, shipped', 'mail-in', { faultKind: 'hardware', warranty: 'in-warranty', delivery: 'mail-in' }],
      ['hardware, out of warranty', 'paid', { faultKind: 'hardware', warranty: 'expired' }],
      ['software, out of warranty', 'paid', { faultKind: 'software', warranty: 'expired' }],
      ['software, under contract', 'remote', { faultKind: 'software', warranty: 'under-contract', coverage: '7x24' }],
      ['a question, out of warranty', 'remote', { faultKind: 'question', warranty: 'expired' }],
      ['a question from the symptom form', 'remote', { impact: 'question', warranty: 'expired' }],
      ['warranty unknown', 'remote', { faultKind: 'hardware', warranty: 'unknown' }],
      ['dead on arrival', 'return-exchange', { faultKind: 'hardware', warranty: 'in-warranty', doa: true }],
      ['a complaint', 'complaint', { faultKind: 'hardware', warranty: 'expired', complaint: true }],
    ];
    it.each(rows)('%s → %s', (_, mode, facts) => {
      const s = suggest(facts);
      expect(s.serviceMode).toBe(mode);
      expect(s.serviceModeWhy).toEqual(expect.any(String));
    });
  });

  describe('the agent overrides only with a reason', () => {
    const s = suggest({ impact: 'degraded', faultKind: 'hardware', warranty: 'under-contract', coverage: '7x24' });

    it('takes the suggestion when the agent does not choose', () => {
      expect(decide(s, {})).toEqual({ severity: 'P2', serviceMode: 'on-site', severityReason: null, serviceModeReason: null, errors: [] });
      expect(decide(s, { severity: 'P2', serviceMode: 'on-site' }).errors).toEqual([]);
    });

    it('refuses an override without a reason, naming the field', () => {
      const d = decide(s, { severity: 'P1', serviceMode: 'remote', serviceModeReason: '  ' });
      expect(d.errors.map((e) => e.field)).toEqual(['severityReason', 'serviceModeReason']);
    });

    it('keeps the reason of an override', () => {
      const d = decide(s, {
        severity: 'P1',
        severityReason: 'bank trading floor',
        serviceMode: 'remote',
        serviceModeReason: 'remote fix known',
      });
      expect(d).toMatchObject({
        severity: 'P1',
        severityReason: 'bank trading floor',
        serviceMode: 'remote',
        serviceModeReason: 'remote fix known',
      });
      expect(d.errors).toEqual([]);
    });

    it('lets the agent set severity freely without a symptom form (default P3)', () => {
      const none = suggest({ warranty: 'unknown' });
      expect(decide(none, {}).severity).toBe('P3');
      expect(decide(none, { severity: 'P1' })).toMatchObject({ severity: 'P1', errors: [] });
    });

    it('files a complaint as a complaint, and never a complaint about a case as something else', () => {
      expect(decide(s, { serviceMode: 'complaint' })).toMatchObject({ serviceMode: 'complaint', errors: [] });
      const complaint = suggest({ warranty: 'in-warranty', complaint: true });
      expect(decide(complaint, { serviceMode: 'on-site', serviceModeReason: 'x' }).errors.map((e) => e.field)).toEqual(['serviceMode']);
    });
  });
});
