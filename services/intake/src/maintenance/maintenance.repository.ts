import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@aftersales/config';
import { SERVICE_CONFIG } from '@aftersales/platform';
import { selectCount, selectOne, selectRows } from '@aftersales/persistence';
import { EntityManager } from 'typeorm';
import { PlanKind, Slot } from '../domain/maintenance-schedule';

export interface Plan {
  id: string;
  contractId: string;
  customerId: string;
  region: string;
  kind: PlanKind;
  siteId: string | null;
  everyMonths: number;
  leadDays: number;
  announceBy: 'letter' | 'fax' | 'email' | null;
  completeWithinDays: number;
  startsOn: string;
  endsOn: string;
  createdBy: string;
  createdAt: Date;
}

export interface Occurrence {
  id: string;
  planId: string;
  seq: number;
  siteKey: string;
  contractId: string;
  kind: PlanKind;
  scheduledFor: Date;
  announceAt: Date | null;
  announcedAt: Date | null;
  dueBy: Date | null;
  month: string | null;
  from: Date | null;
  to: Date | null;
  openedAt: Date | null;
}

const PLAN = `id, contract_id AS "contractId", customer_id AS "customerId", region, kind, site_id AS "siteId", every_months AS "everyMonths",
  lead_days AS "leadDays", announce_by AS "announceBy", complete_within_days AS "completeWithinDays", starts_on::text AS "startsOn",
  ends_on::text AS "endsOn", created_by AS "createdBy", created_at AS "createdAt"`;
const OCC = `id, plan_id AS "planId", seq, site_key AS "siteKey", contract_id AS "contractId", kind, scheduled_for AS "scheduledFor",
  announce_at AS "announceAt", announced_at AS "announcedAt", due_by AS "dueBy", month, from_at AS "from", to_at AS "to", opened_at AS "openedAt"`;

/** Every SQL statement of maintenance plans, their occurrences (timer rows) and model checklists. */
@Injectable()
export class MaintenanceRepository {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {}

  private get s(): string {
    return this.config.database.schema;
  }

  async insertPlan(m: EntityManager, p: Plan): Promise<void> {
    await m.query(
      `INSERT INTO "${this.s}".maintenance_plans (id, contract_id, customer_id, region, kind, site_id, every_months, lead_days, announce_by,
         complete_within_days, starts_on, ends_on, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        p.id,
        p.contractId,
        p.customerId,
        p.region,
        p.kind,
        p.siteId,
        p.everyMonths,
        p.leadDays,
        p.announceBy,
        p.completeWithinDays,
        p.startsOn,
        p.endsOn,
        p.createdBy,
        p.createdAt,
      ],
    );
  }

  async plan(m: EntityManager, id: string): Promise<Plan | null> {
    return (await selectOne<Plan>(m, `SELECT ${PLAN} FROM "${this.s}".maintenance_plans WHERE id = $1`, [id])) ?? null;
  }

  async plansOf(m: EntityManager, contractId: string): Promise<Plan[]> {
    return selectRows<Plan>(m, `SELECT ${PLAN} FROM "${this.s}".maintenance_plans WHERE contract_id = $1 ORDER BY created_at, id`, [
      contractId,
    ]);
  }

  /** The sites a plan without a site covers: every site of the contract's assets. */
  async sitesOf(m: EntityManager, contractId: string): Promise<string[]> {
    const rows = await selectRows<{ site_id: string }>(
      m,
      `SELECT DISTINCT site_id FROM "${this.s}".assets WHERE contract_id = $1 AND site_id IS NOT NULL ORDER BY site_id`,
      [contractId],
    );
    return rows.map((r) => r.site_id);
  }

  async insertOccurrence(m: EntityManager, id: string, p: Plan, siteKey: string, s: Slot): Promise<void> {
    await m.query(
      `INSERT INTO "${this.s}".maintenance_occurrences
         (id, plan_id, seq, site_key, contract_id, kind, scheduled_for, announce_at, due_by, month, from_at, to_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (plan_id, seq, site_key) DO NOTHING`,
      [id, p.id, s.seq, siteKey, p.contractId, p.kind, s.scheduledFor, p.announceBy ? s.announceAt : null, s.dueBy, s.month, s.from, s.to],
    );
  }

  async occurrences(m: EntityManager, f: { contractId?: string; planId?: string }, limit: number, offset: number) {
    const where = f.planId ? 'plan_id = $1' : 'contract_id = $1';
    const params = [f.planId ?? f.contractId];
    const n = await selectCount(m, `SELECT count(*)::int AS n FROM "${this.s}".maintenance_occurrences WHERE ${where}`, params);
    const items = await selectRows<Occurrence>(
      m,
      `SELECT ${OCC} FROM "${this.s}".maintenance_occurrences WHERE ${where} ORDER BY scheduled_for, site_key LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return { items, total: n };
  }

  /** Due announcements, claimed: another replica skips them, `announced_at` makes each once. */
  async claimAnnouncements(m: EntityManager, now: Date, limit: number): Promise<Occurrence[]> {
    return selectRows(
      m,
      `SELECT ${OCC} FROM "${this.s}".maintenance_occurrences
        WHERE announced_at IS NULL AND announce_at IS NOT NULL AND announce_at <= $1 AND opened_at IS NULL
        ORDER BY announce_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
  }

  /** Occurrences whose time has come, claimed likewise. */
  async claimDue(m: EntityManager, now: Date, limit: number): Promise<Occurrence[]> {
    return selectRows(
      m,
      `SELECT ${OCC} FROM "${this.s}".maintenance_occurrences
        WHERE opened_at IS NULL AND scheduled_for <= $1 ORDER BY scheduled_for, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
  }

  async markAnnounced(m: EntityManager, id: string, at: Date): Promise<void> {
    await m.query(`UPDATE "${this.s}".maintenance_occurrences SET announced_at = $2 WHERE id = $1`, [id, at]);
  }

  async markOpened(m: EntityManager, id: string, at: Date): Promise<void> {
    await m.query(`UPDATE "${this.s}".maintenance_occurrences SET opened_at = $2 WHERE id = $1`, [id, at]);
  }

  async saveChecklist(m: EntityManager, model: string, items: Array<{ itemId: string; text: string }>, by: string, at: Date) {
    await m.query(
      `INSERT INTO "${this.s}".model_checklists (model, items, updated_by, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (model) DO UPDATE SET items = EXCLUDED.items, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
      [model, JSON.stringify(items), by, at],
    );
  }

  async checklists(m: EntityManager, models: readonly string[]): Promise<Map<string, Array<{ itemId: string; text: string }>>> {
    if (!models.length) return new Map();
    const rows: Array<{ model: string; items: Array<{ itemId: string; text: string }> }> = await m.query(
      `SELECT model, items FROM "${this.s}".model_checklists WHERE model = ANY($1::text[])`,
      [models],
    );
    return new Map(rows.map((r) => [r.model, r.items]));
  }

  async checklist(m: EntityManager, model: string) {
    const r = await selectOne<Map<string, Array<{ itemId: string; text: string }>>>(
      m,
      `SELECT model, items, updated_by AS "updatedBy", updated_at AS "updatedAt" FROM "${this.s}".model_checklists WHERE model = $1`,
      [model],
    );
    return (r ?? null) as { model: string; items: Array<{ itemId: string; text: string }>; updatedBy: string; updatedAt: Date } | null;
  }

  /** What a work order covers: the contract's assets at the site (all of them for a remote check without a site). */
  async assetsAt(m: EntityManager, contractId: string, siteId: string | null) {
    return selectRows<{ assetId: string; model: string; serialNumber: string; productLine: string | null }>(
      m,
      `SELECT id AS "assetId", model, serial_number AS "serialNumber", product_line AS "productLine" FROM "${this.s}".assets
        WHERE contract_id = $1 AND ($2::text IS NULL OR site_id = $2) ORDER BY id LIMIT 500`,
      [contractId, siteId],
    );
  }
}
