import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@aftersales/config';
import { SERVICE_CONFIG } from '@aftersales/platform';
import { changedRows, selectOne, selectRows } from '@aftersales/persistence';
import { EntityManager } from 'typeorm';
import { DepotStock, StockDelta } from '../domain';
import { countOf } from '../shared/sql';
import { Depot, Inbound, StockRow } from './depot';

/** The columns of `depots`, `stock` and `inbound` as pg answers them. */
interface DepotDbRow {
  id: string;
  name: string;
  region: string;
  city: string | null;
  home: boolean;
  created_at: Date;
}
interface StockDbRow {
  depot_id: string;
  part_number: string;
  on_hand: number;
  reserved: number;
  in_transit: number;
  defective: number;
  min_level: number;
  updated_at: Date;
}
interface InboundDbRow {
  id: string;
  depot_id: string;
  part_number: string;
  quantity: number;
  expected_at: Date;
  plan_id: string | null;
  received_at: Date | null;
}

const toDepot = (r: DepotDbRow): Depot => ({
  id: r.id,
  name: r.name,
  region: r.region,
  city: r.city,
  home: r.home,
  createdAt: r.created_at,
});
const toStock = (r: StockDbRow): StockRow => ({
  depotId: r.depot_id,
  partNumber: r.part_number,
  onHand: r.on_hand,
  reserved: r.reserved,
  inTransit: r.in_transit,
  defective: r.defective,
  minLevel: r.min_level,
  available: r.on_hand - r.reserved,
  belowMinimum: r.on_hand - r.reserved < r.min_level,
  updatedAt: r.updated_at,
});
const toInbound = (r: InboundDbRow): Inbound => ({
  id: r.id,
  depotId: r.depot_id,
  partNumber: r.part_number,
  quantity: r.quantity,
  expectedAt: r.expected_at,
  planId: r.plan_id,
  receivedAt: r.received_at,
});

/**
 * Every SQL statement of depots and what they hold: stock rows, announced inbound, daily reports.
 * Stock changes only through `applyDelta`: one UPDATE whose WHERE re-checks the invariants on the
 * row it locks, so of concurrent reservations of the last units exactly as many succeed as there
 * are units (PostgreSQL re-evaluates the condition on the newest row version after the lock wait).
 */
@Injectable()
export class DepotRepository {
  private readonly s: string;
  constructor(@Inject(SERVICE_CONFIG) config: ServiceConfig) {
    this.s = config.database.schema;
  }

  async insert(m: EntityManager, d: Omit<Depot, 'createdAt'>, now: Date): Promise<Depot | null> {
    const r = await selectOne<DepotDbRow>(
      m,
      `INSERT INTO "${this.s}".depots (id, name, region, city, home, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO NOTHING RETURNING *`,
      [d.id, d.name, d.region, d.city, d.home, now],
    );
    return r ? toDepot(r) : null;
  }

  async homeOf(m: EntityManager, region: string): Promise<Depot | null> {
    const r = await selectOne<DepotDbRow>(m, `SELECT * FROM "${this.s}".depots WHERE region = $1 AND home`, [region]);
    return r ? toDepot(r) : null;
  }

  async get(m: EntityManager, id: string): Promise<Depot | null> {
    const r = await selectOne<DepotDbRow>(m, `SELECT * FROM "${this.s}".depots WHERE id = $1`, [id]);
    return r ? toDepot(r) : null;
  }

  async all(m: EntityManager): Promise<Depot[]> {
    return (await selectRows<DepotDbRow>(m, `SELECT * FROM "${this.s}".depots ORDER BY id`)).map(toDepot);
  }

  async list(m: EntityManager, region: string | undefined, limit: number, offset: number) {
    const where = region === undefined ? '' : 'WHERE region = $1';
    const params = region === undefined ? [] : [region];
    const total = await countOf(m, `SELECT count(*)::int AS n FROM "${this.s}".depots ${where}`, params);
    const rows = await selectRows<DepotDbRow>(
      m,
      `SELECT * FROM "${this.s}".depots ${where} ORDER BY region, id LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return { items: rows.map(toDepot), total };
  }

  async stock(m: EntityManager, depotId: string, partNumber: string): Promise<StockRow | null> {
    const r = await selectOne<StockDbRow>(m, `SELECT * FROM "${this.s}".stock WHERE depot_id = $1 AND part_number = $2`, [
      depotId,
      partNumber,
    ]);
    return r ? toStock(r) : null;
  }

  async stockList(m: EntityManager, depotId: string, f: { belowMinimum?: boolean }, limit: number, offset: number) {
    const where = `depot_id = $1${f.belowMinimum ? ' AND on_hand - reserved < min_level' : ''}`;
    const total = await countOf(m, `SELECT count(*)::int AS n FROM "${this.s}".stock WHERE ${where}`, [depotId]);
    const rows = await selectRows<StockDbRow>(
      m,
      `SELECT * FROM "${this.s}".stock WHERE ${where} ORDER BY part_number LIMIT ${limit} OFFSET ${offset}`,
      [depotId],
    );
    return { items: rows.map(toStock), total };
  }

  /** Every depot's standing for one part, for the choice of a depot and the "next best" answer. */
  async standings(m: EntityManager, partNumber: string): Promise<DepotStock[]> {
    const rows = await selectRows<{
      id: string;
      region: string;
      home: boolean;
      available: number;
      inbound: Array<{ quantity: number; expectedAt: string }>;
    }>(
      m,
      `SELECT d.id, d.region, d.home, COALESCE(s.on_hand - s.reserved, 0)::int AS available,
                COALESCE((SELECT json_agg(json_build_object('quantity', i.quantity, 'expectedAt', i.expected_at))
                            FROM "${this.s}".inbound i
                           WHERE i.depot_id = d.id AND i.part_number = $1 AND i.received_at IS NULL), '[]'::json) AS inbound
           FROM "${this.s}".depots d
           LEFT JOIN "${this.s}".stock s ON s.depot_id = d.id AND s.part_number = $1`,
      [partNumber],
    );
    return rows.map((r) => ({
      depotId: r.id,
      region: r.region,
      home: r.home,
      available: r.available,
      inbound: r.inbound.map((i) => ({ quantity: i.quantity, expectedAt: new Date(i.expectedAt) })),
    }));
  }

  /**
   * Applies a delta to a stock row if the result keeps every invariant; null when it would not (or
   * there is no row and `create` is off). The row stays locked to the end of the transaction.
   */
  async applyDelta(
    m: EntityManager,
    depotId: string,
    partNumber: string,
    d: StockDelta,
    now: Date,
    create = false,
  ): Promise<StockRow | null> {
    if (create) {
      await m.query(`INSERT INTO "${this.s}".stock (depot_id, part_number, updated_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
        depotId,
        partNumber,
        now,
      ]);
    }
    const [r] = await changedRows<StockDbRow>(
      m,
      `UPDATE "${this.s}".stock
          SET on_hand = on_hand + $3, reserved = reserved + $4, in_transit = in_transit + $5, defective = defective + $6, updated_at = $7
        WHERE depot_id = $1 AND part_number = $2
          AND on_hand + $3 >= 0 AND reserved + $4 >= 0 AND reserved + $4 <= on_hand + $3
          AND in_transit + $5 >= 0 AND defective + $6 >= 0
        RETURNING *`,
      [depotId, partNumber, d.onHand ?? 0, d.reserved ?? 0, d.inTransit ?? 0, d.defective ?? 0, now],
    );
    return r ? toStock(r) : null;
  }

  /** Sets the minimum level (creating the row); returns the row before and after. */
  async setMinimum(
    m: EntityManager,
    depotId: string,
    partNumber: string,
    minLevel: number,
    now: Date,
  ): Promise<{ before: StockRow; after: StockRow }> {
    await m.query(`INSERT INTO "${this.s}".stock (depot_id, part_number, updated_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
      depotId,
      partNumber,
      now,
    ]);
    const old = await selectOne<StockDbRow>(m, `SELECT * FROM "${this.s}".stock WHERE depot_id = $1 AND part_number = $2 FOR UPDATE`, [
      depotId,
      partNumber,
    ]);
    const [r] = await changedRows<StockDbRow>(
      m,
      `UPDATE "${this.s}".stock SET min_level = $3, updated_at = $4 WHERE depot_id = $1 AND part_number = $2 RETURNING *`,
      [depotId, partNumber, minLevel, now],
    );
    // the INSERT … ON CONFLICT DO NOTHING above made sure the row exists, and it is locked since
    if (!old || !r) throw new Error(`stock row ${depotId}/${partNumber} vanished under its lock`);
    return { before: toStock(old), after: toStock(r) };
  }

  async addInbound(m: EntityManager, i: Omit<Inbound, 'receivedAt'>, now: Date): Promise<Inbound> {
    const r = await selectOne<InboundDbRow>(
      m,
      `INSERT INTO "${this.s}".inbound (id, depot_id, part_number, quantity, expected_at, plan_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [i.id, i.depotId, i.partNumber, i.quantity, i.expectedAt, i.planId, now],
    );
    if (!r) throw new Error(`inbound ${i.id}: INSERT … RETURNING answered no row`);
    return toInbound(r);
  }

  /** Marks open inbound rows received (under lock); returns those it marked. */
  async receiveInbound(m: EntityManager, where: { id?: string; depotId?: string; planId?: string }, now: Date): Promise<Inbound[]> {
    const rows = await changedRows<InboundDbRow>(
      m,
      `UPDATE "${this.s}".inbound SET received_at = $4
        WHERE received_at IS NULL AND ($1::uuid IS NULL OR id = $1) AND ($2::text IS NULL OR depot_id = $2) AND ($3::uuid IS NULL OR plan_id = $3)
        RETURNING *`,
      [where.id ?? null, where.depotId ?? null, where.planId ?? null, now],
    );
    return rows.map(toInbound);
  }

  async inbound(m: EntityManager, id: string): Promise<Inbound | null> {
    const r = await selectOne<InboundDbRow>(m, `SELECT * FROM "${this.s}".inbound WHERE id = $1`, [id]);
    return r ? toInbound(r) : null;
  }

  async openInbound(m: EntityManager, depotId: string): Promise<Inbound[]> {
    const rows = await selectRows<InboundDbRow>(
      m,
      `SELECT * FROM "${this.s}".inbound WHERE depot_id = $1 AND received_at IS NULL ORDER BY expected_at, id`,
      [depotId],
    );
    return rows.map(toInbound);
  }

  /** Claims the day's report of a depot: true for the one caller (of any replica) that inserted it. */
  async claimReport(m: EntityManager, depotId: string, day: string, report: unknown, now: Date): Promise<boolean> {
    const rows = await selectRows<{ day: string }>(
      m,
      `INSERT INTO "${this.s}".depot_reports (depot_id, day, report, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING day`,
      [depotId, day, JSON.stringify(report), now],
    );
    return rows.length === 1;
  }

  async reports(m: EntityManager, depotId: string, limit: number, offset: number) {
    const total = await countOf(m, `SELECT count(*)::int AS n FROM "${this.s}".depot_reports WHERE depot_id = $1`, [depotId]);
    const rows = await selectRows<{ day: string; report: Record<string, unknown>; created_at: Date }>(
      m,
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, report, created_at FROM "${this.s}".depot_reports WHERE depot_id = $1
        ORDER BY day DESC LIMIT ${limit} OFFSET ${offset}`,
      [depotId],
    );
    return { items: rows.map((r) => ({ depotId, day: r.day, ...r.report, createdAt: r.created_at })), total };
  }

  /** What a depot's daily report says: its parts below minimum. */
  async belowMinimum(m: EntityManager, depotId: string): Promise<Array<{ partNumber: string; available: number; minLevel: number }>> {
    return selectRows(
      m,
      `SELECT part_number AS "partNumber", (on_hand - reserved)::int AS available, min_level AS "minLevel"
         FROM "${this.s}".stock WHERE depot_id = $1 AND on_hand - reserved < min_level ORDER BY part_number`,
      [depotId],
    );
  }

  async partCount(m: EntityManager, depotId: string): Promise<number> {
    return countOf(m, `SELECT count(*)::int AS n FROM "${this.s}".stock WHERE depot_id = $1`, [depotId]);
  }
}
