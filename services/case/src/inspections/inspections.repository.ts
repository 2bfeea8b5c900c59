import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@aftersales/config';
import { SERVICE_CONFIG } from '@aftersales/platform';
import { selectOne, selectRows } from '@aftersales/persistence';
import { EntityManager } from 'typeorm';
import { ItemResult, Party } from '../domain/inspection';

export interface Inspection {
  id: string;
  caseId: string;
  contractId: string;
  siteId: string | null;
  siteName: string | null;
  kind: 'on-site' | 'remote';
  assets: Array<{ assetId: string; model: string; serialNumber: string }>;
  scheduledFor: Date;
  dueBy: Date;
  status: 'open' | 'signed';
  signedAt: Date | null;
}

export interface Item {
  itemId: string;
  assetId: string | null;
  model: string | null;
  text: string;
  result: ItemResult | null;
  note: string | null;
  recordedBy: string | null;
  recordedAt: Date | null;
}

const INSPECTION = `i.id, i.case_id AS "caseId", i.contract_id AS "contractId", i.site_id AS "siteId", i.site_name AS "siteName", i.kind,
  i.assets, i.scheduled_for AS "scheduledFor", i.due_by AS "dueBy", i.status, i.signed_at AS "signedAt"`;

/** Every SQL statement of inspection work orders: the order, its checklist, findings and signatures. */
@Injectable()
export class InspectionsRepository {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {}

  private get s(): string {
    return this.config.database.schema;
  }

  async insert(m: EntityManager, i: Inspection, items: ReadonlyArray<{ itemId: string; assetId?: string; model?: string; text: string }>) {
    await m.query(
      `INSERT INTO "${this.s}".inspections (id, case_id, contract_id, site_id, site_name, kind, assets, scheduled_for, due_by, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open')`,
      [i.id, i.caseId, i.contractId, i.siteId, i.siteName, i.kind, JSON.stringify(i.assets), i.scheduledFor, i.dueBy],
    );
    await m.query(
      `INSERT INTO "${this.s}".inspection_items (inspection_id, item_id, position, asset_id, model, text)
       SELECT $1, x.item_id, x.position, x.asset_id, x.model, x.text
         FROM jsonb_to_recordset($2::jsonb) AS x(item_id text, position int, asset_id text, model text, text text)`,
      [
        i.id,
        JSON.stringify(
          items.map((t, n) => ({ item_id: t.itemId, position: n, asset_id: t.assetId ?? null, model: t.model ?? null, text: t.text })),
        ),
      ],
    );
  }

  /** The inspection as `scope` may see it (its case's region / customer), optionally locked. */
  async get(m: EntityManager, id: string, scope: { region?: string; customerId?: string }, lock = false): Promise<Inspection | null> {
    const r = await selectOne<Inspection>(
      m,
      `SELECT ${INSPECTION} FROM "${this.s}".inspections i JOIN "${this.s}".cases c ON c.id = i.case_id
        WHERE i.id = $1 AND ($2::text IS NULL OR c.region = $2) AND ($3::text IS NULL OR c.customer_id = $3)${lock ? ' FOR UPDATE OF i' : ''}`,
      [id, scope.region ?? null, scope.customerId ?? null],
    );
    return r ?? null;
  }

  async list(
    m: EntityManager,
    f: { region?: string; customerId?: string; contractId?: string; status?: string },
    limit: number,
    offset: number,
  ) {
    const params = [f.region ?? null, f.customerId ?? null, f.contractId ?? null, f.status ?? null];
    const where = `($1::text IS NULL OR c.region = $1) AND ($2::text IS NULL OR c.customer_id = $2)
      AND ($3::text IS NULL OR i.contract_id = $3) AND ($4::text IS NULL OR i.status = $4)`;
    const from = `"${this.s}".inspections i JOIN "${this.s}".cases c ON c.id = i.case_id`;
    const count = await selectOne<{ n: number }>(m, `SELECT count(*)::int AS n FROM ${from} WHERE ${where}`, params);
    const items = await selectRows<Inspection>(
      m,
      `SELECT ${INSPECTION} FROM ${from} WHERE ${where} ORDER BY i.scheduled_for, i.id LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return { items, total: count?.n ?? 0 };
  }

  async items(m: EntityManager, id: string): Promise<Item[]> {
    return selectRows(
      m,
      `SELECT item_id AS "itemId", asset_id AS "assetId", model, text, result, note, recorded_by AS "recordedBy", recorded_at AS "recordedAt"
         FROM "${this.s}".inspection_items WHERE inspection_id = $1 ORDER BY position`,
      [id],
    );
  }

  async recordResult(m: EntityManager, id: string, itemId: string, r: { result: ItemResult; note: string | null; by: string; at: Date }) {
    // a SELECT around the UPDATE: TypeORM answers a bare UPDATE with [rows, count]
    const rows = await selectRows<unknown>(
      m,
      `WITH u AS (UPDATE "${this.s}".inspection_items SET result = $3, note = $4, recorded_by = $5, recorded_at = $6
        WHERE inspection_id = $1 AND item_id = $2 RETURNING item_id) SELECT item_id FROM u`,
      [id, itemId, r.result, r.note, r.by, r.at],
    );
    return rows.length > 0;
  }

  async addFinding(
    m: EntityManager,
    f: {
      id: string;
      inspectionId: string;
      itemId: string | null;
      symptom: string;
      severity: string;
      requestId: string;
      by: string;
      at: Date;
    },
  ) {
    await m.query(
      `INSERT INTO "${this.s}".inspection_findings (id, inspection_id, item_id, symptom, severity, request_id, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [f.id, f.inspectionId, f.itemId, f.symptom, f.severity, f.requestId, f.by, f.at],
    );
  }

  /** Findings with the case each opened (by its request id). */
  async findings(m: EntityManager, id: string) {
    return selectRows<{
      id: string;
      itemId: string | null;
      symptom: string;
      severity: string;
      createdBy: string;
      createdAt: Date;
      caseId: string | null;
      caseNumber: string | null;
      caseStatus: string | null;
    }>(
      m,
      `SELECT f.id, f.item_id AS "itemId", f.symptom, f.severity, f.created_by AS "createdBy", f.created_at AS "createdAt",
              c.id AS "caseId", c.case_number AS "caseNumber", c.status AS "caseStatus"
         FROM "${this.s}".inspection_findings f LEFT JOIN "${this.s}".cases c ON c.request_id = f.request_id
        WHERE f.inspection_id = $1 ORDER BY f.created_at, f.id`,
      [id],
    );
  }

  async sign(m: EntityManager, id: string, party: Party, name: string, by: string, at: Date): Promise<boolean> {
    const rows = await selectRows<unknown>(
      m,
      `INSERT INTO "${this.s}".inspection_signatures (inspection_id, party, signer_name, signed_by, signed_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING party`,
      [id, party, name, by, at],
    );
    return rows.length > 0;
  }

  async signatures(m: EntityManager, id: string) {
    return selectRows<{ party: Party; signerName: string; signedBy: string; signedAt: Date }>(
      m,
      `SELECT party, signer_name AS "signerName", signed_by AS "signedBy", signed_at AS "signedAt"
         FROM "${this.s}".inspection_signatures WHERE inspection_id = $1 ORDER BY party`,
      [id],
    );
  }

  async markSigned(m: EntityManager, id: string, at: Date): Promise<void> {
    await m.query(`UPDATE "${this.s}".inspections SET status = 'signed', signed_at = $2 WHERE id = $1`, [id, at]);
  }
}
