import { BusinessCalendar, dueEvents, LADDER_A, LADDER_B, planRungs, SlaPolicy, withTargets } from '.';
import { clockFires, isLadderRow, measuredBy, rowTargetsAtOpen, rowTargetsAtReopen } from './clock-targets';

const calendar = BusinessCalendar.always('7x24', 'UTC');
const startedAt = new Date('2026-11-23T08:00:00Z');
/** the event keys a row with this target fires, from the plan of `policy` for P1 */
const fired = (policy: SlaPolicy, rowTarget: string) =>
  dueEvents(planRungs({ policy, severity: 'P1', calendar, startedAt, now: startedAt }))
    .filter((e) => clockFires(rowTarget, e))
    .map((e) => e.key)
    .sort();

describe('one clock per case and target: which row fires which planned event', () => {
  // ladder B with every other kind of target besides its own (diagnosis)
  const full = withTargets(LADDER_B, { resolution: 240, response: 5, 'email-reply': 1440 });

  it('the ladder row fires the rungs and its own target; every other row only its own target', () => {
    expect(fired(full, 'ladder:diagnosis')).toEqual(['breach:diagnosis', 'rung:0', 'rung:1', 'rung:2', 'rung:3', 'warning:diagnosis']);
    for (const kind of ['resolution', 'response', 'email-reply', 'onsite']) {
      expect(fired(full, kind)).toEqual([`breach:${kind}`, `warning:${kind}`]);
    }
    expect(fired(full, 'diagnosis')).toEqual(['breach:diagnosis', 'warning:diagnosis']); // were it separate (it is not under ladder B)
    expect(fired(full, 'downtime')).toEqual([]);
  });

  it('every planned event is fired by exactly one of the rows a case starts with', () => {
    for (const policy of [full, withTargets(LADDER_A, { diagnosis: 30, onsite: 60, response: 5 })]) {
      const rows = rowTargetsAtOpen(policy.severities.P1, { severity: 'P1', contractId: 'K', serviceMode: 'on-site', channel: 'email' });
      const all = rows.flatMap((r) => fired(policy, r)).sort();
      expect(all).toEqual(
        dueEvents(planRungs({ policy, severity: 'P1', calendar, startedAt, now: startedAt }))
          .map((e) => e.key)
          .sort(),
      );
    }
  });

  it('ladder A keeps its resolution target on the ladder row; an admin diagnosis target gets a row of its own', () => {
    const withDiagnosis = withTargets(LADDER_A, { diagnosis: 30 });
    expect(fired(withDiagnosis, 'ladder:resolution')).toEqual([
      'breach:resolution',
      'rung:0',
      'rung:1',
      'rung:2',
      'rung:3',
      'warning:resolution',
    ]);
    expect(fired(withDiagnosis, 'diagnosis')).toEqual(['breach:diagnosis', 'warning:diagnosis']);
  });

  it('the legacy main clock (`ladder`) keeps its meaning: rungs and every target but on-site, response and e-mail reply', () => {
    expect(fired(full, 'ladder')).toEqual([
      'breach:diagnosis',
      'breach:resolution',
      'rung:0',
      'rung:1',
      'rung:2',
      'rung:3',
      'warning:diagnosis',
      'warning:resolution',
    ]);
  });

  it('names what a row measures', () => {
    expect([measuredBy('ladder:diagnosis'), measuredBy('resolution'), measuredBy('ladder'), measuredBy('downtime')]).toEqual([
      'diagnosis',
      'resolution',
      null,
      null,
    ]);
    expect(['ladder', 'ladder:resolution', 'resolution', 'downtime'].map(isLadderRow)).toEqual([true, true, false, false]);
  });
});

describe('the rows a case starts with', () => {
  it('at open: the ladder row, the other targets that apply, and the downtime row of a P1 under a contract', () => {
    expect(rowTargetsAtOpen(LADDER_B.severities.P1, { severity: 'P1' })).toEqual(['ladder:diagnosis']);
    expect(rowTargetsAtOpen(LADDER_B.severities.P1, { severity: 'P1', contractId: 'K', serviceMode: 'on-site' })).toEqual([
      'ladder:diagnosis',
      'onsite',
      'downtime',
    ]);
    expect(rowTargetsAtOpen(LADDER_B.severities.P2, { severity: 'P2', contractId: 'K' })).toEqual(['ladder:diagnosis']);
    expect(rowTargetsAtOpen(LADDER_A.severities.P3, { severity: 'P3', channel: 'email' })).toEqual(['ladder:resolution', 'email-reply']);
    expect(
      rowTargetsAtOpen(withTargets(LADDER_B, { resolution: 480, response: 5 }).severities.P1, { severity: 'P1', channel: 'phone' }),
    ).toEqual(['ladder:diagnosis', 'response', 'resolution']);
  });

  it('at a reopen: the ladder, diagnosis and resolution rows and the downtime row, not the first-response ones nor on-site', () => {
    const policy = withTargets(LADDER_B, { resolution: 480, response: 5, 'email-reply': 60 }).severities.P1;
    expect(rowTargetsAtReopen(policy, { severity: 'P1', contractId: 'K' })).toEqual(['ladder:diagnosis', 'resolution', 'downtime']);
    const onResponse = { ...policy, ladder: { ...policy.ladder, target: 'response' as const } };
    expect(rowTargetsAtReopen(onResponse, { severity: 'P2' })).toEqual(['diagnosis', 'resolution']);
  });
});
