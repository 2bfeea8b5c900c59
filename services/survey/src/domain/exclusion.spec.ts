import { excludedBy, ExclusionRule, ExclusionSubject, normaliseTags, ruleMatches } from './exclusion';

const closed = (over: Partial<ExclusionSubject> = {}): ExclusionSubject => ({
  region: 'north',
  caseType: 'incident',
  customerId: 'C-1',
  productLine: 'storage',
  serviceMode: 'remote',
  contractId: 'K-1',
  tags: [],
  ...over,
});
const rule = (criteria: ExclusionRule['criteria'], region: string | null = null): ExclusionRule => ({
  id: 'r',
  name: 'r',
  region,
  criteria,
});

describe('survey exclusion rules', () => {
  it('excludes the LSP cases by tag, whatever the case of the letters', () => {
    expect(excludedBy(closed({ tags: ['lsp'] }), [rule({ tag: 'LSP' })])?.id).toBe('r');
    expect(excludedBy(closed({ tags: ['vip'] }), [rule({ tag: 'LSP' })])).toBeUndefined();
  });

  it('needs every criterion of a rule to hold', () => {
    const r = rule({ caseType: 'complaint', customerId: 'C-1' });
    expect(ruleMatches(r, closed({ caseType: 'complaint' }))).toBe(true);
    expect(ruleMatches(r, closed({ caseType: 'complaint', customerId: 'C-2' }))).toBe(false);
    expect(ruleMatches(r, closed())).toBe(false);
  });

  it('compares ids exactly and leaves cases without the field alone', () => {
    expect(ruleMatches(rule({ customerId: 'c-1' }), closed())).toBe(false);
    expect(ruleMatches(rule({ productLine: 'LSP' }), closed({ productLine: null }))).toBe(false);
    expect(ruleMatches(rule({ serviceMode: 'On-Site' }), closed({ serviceMode: 'on-site' }))).toBe(true);
  });

  it('applies a regional rule to its region only; a rule without criteria excludes nothing', () => {
    expect(ruleMatches(rule({ tag: 'LSP' }, 'south'), closed({ tags: ['LSP'] }))).toBe(false);
    expect(ruleMatches(rule({ tag: 'LSP' }, 'north'), closed({ tags: ['LSP'] }))).toBe(true);
    expect(ruleMatches(rule({}), closed())).toBe(false);
  });

  it('normalises tags', () => {
    expect(normaliseTags([' LSP', 'lsp', '', 'vip '])).toEqual(['LSP', 'vip']);
  });
});
