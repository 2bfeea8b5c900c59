import { Inject, Injectable } from '@nestjs/common';
import { EventData } from '@aftersales/contracts';
import { Principal, SERVICE_CONFIG } from '@aftersales/platform';
import { DataSource, EntityManager } from 'typeorm';
import { ServiceConfig } from '@aftersales/config';
import { ExclusionSubject } from '../domain/exclusion';
import { Ownership } from '../domain/ownership';
import { scopeSql } from '../shared/scope';

/** What survey keeps of a case: enough to survey it after close and to name its owners in the report. */
export interface SurveyCase extends Ownership, ExclusionSubject {
  caseId: string;
  caseNumber: string;
  requestId: string | null;
  customerId: string;
  contact: { name: string; phone?: string; email?: string };
  severity: string | null;
  relatedCaseId: string | null;
  status: string;
  openedAt: Date;
  closedAt: Date | null;
}

interface Row {
  case_id: string;
  case_number: string;
  request_id: string | null;
  customer_id: string;
  contact: SurveyCase['contact'];
  region: string;
  case_type: string;
  severity: string | null;
  service_mode: string | null;
  product_line: string | null;
  contract_id: string | null;
  related_case_id: string | null;
  status: string;
  owner_id: string | null;
  owner_name: string | null;
  owner_tier: string | null;
  escalation_owner_id: string | null;
  escalation_owner_name: string | null;
  escalated_since_assignment: boolean;
  tags: string[];
  opened_at: Date;
  closed_at: Date | null;
}

const toCase = (r: Row): SurveyCase => ({
  caseId: r.case_id,
  caseNumber: r.case_number,
  requestId: r.request_id,
  customerId: r.customer_id,
  contact: r.contact,
  region: r.region,
  caseType: r.case_type,
  severity: r.severity,
  serviceMode: r.service_mode,
  productLine: r.product_line,
  contractId: r.contract_id,
  relatedCaseId: r.related_case_id,
  status: r.status,
  ownerId: r.owner_id,
  ownerName: r.owner_name,
  ownerTier: r.owner_tier,
  escalationOwnerId: r.escalation_owner_id,
  escalationOwnerName: r.escalation_owner_name,
  escalatedSinceAssignment: r.escalated_since_assignment,
  tags: r.tags,
  openedAt: r.opened_at,
  closedAt: r.closed_at,
});

/** Every SQL statement on `survey_cases`. */
@Injectable()
export class SurveyCasesRepository {
  private readonly s: string;
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly dataSource: DataSource,
  ) {
    this.s = config.database.schema;
  }

  async insertOpened(m: EntityManager, c: EventData<'case.opened.v1'>): Promise<void> {
    await m.query(
      `INSERT INTO "${this.s}".survey_cases (case_id, case_number, request_id, customer_id, contact, region, case_type, severity,
         service_mode, product_line, contract_id, related_case_id, opened_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (case_id) DO NOTHING`,
      [
        c.caseId,
        c.caseNumber,
        c.requestId,
        c.customerId,
        JSON.stringify(c.contact),
        c.region,
        c.caseType,
        c.severity,
        c.serviceMode,
        c.productLine ?? null,
        c.contract?.contractId ?? null,
        c.relatedCaseId ?? null,
        c.openedAt,
      ],
    );
  }

  /** The case under a row lock (events of one case arrive in order; the lock guards against a concurrent tag edit). */
  async lock(m: EntityManager, caseId: string): Promise<SurveyCase | undefined> {
    const rows: Row[] = await m.query(`SELECT * FROM "${this.s}".survey_cases WHERE case_id = $1 FOR UPDATE`, [caseId]);
    return rows[0] && toCase(rows[0]);
  }

  async get(caseId: string, by: Principal, m: EntityManager = this.dataSource.manager): Promise<SurveyCase | undefined> {
    const params: unknown[] = [caseId];
    const rows: Row[] = await m.query(`SELECT * FROM "${this.s}".survey_cases WHERE case_id = $1${scopeSql(by, params)}`, params);
    return rows[0] && toCase(rows[0]);
  }

  async saveOwnership(m: EntityManager, caseId: string, o: Ownership): Promise<void> {
    await m.query(
      `UPDATE "${this.s}".survey_cases SET owner_id = $2, owner_name = $3, owner_tier = $4, escalation_owner_id = $5,
         escalation_owner_name = $6, escalated_since_assignment = $7 WHERE case_id = $1`,
      [caseId, o.ownerId, o.ownerName, o.ownerTier, o.escalationOwnerId, o.escalationOwnerName, o.escalatedSinceAssignment],
    );
  }

  /** Closing records when; a reopen clears it (the case is surveyed when it closes again). */
  async saveStatus(m: EntityManager, caseId: string, status: string, at: string): Promise<void> {
    await m.query(
      `UPDATE "${this.s}".survey_cases SET status = $2,
         closed_at = CASE WHEN $2 = 'closed' THEN $3::timestamptz WHEN $2 = 'reopened' THEN NULL ELSE closed_at END
       WHERE case_id = $1`,
      [caseId, status, at],
    );
  }

  async saveTags(m: EntityManager, caseId: string, tags: string[]): Promise<void> {
    await m.query(`UPDATE "${this.s}".survey_cases SET tags = $2 WHERE case_id = $1`, [caseId, tags]);
  }

  /** Regions with closed cases not yet surveyed or excluded, closed in `[from, to)`. */
  async regionsToSurvey(from: Date, to: Date): Promise<string[]> {
    const rows: Array<{ region: string }> = await this.dataSource.query(
      `SELECT DISTINCT c.region FROM "${this.s}".survey_cases c
        WHERE c.status = 'closed' AND c.closed_at >= $1 AND c.closed_at < $2
          AND NOT EXISTS (SELECT 1 FROM "${this.s}".surveys v WHERE v.case_id = c.case_id AND v.case_closed_at = c.closed_at)
          AND NOT EXISTS (SELECT 1 FROM "${this.s}".survey_exclusions x WHERE x.case_id = c.case_id AND x.case_closed_at = c.closed_at)
        ORDER BY 1`,
      [from, to],
    );
    return rows.map((r) => r.region);
  }

  /** A region's cases closed in `[from, to)` and still closed, whose closing was neither surveyed nor excluded. */
  async closedUnsurveyed(m: EntityManager, region: string, from: Date, to: Date): Promise<SurveyCase[]> {
    const rows: Row[] = await m.query(
      `SELECT c.* FROM "${this.s}".survey_cases c
        WHERE c.region = $1 AND c.status = 'closed' AND c.closed_at >= $2 AND c.closed_at < $3
          AND NOT EXISTS (SELECT 1 FROM "${this.s}".surveys v WHERE v.case_id = c.case_id AND v.case_closed_at = c.closed_at)
          AND NOT EXISTS (SELECT 1 FROM "${this.s}".survey_exclusions x WHERE x.case_id = c.case_id AND x.case_closed_at = c.closed_at)
        ORDER BY c.closed_at, c.case_id`,
      [region, from, to],
    );
    return rows.map(toCase);
  }
}
