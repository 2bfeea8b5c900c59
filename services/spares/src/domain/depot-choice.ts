/** What the choice of a depot needs to know of one depot's stock of the part asked for. */
export interface DepotStock {
  depotId: string;
  region: string;
  /** the region's home-city depot is tried first within its region */
  home: boolean;
  available: number;
  /** units announced on their way in, not yet received */
  inbound: Array<{ quantity: number; expectedAt: Date }>;
}

export interface LeadTimes {
  /** days a part takes from another region's depot to the site */
  transferDays: number;
  /** days to get a part nobody has nor has on order (purchase and stock-in) */
  replenishDays: number;
}

const DAY_MS = 86_400_000;

/**
 * The order depots are tried in for a request of `region`: its own region's depots first (the
 * home-city depot first), then the other regions' (as cross-region transfers), each group by id.
 * It does not depend on the stock, so concurrent requests lock the stock rows in one order and
 * cannot deadlock.
 */
export function reservationOrder<T extends DepotStock>(depots: readonly T[], region: string): T[] {
  const rank = (d: DepotStock) => (d.region === region ? 0 : 2) + (d.home ? 0 : 1);
  return [...depots].sort((a, b) => rank(a) - rank(b) || a.depotId.localeCompare(b.depotId));
}

/** Depots that look able to serve the quantity now, best first (the reservation itself re-checks under lock). */
export function candidates<T extends DepotStock>(depots: readonly T[], region: string, quantity: number): T[] {
  return reservationOrder(depots, region).filter((d) => d.available >= quantity);
}

/** The earliest time this depot could have the quantity at a site of `region`. */
export function earliestAt(d: DepotStock, region: string, quantity: number, now: Date, lead: LeadTimes): Date {
  const transfer = d.region === region ? 0 : lead.transferDays * DAY_MS;
  if (d.available >= quantity) return new Date(now.getTime() + transfer);
  let have = Math.max(0, d.available);
  for (const i of [...d.inbound].sort((a, b) => a.expectedAt.getTime() - b.expectedAt.getTime())) {
    have += i.quantity;
    if (have >= quantity) return new Date(Math.max(i.expectedAt.getTime(), now.getTime()) + transfer);
  }
  return new Date(now.getTime() + lead.replenishDays * DAY_MS + transfer);
}

export interface NextBest {
  depotId: string;
  region: string;
  available: number;
  earliestAt: Date;
}

/** For an "out of stock" answer: the depot that could serve soonest (ties: the reservation order). */
export function nextBest(depots: readonly DepotStock[], region: string, quantity: number, now: Date, lead: LeadTimes): NextBest | null {
  let best: NextBest | null = null;
  for (const d of reservationOrder(depots, region)) {
    const at = earliestAt(d, region, quantity, now, lead);
    if (!best || at.getTime() < best.earliestAt.getTime())
      best = { depotId: d.depotId, region: d.region, available: d.available, earliestAt: at };
  }
  return best;
}
