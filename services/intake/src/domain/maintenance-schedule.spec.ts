import { BusinessCalendar } from '@aftersales/calendar';
import { planProblems, PlanTerms, slot } from './maintenance-schedule';

const beijing = new BusinessCalendar({
  id: 'CAL-BJ',
  timeZone: 'Asia/Shanghai',
  kind: 'business-hours',
  weekly: Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [{ start: '09:00', end: '18:00' }]])),
  holidays: [{ date: '2026-01-01' }, { from: '2026-10-01', to: '2026-10-07' }],
});
const where = { calendar: beijing, timeZone: 'Asia/Shanghai', defaultTime: '09:00' };
const quarterly: PlanTerms = {
  kind: 'inspection',
  everyMonths: 3,
  leadDays: 14,
  completeWithinDays: 10,
  startsOn: '2026-01-01',
  endsOn: '2026-12-31',
};

describe('maintenance schedule', () => {
  it('puts quarterly inspections on the first working day on or after each quarter, four in a year', () => {
    const slots = [0, 1, 2, 3, 4].map((n) => slot(quarterly, n, where));
    expect(slots.map((s) => s?.scheduledFor.toISOString() ?? null)).toEqual([
      '2026-01-02T01:00:00.000Z', // 1 January is a holiday
      '2026-04-01T01:00:00.000Z',
      '2026-07-01T01:00:00.000Z',
      '2026-10-08T01:00:00.000Z', // National Day week
      null, // 2027-01-01 is after the plan
    ]);
    expect(slots[0]).toMatchObject({ announceAt: new Date('2025-12-19T01:00:00Z'), dueBy: new Date('2026-01-12T01:00:00Z') });
  });

  it('without a business calendar, visits at the default time on the nominal date', () => {
    expect(
      slot({ ...quarterly, kind: 'remote-check' }, 3, { calendar: null, timeZone: 'Asia/Shanghai', defaultTime: '10:30' })?.scheduledFor,
    ).toEqual(new Date('2026-10-01T02:30:00Z'));
  });

  it('makes a monthly record when the local month ends', () => {
    const record: PlanTerms = { ...quarterly, kind: 'maintenance-record', everyMonths: 1, startsOn: '2026-01-15' };
    expect(slot(record, 1, where)).toMatchObject({
      month: '2026-02',
      from: new Date('2026-01-31T16:00:00Z'),
      to: new Date('2026-02-28T16:00:00Z'),
      scheduledFor: new Date('2026-02-28T16:00:00Z'),
    });
    expect(slot(record, 12, where)).toBeNull();
  });

  it('refuses a record that is not monthly and a plan ending before it starts', () => {
    expect(planProblems({ kind: 'maintenance-record', everyMonths: 3, startsOn: '2026-01-01', endsOn: '2026-12-31' })[0]?.field).toBe(
      'everyMonths',
    );
    expect(planProblems({ kind: 'inspection', everyMonths: 3, startsOn: '2026-01-01', endsOn: '2025-12-31' })[0]?.field).toBe('endsOn');
  });
});
