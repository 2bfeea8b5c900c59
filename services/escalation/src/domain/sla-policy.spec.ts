import {
  EMAIL_REPLY_TARGET_MINUTES,
  LADDER_A,
  LADDER_B,
  ONSITE_TARGETS,
  PRESET_POLICIES,
  SlaPolicy,
  validatePolicy,
  withTargets,
} from './sla-policy';

const clone = (p: SlaPolicy): SlaPolicy => structuredClone(p);

describe('SLA policy presets', () => {
  it.each(PRESET_POLICIES.map((p) => [p.id, p] as const))('%s is valid', (_id, p) => {
    expect(validatePolicy(p)).toEqual([]);
  });

  it('encode the seeds’ other targets', () => {
    expect(ONSITE_TARGETS).toEqual({ hardwareHomeCity: 60, majorFaultDispatch: 60, softwareFault: 1440 });
    expect(EMAIL_REPLY_TARGET_MINUTES).toBe(1440);
    expect(LADDER_A.severities.P1.targets).toEqual({ resolution: 60, 'email-reply': 1440 });
    expect(LADDER_B.severities.P3.targets).toEqual({ diagnosis: 240, onsite: 1440 });
    expect(LADDER_B.severities.P1.ladder.rungs[2]).toMatchObject({
      afterMinutes: 240,
      notifyRoles: ['vendor'],
      action: 'open-vendor-case',
    });
  });

  it('withTargets derives a contract policy without touching the preset', () => {
    const p = withTargets(LADDER_B, { onsite: ONSITE_TARGETS.hardwareHomeCity }, ['P1', 'P2']);
    expect(p.severities.P1.targets.onsite).toBe(60);
    expect(p.severities.P3.targets.onsite).toBe(1440);
    expect(LADDER_B.severities.P1.targets.onsite).toBe(1440);
    expect(validatePolicy(p)).toEqual([]);
  });
});

describe('validatePolicy', () => {
  const paths = (p: unknown) => validatePolicy(p).map((x) => x.path);

  it('reports rungs out of order', () => {
    const p = clone(LADDER_A);
    p.severities.P2.ladder.rungs[2]!.afterMinutes = 60;
    expect(validatePolicy(p)).toEqual([
      expect.objectContaining({ path: 'severities.P2.ladder.rungs[2].afterMinutes', message: expect.stringContaining('out of order') }),
    ]);
  });

  it('reports negative and non-numeric times', () => {
    const p = clone(LADDER_B);
    p.severities.P1.ladder.rungs[0]!.afterMinutes = -10;
    (p.severities.P3.targets as Record<string, unknown>).diagnosis = 'soon';
    expect(paths(p)).toEqual(['severities.P1.ladder.rungs[0].afterMinutes', 'severities.P3.targets.diagnosis']);
  });

  it('reports unknown roles, accepting extra roles when told', () => {
    const p = clone(LADDER_A);
    p.severities.P4.ladder.rungs[1]!.notifyRoles = ['technical-manager', 'regional-ceo'];
    expect(paths(p)).toEqual(['severities.P4.ladder.rungs[1].notifyRoles[1]']);
    expect(validatePolicy(p, { extraRoles: ['regional-ceo'] })).toEqual([]);
  });

  it('reports a missing severity and unknown ones', () => {
    const p = clone(LADDER_A) as unknown as { severities: Record<string, unknown> };
    delete p.severities.P3;
    p.severities.P5 = p.severities.P4;
    expect(paths(p)).toEqual(['severities.P5', 'severities.P3']);
  });

  it('reports bad shares, pause reasons, actions, target kinds, labels and header fields', () => {
    const p = clone(LADDER_B) as unknown as Record<string, any>;
    p.version = 0;
    p.name = '';
    p.severities.P1.warnAtShare = 1.5;
    p.severities.P1.pausesOn = ['customer', 'lunch'];
    p.severities.P2.ladder.rungs[0].action = 'call-the-president';
    p.severities.P2.ladder.target = 'coffee';
    p.severities.P3.ladder.rungs[1].label = '';
    p.severities.P4.ladder.rungs[0].notifyRoles = [];
    expect(paths(p)).toEqual([
      'version',
      'name',
      'severities.P1.warnAtShare',
      'severities.P1.pausesOn[1]',
      'severities.P2.ladder.target',
      'severities.P2.ladder.rungs[0].action',
      'severities.P3.ladder.rungs[1].label',
      'severities.P4.ladder.rungs[0].notifyRoles',
    ]);
  });

  it('survives garbage', () => {
    expect(paths(null)).toEqual(['']);
    expect(paths({})).toEqual(['id', 'version', 'name', 'calendarMode', 'severities']);
  });
});
