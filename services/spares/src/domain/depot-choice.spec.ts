import { candidates, DepotStock, earliestAt, nextBest, reservationOrder } from './depot-choice';

const d = (depotId: string, region: string, available: number, o: Partial<DepotStock> = {}): DepotStock => ({
  depotId,
  region,
  home: false,
  available,
  inbound: [],
  ...o,
});
const now = new Date('2026-03-02T08:00:00Z');
const lead = { transferDays: 2, replenishDays: 7 };
const days = (n: number) => new Date(now.getTime() + n * 86_400_000);

describe('choosing a depot', () => {
  it('tries the own region first (home depot first), then the other regions, whatever the stock', () => {
    const depots = [d('S-1', 'south', 50), d('N-2', 'north', 1), d('N-1', 'north', 0, { home: true }), d('E-1', 'east', 9, { home: true })];
    expect(reservationOrder(depots, 'north').map((x) => x.depotId)).toEqual(['N-1', 'N-2', 'E-1', 'S-1']);
    expect(candidates(depots, 'north', 2).map((x) => x.depotId)).toEqual(['E-1', 'S-1']);
  });

  it('dates a depot by its stock, then its inbound, then replenishment; other regions add the transfer', () => {
    expect(earliestAt(d('N-1', 'north', 3), 'north', 2, now, lead)).toEqual(now);
    expect(earliestAt(d('S-1', 'south', 3), 'north', 2, now, lead)).toEqual(days(2));
    const inbound = [
      { quantity: 1, expectedAt: days(5) },
      { quantity: 1, expectedAt: days(1) },
    ];
    expect(earliestAt(d('N-1', 'north', 0, { inbound }), 'north', 2, now, lead)).toEqual(days(5));
    expect(earliestAt(d('N-1', 'north', 0, { inbound }), 'north', 1, now, lead)).toEqual(days(1));
    expect(earliestAt(d('N-1', 'north', 0, { inbound }), 'north', 3, now, lead)).toEqual(days(7));
    // an announced arrival already past counts from now
    expect(earliestAt(d('N-1', 'north', 0, { inbound: [{ quantity: 5, expectedAt: days(-1) }] }), 'north', 1, now, lead)).toEqual(now);
  });

  it('names the depot that could serve soonest as next best', () => {
    const depots = [d('N-1', 'north', 0, { home: true }), d('S-1', 'south', 0, { inbound: [{ quantity: 10, expectedAt: days(3) }] })];
    expect(nextBest(depots, 'north', 1, now, lead)).toEqual({ depotId: 'S-1', region: 'south', available: 0, earliestAt: days(5) });
    // a tie goes to the own region
    expect(nextBest([d('S-1', 'south', 0), d('N-1', 'north', 0)], 'north', 1, now, { transferDays: 0, replenishDays: 7 })?.depotId).toBe(
      'N-1',
    );
    expect(nextBest([], 'north', 1, now, lead)).toBeNull();
  });
});
