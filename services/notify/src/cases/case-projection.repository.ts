import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@aftersales/config';
import { SERVICE_CONFIG } from '@aftersales/platform';
import { EntityManager } from 'typeorm';
import { selectOne } from '@aftersales/persistence';

/** What notify keeps of a case: enough to name it, to reach its contact and its owner, and to apply the quiet rule. */
export interface CaseFacts {
  caseId: string;
  caseNumber: string | null;
  region: string;
  customerId: string | null;
  severity: string | null;
  coverage: 'business-hours' | '7x24' | null;
  contact: { name: string; email?: string; phone?: string } | null;
  ownerId: string | null;
  ownerName: string | null;
}

/** The case projection (`cases`), fed by case.opened.v1 and case.assigned.v1. */
@Injectable()
export class CaseProjectionRepository {
  private readonly t: string;

  constructor(@Inject(SERVICE_CONFIG) config: ServiceConfig) {
    this.t = `"${config.database.schema}".cases`;
  }

  async opened(m: EntityManager, c: Omit<CaseFacts, 'ownerId' | 'ownerName'>, at: Date): Promise<void> {
    await m.query(
      `INSERT INTO ${this.t} (case_id, case_number, region, customer_id, severity, coverage, contact, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (case_id) DO UPDATE SET case_number = $2, region = $3, customer_id = $4, severity = $5, coverage = $6,
         contact = $7, updated_at = $8`,
      [c.caseId, c.caseNumber, c.region, c.customerId, c.severity, c.coverage, JSON.stringify(c.contact), at],
    );
  }

  /** The case's owner; a case notify has not seen opened yet still gets a row (events of one case arrive in order, but be safe). */
  async assigned(
    m: EntityManager,
    a: { caseId: string; caseNumber: string; region: string; customerId: string; severity: string; ownerId: string; ownerName: string },
    at: Date,
  ): Promise<void> {
    await m.query(
      `INSERT INTO ${this.t} (case_id, case_number, region, customer_id, severity, owner_id, owner_name, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (case_id) DO UPDATE SET severity = $5, owner_id = $6, owner_name = $7, updated_at = $8`,
      [a.caseId, a.caseNumber, a.region, a.customerId, a.severity, a.ownerId, a.ownerName, at],
    );
  }

  /** A case number learnt from another event (a survey names its case): kept when the case is not known yet. */
  async remember(m: EntityManager, c: { caseId: string; caseNumber: string; region: string }, at: Date): Promise<void> {
    await m.query(
      `INSERT INTO ${this.t} (case_id, case_number, region, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (case_id) DO UPDATE SET case_number = COALESCE(${this.t}.case_number, $2)`,
      [c.caseId, c.caseNumber, c.region, at],
    );
  }

  async get(m: EntityManager, caseId: string): Promise<CaseFacts | undefined> {
    return selectOne<CaseFacts>(
      m,
      `SELECT case_id AS "caseId", case_number AS "caseNumber", region, customer_id AS "customerId", severity, coverage, contact,
              owner_id AS "ownerId", owner_name AS "ownerName"
         FROM ${this.t} WHERE case_id = $1`,
      [caseId],
    );
  }
}
