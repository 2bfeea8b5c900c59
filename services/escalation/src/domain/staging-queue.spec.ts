import { mayDefer, PendingWrite } from './staging-queue';

// 0.2 ms per clock, twice over, plus 1 s: a 5 000-clock batch needs 3 s by itself
const BUDGET = { msPerClock: 0.2, writers: 2, safety: 2, marginMs: 1000 };
const NOW = 1_000_000;

describe('mayDefer: staged writers wait for due-now work only while every queued batch still makes its window', () => {
  it('lets a lone batch wait until its own write time is all that is left', () => {
    const one: PendingWrite[] = [{ windowStart: NOW + 3500, left: 5000 }];
    expect(mayDefer(NOW, one, BUDGET)).toBe(true);
    expect(mayDefer(NOW + 600, one, BUDGET)).toBe(false);
  });

  it('stops waiting when the batches queued for the same burst need the time, though each alone would not', () => {
    // five batches of one 25 000-clock burst in 5 s: alone each needs 3 s, together 2 writers need 6 s
    const burst: PendingWrite[] = Array.from({ length: 5 }, () => ({ windowStart: NOW + 5000, left: 5000 }));
    expect(mayDefer(NOW, burst.slice(0, 1), BUDGET)).toBe(true);
    expect(mayDefer(NOW, burst, BUDGET)).toBe(false);
    // with four writers the same burst fits again: 4 s
    expect(mayDefer(NOW, burst, { ...BUDGET, writers: 4 })).toBe(true);
  });

  it('counts an earlier window against a later one, but not a later window against an earlier one', () => {
    const oneWriter = { ...BUDGET, writers: 1 };
    const early: PendingWrite = { windowStart: NOW + 4000, left: 5000 };
    const late: PendingWrite = { windowStart: NOW + 5500, left: 5000 };
    // one writer: the late batch is written after the early one, 10 000 clocks → 5 s
    expect(mayDefer(NOW, [late, early], oneWriter)).toBe(true);
    expect(mayDefer(NOW + 600, [late], oneWriter)).toBe(true);
    expect(mayDefer(NOW + 600, [early], oneWriter)).toBe(true);
    expect(mayDefer(NOW + 600, [late, early], oneWriter)).toBe(false);
    // a large batch after them does not hurry the early one
    expect(mayDefer(NOW + 600, [early, { windowStart: NOW + 60_000, left: 50_000 }], oneWriter)).toBe(true);
  });

  it('ignores batches already written and waits freely when nothing is queued', () => {
    expect(mayDefer(NOW, [], BUDGET)).toBe(true);
    expect(mayDefer(NOW, [{ windowStart: NOW + 100, left: 0 }], BUDGET)).toBe(true);
  });
});
