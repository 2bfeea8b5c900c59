import { Counter, Registry } from 'prom-client';
import { labelProduct, zeroSeries } from './metrics';

export type InterregionKind = 'engineer' | 'part';
/** What happened to an ask, as either region saw it: sent or received, answered, worked on, delivered. */
export const INTERREGION_OUTCOMES = ['requested', 'approved', 'declined', 'worked', 'shipped', 'delivered', 'completed'] as const;
export type InterregionOutcome = (typeof INTERREGION_OUTCOMES)[number];

/**
 * `aftersales_interregion_requests_total{from_region,to_region,kind,outcome}`: cross-region help as
 * each region records it (both the asking and the asked region count every step). The regions are
 * this one and its INTERREGION_PEERS (any other is `other`, so the labels stay bounded); every
 * pair × outcome of the service's kind exists at 0 from the start.
 */
export class InterregionMetrics {
  private readonly counter: Counter<'from_region' | 'to_region' | 'kind' | 'outcome'>;
  private readonly known: Set<string>;

  constructor(
    registry: Registry,
    region: string,
    peers: readonly string[],
    private readonly kind: InterregionKind,
  ) {
    this.known = new Set([region, ...peers]);
    const existing = registry.getSingleMetric('aftersales_interregion_requests_total');
    this.counter =
      (existing as typeof this.counter | undefined) ??
      new Counter({
        name: 'aftersales_interregion_requests_total',
        help: 'Cross-region help (an engineer on loan, a part from another region) by asking and asked region, kind and step',
        labelNames: ['from_region', 'to_region', 'kind', 'outcome'],
        registers: [registry],
      });
    // `other` too: without peers the series still exist, so the boards show 0 rather than no data
    const others = [...peers, 'other'];
    const pairs = [
      ...others.map((p) => ({ from_region: region, to_region: p })),
      ...others.map((p) => ({ from_region: p, to_region: region })),
    ];
    zeroSeries(
      this.counter,
      pairs.flatMap((pair) => labelProduct({ kind: [kind], outcome: INTERREGION_OUTCOMES }).map((l) => ({ ...pair, ...l }))),
    );
  }

  count(fromRegion: string, toRegion: string, outcome: InterregionOutcome): void {
    const bound = (r: string) => (this.known.has(r) ? r : 'other');
    this.counter.inc({ from_region: bound(fromRegion), to_region: bound(toRegion), kind: this.kind, outcome });
  }
}
