import { warrantyStatus } from './warranty';

const contract = { startsOn: '2026-01-01', endsOn: '2026-12-31', warrantyEndsOn: null };

describe('warrantyStatus', () => {
  it("covers a call by the asset's own warranty, up to and including its last day", () => {
    expect(warrantyStatus('2026-11-23', { warrantyEndsOn: '2026-11-23' }, null)).toBe('in-warranty');
    expect(warrantyStatus('2026-11-24', { warrantyEndsOn: '2026-11-23' }, null)).toBe('expired');
  });

  it('falls back to a maintenance contract in force once the warranty ran out', () => {
    expect(warrantyStatus('2026-06-01', { warrantyEndsOn: '2025-12-31' }, contract)).toBe('under-contract');
    expect(warrantyStatus('2026-01-01', { warrantyEndsOn: null }, contract)).toBe('under-contract');
    expect(warrantyStatus('2026-12-31', null, contract)).toBe('under-contract');
  });

  it('is expired after the contract ended and before it starts', () => {
    expect(warrantyStatus('2027-01-01', { warrantyEndsOn: '2025-12-31' }, contract)).toBe('expired');
    expect(warrantyStatus('2025-12-31', { warrantyEndsOn: null }, contract)).toBe('expired');
  });

  it("uses the contract's warranty end when the asset has none, the asset's own when it has one", () => {
    const withWarranty = { ...contract, warrantyEndsOn: '2027-06-30' };
    expect(warrantyStatus('2027-03-01', { warrantyEndsOn: null }, withWarranty)).toBe('in-warranty');
    expect(warrantyStatus('2027-03-01', { warrantyEndsOn: '2026-02-01' }, withWarranty)).toBe('expired');
  });

  it('is unknown when nothing is recorded', () => {
    expect(warrantyStatus('2026-06-01', null, null)).toBe('unknown');
    expect(warrantyStatus('2026-06-01', { warrantyEndsOn: null }, null)).toBe('unknown');
  });

  it('counts a maintenance agreement in force as coverage once the warranty ran out (seed 004)', () => {
    const agreement = { startsOn: '2027-01-01', endsOn: '2027-12-31' };
    expect(warrantyStatus('2027-06-01', { warrantyEndsOn: '2026-12-31' }, null, agreement)).toBe('under-contract');
    expect(warrantyStatus('2028-01-01', { warrantyEndsOn: '2026-12-31' }, null, agreement)).toBe('expired');
    expect(warrantyStatus('2026-06-01', { warrantyEndsOn: '2026-12-31' }, null, agreement)).toBe('in-warranty');
  });
});
