import { BusinessCalendar } from '@aftersales/calendar';
import { callbackDueAt, regionBatchDueAt } from './region-calendar';

const workdays = { start: '09:00', end: '18:00' };
/** Mon-Fri 09:00-18:00 in Shanghai; Monday 18 January 2027 a holiday, and Spring Festival 8-14 February (Mon-Sun). */
const north = new BusinessCalendar({
  id: 'cn-north',
  timeZone: 'Asia/Shanghai',
  kind: 'business-hours',
  weekly: { 1: [workdays], 2: [workdays], 3: [workdays], 4: [workdays], 5: [workdays] },
  holidays: [{ date: '2027-01-18' }, { from: '2027-02-08', to: '2027-02-14' }],
});
const monday9 = { timeZone: 'Asia/Shanghai', day: 'monday' as const, time: '09:00' };

describe("a region's batch day and callback deadlines on its calendar", () => {
  it('runs on the configured day, and moves a holiday to the next business day at the same time', () => {
    expect(regionBatchDueAt('2027-W01', monday9, north).toISOString()).toBe('2027-01-11T01:00:00.000Z');
    expect(regionBatchDueAt('2027-W02', monday9, north).toISOString()).toBe('2027-01-19T01:00:00.000Z'); // Tuesday
    expect(regionBatchDueAt('2027-W05', monday9, north).toISOString()).toBe('2027-02-15T01:00:00.000Z'); // after the festival
    expect(regionBatchDueAt('2027-W02', monday9, null).toISOString()).toBe('2027-01-18T01:00:00.000Z');
    // a schedule naming a Saturday on a weekday calendar moves to Monday (here the holiday: Tuesday)
    expect(regionBatchDueAt('2027-W01', { ...monday9, day: 'saturday' }, north).toISOString()).toBe('2027-01-19T01:00:00.000Z');
  });

  it('counts callback hours in business hours', () => {
    // Friday 17:00 + 8 business hours: 1 h on Friday, 7 h on Monday → Monday 16:00
    expect(callbackDueAt(new Date('2027-01-08T17:00:00+08:00'), 8, north).toISOString()).toBe('2027-01-11T08:00:00.000Z');
    // across the Monday holiday: Friday 17:00 + 8 h → Tuesday 16:00
    expect(callbackDueAt(new Date('2027-01-15T17:00:00+08:00'), 8, north).toISOString()).toBe('2027-01-19T08:00:00.000Z');
    expect(callbackDueAt(new Date('2027-01-15T17:00:00+08:00'), 8, null).toISOString()).toBe('2027-01-15T17:00:00.000Z'); // around the clock
  });
});
