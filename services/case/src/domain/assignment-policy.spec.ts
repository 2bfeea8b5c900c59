import { Candidate, decideAssignment } from './assignment-policy';

const eng = (over: Partial<Candidate> & { id: string }): Candidate => ({
  name: over.id,
  tier: 'L1',
  grade: 'maintenance-engineer',
  skills: [],
  region: 'north',
  superiorId: null,
  senior: false,
  active: true,
  maxLoad: 5,
  load: 0,
  ...over,
});

const need = (over: Partial<Parameters<typeof decideAssignment>[0]> = {}) => ({
  severity: 'P3' as const,
  region: 'north',
  productLine: 'storage',
  caseType: 'incident' as const,
  ...over,
});

const pick = (d: ReturnType<typeof decideAssignment>) => (d.assigned ? `${d.engineer.id}/${d.tier}` : `none: ${d.reason}`);

describe('assignment policy', () => {
  const directory = [
    eng({ id: 'l1-a', skills: ['network'], load: 0 }),
    eng({ id: 'l1-b', skills: ['storage'], load: 3 }),
    eng({ id: 'l1-c', skills: ['Storage'], load: 1 }),
    eng({ id: 'l1-south', region: 'south', skills: ['storage'] }),
    eng({ id: 'l3-junior', tier: 'L3', grade: 'system-engineer', skills: ['storage'] }),
    eng({ id: 'l3-senior', tier: 'L3', grade: 'technical-expert', senior: true, load: 2 }),
    eng({ id: 'l3-senior-south', tier: 'L3', grade: 'technical-expert', senior: true, region: 'south' }),
  ];

  it('gives P3/P4 to an L1 hotline engineer of the region with the product skill, the least loaded first', () => {
    expect(pick(decideAssignment(need(), directory))).toBe('l1-c/L1');
    expect(pick(decideAssignment(need({ severity: 'P4' }), directory))).toBe('l1-c/L1');
    // l1-c full: next skilled one, even though an unskilled colleague is idle
    const busy = directory.map((e) => (e.id === 'l1-c' ? { ...e, load: 5 } : e));
    expect(pick(decideAssignment(need(), busy))).toBe('l1-b/L1');
  });

  it('falls back to an unskilled L1 of the region rather than another region', () => {
    const noSkill = directory.filter((e) => !['l1-b', 'l1-c'].includes(e.id));
    expect(pick(decideAssignment(need(), noSkill))).toBe('l1-a/L1');
  });

  it('leaves a P3 unassigned when every L1 of the region is full or inactive', () => {
    const full = directory.map((e) => (e.tier === 'L1' ? { ...e, load: e.maxLoad } : e));
    expect(pick(decideAssignment(need(), full))).toMatch(/full load/);
    const gone = directory.map((e) => (e.tier === 'L1' ? { ...e, active: false } : e));
    expect(pick(decideAssignment(need(), gone))).toMatch(/no active L1/);
  });

  it('gives P1/P2 at once to the senior L3 expert of the region and informs the manager', () => {
    for (const severity of ['P1', 'P2'] as const) {
      const d = decideAssignment(need({ severity }), directory);
      expect(pick(d)).toBe('l3-senior/L3');
      expect(d).toMatchObject({ informManager: true });
    }
    // skill alone does not beat seniority: the junior L3 has storage, the expert is senior
  });

  it('takes a senior expert of another region when the region has none, and never an L1', () => {
    const d = decideAssignment(need({ severity: 'P1', region: 'east' }), directory);
    expect(d.assigned && d.engineer.tier).toBe('L3');
    expect(d.assigned && d.engineer.senior).toBe(true);
    const noSenior = directory.filter((e) => !e.senior);
    expect(pick(decideAssignment(need({ severity: 'P1' }), noSenior))).toBe('l3-junior/L3');
    expect(
      pick(
        decideAssignment(
          need({ severity: 'P1' }),
          directory.filter((e) => e.tier === 'L1'),
        ),
      ),
    ).toMatch(/no active second-line/);
  });

  it('gives a complaint to the superior of the engineer who owns the case complained about', () => {
    const withBoss = [...directory, eng({ id: 'boss', tier: 'L3', grade: 'technical-expert' }), eng({ id: 'owner', superiorId: 'boss' })];
    const d = decideAssignment(need({ caseType: 'complaint', complainedAboutOwnerId: 'owner' }), withBoss);
    expect(pick(d)).toBe('boss/L3');
    expect(d).toMatchObject({ informManager: false });
  });

  it('falls back to a senior engineer of the region (never the one complained about) without an active superior', () => {
    const inactiveBoss = [...directory, eng({ id: 'boss', active: false }), eng({ id: 'owner', superiorId: 'boss', senior: true })];
    const d = decideAssignment(need({ caseType: 'complaint', complainedAboutOwnerId: 'owner', severity: 'P1' }), inactiveBoss);
    expect(pick(d)).toBe('l3-senior/L3');
    expect(d.assigned && d.reason).toMatch(/no active superior/);
  });
});
