import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@aftersales/config';
import { SERVICE_CONFIG } from '@aftersales/platform';
import { selectOne, selectRows } from '@aftersales/persistence';
import { EntityManager } from 'typeorm';

/** What spares keeps of a case: where it is, how urgent, whose, and under which warranty. */
export interface CaseDemand {
  caseId: string;
  caseNumber: string | null;
  region: string;
  severity: string;
  customerId: string | null;
  serialNumber: string | null;
  productModel: string | null;
  warranty: string | null;
  contractId: string | null;
  warrantyEndsOn: string | null;
  openedAt: Date;
}

interface CaseDemandRow {
  case_id: string;
  case_number: string | null;
  region: string;
  severity: string;
  customer_id: string | null;
  serial_number: string | null;
  product_model: string | null;
  warranty: string | null;
  contract_id: string | null;
  warranty_ends_on: string | null;
  opened_at: Date;
}

const toDemand = (r: CaseDemandRow): CaseDemand => ({
  caseId: r.case_id,
  caseNumber: r.case_number,
  region: r.region,
  severity: r.severity,
  customerId: r.customer_id,
  serialNumber: r.serial_number,
  productModel: r.product_model,
  warranty: r.warranty,
  contractId: r.contract_id,
  warrantyEndsOn: r.warranty_ends_on,
  openedAt: r.opened_at,
});

/** The clock targets whose deadline a part must meet (escalation's row targets). */
export const PART_DEADLINE_TARGETS = ['onsite', 'resolution', 'ladder:resolution'];

/** Every SQL statement of case_demands (and the policy deadlines kept per case). */
@Injectable()
export class CaseDemandRepository {
  private readonly s: string;
  constructor(@Inject(SERVICE_CONFIG) config: ServiceConfig) {
    this.s = config.database.schema;
  }

  async record(m: EntityManager, c: CaseDemand): Promise<void> {
    await m.query(
      `INSERT INTO "${this.s}".case_demands
         (case_id, case_number, region, severity, customer_id, serial_number, product_model, warranty, contract_id, warranty_ends_on, opened_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (case_id) DO NOTHING`,
      [
        c.caseId,
        c.caseNumber,
        c.region,
        c.severity,
        c.customerId,
        c.serialNumber,
        c.productModel,
        c.warranty,
        c.contractId,
        c.warrantyEndsOn,
        c.openedAt,
      ],
    );
  }

  /** A deadline the case's SLA policy set for a target (the latest clock start wins: a reclassified case restarts its clocks). */
  async recordDeadline(m: EntityManager, caseId: string, target: string, dueAt: Date): Promise<void> {
    await m.query(
      `INSERT INTO "${this.s}".case_policy_deadlines (case_id, target, due_at) VALUES ($1, $2, $3)
       ON CONFLICT (case_id, target) DO UPDATE SET due_at = EXCLUDED.due_at`,
      [caseId, target, dueAt],
    );
  }

  /** The policy's deadline for a part of the case: on site first, else resolution; null when no clock told. */
  async policyDeadline(m: EntityManager, caseId: string): Promise<Date | null> {
    const r = await selectOne<{ due_at: Date }>(
      m,
      `SELECT due_at FROM "${this.s}".case_policy_deadlines WHERE case_id = $1 AND target = ANY($2::text[])
        ORDER BY CASE WHEN target = 'onsite' THEN 0 ELSE 1 END, due_at LIMIT 1`,
      [caseId, PART_DEADLINE_TARGETS],
    );
    return r ? r.due_at : null;
  }

  async get(m: EntityManager, caseId: string): Promise<CaseDemand | null> {
    const r = await selectOne<CaseDemandRow>(
      m,
      `SELECT *, to_char(warranty_ends_on, 'YYYY-MM-DD') AS warranty_ends_on FROM "${this.s}".case_demands WHERE case_id = $1`,
      [caseId],
    );
    return r ? toDemand(r) : null;
  }

  /** The regions of the cases spares knows under a contract: where the contract belongs. */
  async regionsOfContract(m: EntityManager, contractId: string): Promise<string[]> {
    const rows = await selectRows<{ region: string }>(m, `SELECT DISTINCT region FROM "${this.s}".case_demands WHERE contract_id = $1`, [
      contractId,
    ]);
    return rows.map((r) => r.region);
  }
}
