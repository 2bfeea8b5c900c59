import { onCallAt, Rotation, rotationProblems, weeklyWindows } from './on-call';

// Asia/Shanghai is UTC+8 without DST: 03:00 local on Monday 2026-03-02 is 19:00 UTC on Sunday
const local = (iso: string) => new Date(`${iso}+08:00`);

const rotation: Rotation = {
  region: 'north',
  role: 'senior-engineer',
  timeZone: 'Asia/Shanghai',
  shifts: [
    // nights, Sunday evening into Monday morning and so on
    ...([1, 2, 3, 4, 5, 6, 7] as const).map((day) => ({ personId: 'night-owl', day, start: '18:00', end: '09:00' })),
    ...([1, 2, 3, 4, 5] as const).map((day) => ({ personId: 'day-shift', day, start: '09:00', end: '18:00' })),
  ],
};

describe('on-call rotation', () => {
  it('puts the night shift on call at 03:00 and the day shift off duty', () => {
    expect(onCallAt(rotation, local('2026-03-02T03:00:00'))).toEqual(['night-owl']);
  });

  it('hands over at the shift boundary: 09:00 belongs to the day shift, 18:00 to the night', () => {
    expect(onCallAt(rotation, local('2026-03-02T08:59:59'))).toEqual(['night-owl']);
    expect(onCallAt(rotation, local('2026-03-02T09:00:00'))).toEqual(['day-shift']);
    expect(onCallAt(rotation, local('2026-03-02T18:00:00'))).toEqual(['night-owl']);
  });

  it('leaves a weekend day with nobody when no shift covers it', () => {
    const weekdaysOnly: Rotation = { ...rotation, shifts: rotation.shifts.filter((s) => s.personId === 'day-shift') };
    expect(onCallAt(weekdaysOnly, local('2026-03-07T10:00:00'))).toEqual([]); // Saturday
  });

  it('splits a Sunday night shift into Monday morning', () => {
    expect(weeklyWindows([{ personId: 'p', day: 7, start: '22:00', end: '06:00' }])).toEqual({
      7: [{ start: '22:00', end: '24:00' }],
      1: [{ start: '00:00', end: '06:00' }],
    });
  });

  it('names the bad field of a rotation', () => {
    expect(
      rotationProblems({
        timeZone: 'Mars/Olympus',
        shifts: [
          { personId: 'p', day: 1, start: '25:00', end: '08:00' },
          { personId: 'p', day: 2, start: '08:00', end: '08:00' },
        ],
      }).map((p) => p.field),
    ).toEqual(['timeZone', 'shifts[0].start', 'shifts[1].end']);
  });
});
