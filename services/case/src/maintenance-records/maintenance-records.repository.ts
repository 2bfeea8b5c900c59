import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@aftersales/config';
import { SERVICE_CONFIG } from '@aftersales/platform';
import { selectCount, selectOne, selectRows } from '@aftersales/persistence';
import { EntityManager } from 'typeorm';
import { MonthFacts, RecordCounts, RecordStatus } from '../domain/maintenance-record';

export interface MaintenanceRecord {
  id: string;
  contractId: string;
  customerId: string;
  region: string;
  month: string;
  from: Date;
  to: Date;
  counts: RecordCounts;
  lines: Record<string, unknown>;
  contact: { name: string; email?: string; phone?: string } | null;
  status: RecordStatus;
  generatedAt: Date;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  sentBy: string | null;
  sentAt: Date | null;
  archivedBy: string | null;
  archivedAt: Date | null;
}

const RECORD = `id, contract_id AS "contractId", customer_id AS "customerId", region, month, from_at AS "from", to_at AS "to", counts, lines,
  contact, status, generated_at AS "generatedAt", reviewed_by AS "reviewedBy", reviewed_at AS "reviewedAt", sent_by AS "sentBy",
  sent_at AS "sentAt", archived_by AS "archivedBy", archived_at AS "archivedAt"`;

/** Every SQL statement of monthly maintenance records, the month's facts they are made from, and the parts used on cases. */
@Injectable()
export class MaintenanceRecordsRepository {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {}

  private get s(): string {
    return this.config.database.schema;
  }

  async partInstalled(
    m: EntityManager,
    p: { requestId: string; caseId: string; partNumber: string; partClass: string; quantity: number; at: Date },
  ) {
    await m.query(
      `INSERT INTO "${this.s}".case_parts_used (request_id, case_id, part_number, part_class, quantity, installed_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (request_id) DO NOTHING`,
      [p.requestId, p.caseId, p.partNumber, p.partClass, p.quantity, p.at],
    );
  }

  /** The month's facts of one contract, window [from, to). */
  async facts(m: EntityManager, contractId: string, from: Date, to: Date) {
    const s = this.s;
    const ofContract = `c.contract->>'contractId' = $1`;
    const opened = await selectRows<{ id: string; caseNumber: string; severity: string; caseType: string; status: string; openedAt: Date }>(
      m,
      `SELECT c.id, c.case_number AS "caseNumber", c.severity, c.case_type AS "caseType", c.status, c.opened_at AS "openedAt"
         FROM "${s}".cases c WHERE ${ofContract} AND c.case_type <> 'inspection' AND c.opened_at >= $2 AND c.opened_at < $3
        ORDER BY c.opened_at, c.id`,
      [contractId, from, to],
    );
    const resolved = await selectRows<{ id: string; caseNumber: string; onSite: boolean; resolvedAt: Date }>(
      m,
      `SELECT c.id, c.case_number AS "caseNumber", r.at AS "resolvedAt",
              EXISTS (SELECT 1 FROM "${s}".field_visits v WHERE v.case_id = c.id) AS "onSite"
         FROM "${s}".cases c
         JOIN LATERAL (SELECT min(t.at) AS at FROM "${s}".case_transitions t WHERE t.case_id = c.id AND t.to_status = 'resolved') r ON true
        WHERE ${ofContract} AND c.case_type <> 'inspection' AND r.at >= $2 AND r.at < $3 ORDER BY r.at, c.id`,
      [contractId, from, to],
    );
    const visits = await selectCount(
      m,
      `SELECT count(*)::int AS visits FROM "${s}".field_visits v JOIN "${s}".cases c ON c.id = v.case_id
        WHERE ${ofContract} AND v.completed_at >= $2 AND v.completed_at < $3`,
      [contractId, from, to],
    );
    const inspections = await selectRows<{ id: string; caseNumber: string; kind: 'on-site' | 'remote'; failed: number; signedAt: Date }>(
      m,
      `SELECT i.id, c.case_number AS "caseNumber", i.kind, i.signed_at AS "signedAt",
              (SELECT count(*)::int FROM "${s}".inspection_items x WHERE x.inspection_id = i.id AND x.result = 'fail') AS failed
         FROM "${s}".inspections i JOIN "${s}".cases c ON c.id = i.case_id
        WHERE i.contract_id = $1 AND i.signed_at >= $2 AND i.signed_at < $3 ORDER BY i.signed_at, i.id`,
      [contractId, from, to],
    );
    const overdue = await selectCount(
      m,
      `SELECT count(*)::int AS overdue FROM "${s}".inspections i
        WHERE i.contract_id = $1 AND i.due_by < $3 AND i.due_by >= $2 AND (i.signed_at IS NULL OR i.signed_at > i.due_by)`,
      [contractId, from, to],
    );
    const parts = await selectRows<{ caseNumber: string; partNumber: string; quantity: number; installedAt: Date }>(
      m,
      `SELECT c.case_number AS "caseNumber", p.part_number AS "partNumber", p.quantity, p.installed_at AS "installedAt"
         FROM "${s}".case_parts_used p JOIN "${s}".cases c ON c.id = p.case_id
        WHERE ${ofContract} AND p.installed_at >= $2 AND p.installed_at < $3 ORDER BY p.installed_at, p.request_id`,
      [contractId, from, to],
    );
    // open at the end of the month: its last status before then is not a resolution
    const stillOpen = await selectCount(
      m,
      `SELECT count(*)::int AS "stillOpen" FROM "${s}".cases c
        WHERE ${ofContract} AND c.case_type <> 'inspection' AND c.opened_at < $2
          AND COALESCE((SELECT t.to_status FROM "${s}".case_transitions t WHERE t.case_id = c.id AND t.at < $2
                         ORDER BY t.at DESC, t.seq DESC LIMIT 1), 'received') NOT IN ('resolved','confirmed','closed')`,
      [contractId, to],
    );
    const facts: MonthFacts = { opened, resolved, visitsCompleted: visits, inspections, inspectionsOverdue: overdue, parts, stillOpen };
    return { facts, lines: { opened, resolved, inspections, parts } };
  }

  async insert(m: EntityManager, r: MaintenanceRecord): Promise<boolean> {
    const rows = await selectRows<unknown>(
      m,
      `INSERT INTO "${this.s}".maintenance_records (id, contract_id, customer_id, region, month, from_at, to_at, counts, lines, contact, status, generated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (contract_id, month) DO NOTHING RETURNING id`,
      [
        r.id,
        r.contractId,
        r.customerId,
        r.region,
        r.month,
        r.from,
        r.to,
        JSON.stringify(r.counts),
        JSON.stringify(r.lines),
        r.contact ? JSON.stringify(r.contact) : null,
        r.status,
        r.generatedAt,
      ],
    );
    return rows.length === 1;
  }

  async get(
    m: EntityManager,
    id: string,
    scope: { region?: string; customerId?: string },
    lock = false,
  ): Promise<MaintenanceRecord | null> {
    const r = await selectOne<MaintenanceRecord>(
      m,
      `SELECT ${RECORD} FROM "${this.s}".maintenance_records WHERE id = $1 AND ($2::text IS NULL OR region = $2)
          AND ($3::text IS NULL OR customer_id = $3)${lock ? ' FOR UPDATE' : ''}`,
      [id, scope.region ?? null, scope.customerId ?? null],
    );
    return r ?? null;
  }

  async list(
    m: EntityManager,
    f: { region?: string; customerId?: string; contractId?: string; month?: string },
    limit: number,
    offset: number,
  ) {
    const params = [f.region ?? null, f.customerId ?? null, f.contractId ?? null, f.month ?? null];
    const where = `($1::text IS NULL OR region = $1) AND ($2::text IS NULL OR customer_id = $2) AND ($3::text IS NULL OR contract_id = $3)
      AND ($4::text IS NULL OR month = $4)`;
    const n = await selectCount(m, `SELECT count(*)::int AS n FROM "${this.s}".maintenance_records WHERE ${where}`, params);
    const items = await selectRows<MaintenanceRecord>(
      m,
      `SELECT ${RECORD} FROM "${this.s}".maintenance_records WHERE ${where} ORDER BY month DESC, contract_id LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return { items, total: n };
  }

  async setStatus(m: EntityManager, id: string, status: RecordStatus, by: string, at: Date): Promise<void> {
    const col = { reviewed: 'reviewed', sent: 'sent', archived: 'archived', draft: null }[status];
    await m.query(`UPDATE "${this.s}".maintenance_records SET status = $2, ${col}_by = $3, ${col}_at = $4 WHERE id = $1`, [
      id,
      status,
      by,
      at,
    ]);
  }
}
