import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { MetricFactory, PlatformMetrics, ScrapedGauges } from '@aftersales/observability';
import { SERVICE_CONFIG } from '@aftersales/platform';
import { Counter, Gauge } from 'prom-client';
import { ServiceConfig } from '@aftersales/config';
import { DataSource } from 'typeorm';
import { PART_CLASSES } from '../catalog/part';
import { RepairState } from '../domain';

type DepotLabels = { region: string; depot: string; part_class: string };

const REPAIR_STATES: RepairState[] = ['received', 'diagnosed', 'quoted', 'accepted', 'declined', 'repaired', 'returned'];
const RESERVATION_OUTCOMES = ['reserved', 'awaiting-approval', 'approved', 'rejected', 'released'] as const;
const STOCK_KINDS = ['on_hand', 'reserved', 'in_transit', 'defective'] as const;

/**
 * What the spares dashboard reads. Labels are bounded: region, depot (a handful per region), part
 * class (a fixed list), outcome or state — never a part number, case or request id. Counters are
 * created at 0 for every depot and class at start (and for a depot when it is added); stock and
 * repair orders are gauges counted from the tables when Prometheus scrapes (at most every 10 s).
 */
@Injectable()
export class SparesMetrics implements OnModuleInit {
  private readonly reservations: Counter<'region' | 'depot' | 'part_class' | 'outcome'>;
  private readonly stockouts: Counter<'region' | 'part_class'>;
  private readonly deliveries: Counter<'region' | 'depot' | 'part_class' | 'timeliness'>;
  private readonly overdueReturns: Counter<'region' | 'depot' | 'part_class'>;
  private readonly lowStock: Counter<'region' | 'depot' | 'part_class'>;
  private readonly plansOverdue: Counter<'region'>;
  private readonly stockUnits: Gauge<'region' | 'depot' | 'part_class' | 'kind'>;
  private readonly belowMinimum: Gauge<'region' | 'depot' | 'part_class'>;
  private readonly repairOrders: Gauge<'region' | 'state'>;
  private readonly scraped = new ScrapedGauges(() => this.load());
  private readonly regions = new Set<string>();

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly dataSource: DataSource,
    metrics: PlatformMetrics,
  ) {
    const scraped = this.scraped;
    const mf = new MetricFactory(metrics.registry, () => scraped.refresh());
    /** `aftersales_spares_<name>`: counted as things happen */
    const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
      mf.counter<L>(`aftersales_spares_${name}`, help, labelNames);
    /** `aftersales_spares_<name>`: counted from the tables when Prometheus scrapes */
    const gauge = <L extends string>(name: string, help: string, labelNames: L[]) =>
      mf.gauge<L>(`aftersales_spares_${name}`, help, labelNames);
    const depot = ['region', 'depot', 'part_class'] as const;
    this.reservations = counter(
      'reservations_total',
      'Part reservations by outcome (reserved in region, awaiting another region’s approval, approved, rejected, released)',
      [...depot, 'outcome'],
    );
    this.stockouts = counter('stockouts_total', 'Part requests answered "out of stock", by the requesting region', [
      'region',
      'part_class',
    ]);
    this.deliveries = counter('deliveries_total', 'Parts delivered to site, on time or later than needed', [...depot, 'timeliness']);
    this.overdueReturns = counter('returns_overdue_total', 'Faulty parts not back at the depot by their due date', [...depot]);
    this.lowStock = counter('low_stock_total', 'Times a part’s available stock fell below its minimum level', [...depot]);
    this.plansOverdue = counter('purchase_plans_overdue_total', 'Purchase plans not stocked in by their deadline', ['region']);
    this.stockUnits = gauge('stock_units', 'Units in stock by depot and part class: on hand, reserved, in transit, defective', [
      ...depot,
      'kind',
    ]);
    this.belowMinimum = gauge('stock_below_minimum', 'Parts whose available stock is below the minimum level, by depot and class', [
      ...depot,
    ]);
    this.repairOrders = gauge('repair_orders', 'Carry-in and mail-in repair orders by state', ['region', 'state']);
  }

  async onModuleInit(): Promise<void> {
    const depots: Array<{ id: string; region: string }> = await this.dataSource.query(
      `SELECT id, region FROM "${this.config.database.schema}".depots`,
    );
    for (const d of depots) this.depotAdded(d);
    this.regionSeen(this.config.region);
  }

  /** Zero series for a depot's labels, so its first event shows in rate(). */
  depotAdded(d: { id: string; region: string }): void {
    this.regionSeen(d.region);
    for (const part_class of PART_CLASSES) {
      const l = { region: d.region, depot: d.id, part_class };
      for (const outcome of RESERVATION_OUTCOMES) this.reservations.inc({ ...l, outcome }, 0);
      for (const timeliness of ['on-time', 'late']) this.deliveries.inc({ ...l, timeliness }, 0);
      this.overdueReturns.inc(l, 0);
      this.lowStock.inc(l, 0);
    }
  }

  private regionSeen(region: string): void {
    if (this.regions.has(region)) return;
    this.regions.add(region);
    for (const part_class of PART_CLASSES) this.stockouts.inc({ region, part_class }, 0);
    this.plansOverdue.inc({ region }, 0);
  }

  reservation(l: DepotLabels, outcome: (typeof RESERVATION_OUTCOMES)[number]): void {
    this.reservations.inc({ ...l, outcome });
  }
  stockout(region: string, partClass: string): void {
    this.regionSeen(region);
    this.stockouts.inc({ region, part_class: partClass });
  }
  delivered(l: DepotLabels, late: boolean): void {
    this.deliveries.inc({ ...l, timeliness: late ? 'late' : 'on-time' });
  }
  returnOverdue(l: DepotLabels): void {
    this.overdueReturns.inc(l);
  }
  belowMinimumCrossed(l: DepotLabels): void {
    this.lowStock.inc(l);
  }
  planOverdue(region: string): void {
    this.regionSeen(region);
    this.plansOverdue.inc({ region });
  }

  private async load(): Promise<void> {
    const s = this.config.database.schema;
    const stock: Array<Record<string, string | number>> = await this.dataSource.query(
      `SELECT d.id AS depot, d.region, p.part_class,
              sum(s.on_hand)::int AS on_hand, sum(s.reserved)::int AS reserved, sum(s.in_transit)::int AS in_transit,
              sum(s.defective)::int AS defective, count(*) FILTER (WHERE s.on_hand - s.reserved < s.min_level)::int AS below
         FROM "${s}".stock s JOIN "${s}".depots d ON d.id = s.depot_id JOIN "${s}".parts p ON p.part_number = s.part_number
        GROUP BY 1, 2, 3`,
    );
    const orders: Array<{ region: string; state: string; n: number }> = await this.dataSource.query(
      `SELECT region, state, count(*)::int AS n FROM "${s}".repair_orders GROUP BY 1, 2`,
    );
    this.stockUnits.reset();
    this.belowMinimum.reset();
    this.repairOrders.reset();
    for (const r of stock) {
      const l = { region: String(r.region), depot: String(r.depot), part_class: String(r.part_class) };
      for (const kind of STOCK_KINDS) this.stockUnits.set({ ...l, kind }, Number(r[kind]));
      this.belowMinimum.set(l, Number(r.below));
    }
    for (const region of new Set([...this.regions, ...orders.map((o) => o.region)])) {
      for (const state of REPAIR_STATES) this.repairOrders.set({ region, state }, 0);
    }
    for (const o of orders) this.repairOrders.set({ region: o.region, state: o.state }, o.n);
  }
}
