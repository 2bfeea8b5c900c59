import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@aftersales/config';
import { SERVICE_CONFIG } from '@aftersales/platform';
import { selectOne, selectRows } from '@aftersales/persistence';
import { EntityManager } from 'typeorm';
import { WarrantySubject } from '@aftersales/contracts';
import { DowntimeCause } from '../domain/warranty-ledger';

export type Subject = WarrantySubject;
export type SubjectType = Subject['type'];

export interface CauseRow {
  caseId: string;
  caseNumber: string | null;
  cause: DowntimeCause;
  reason: string;
  declaredMinutes: number | null;
  assetId: string | null;
  contractId: string | null;
  classifiedBy: string;
  classifiedAt: Date;
}

export interface LedgerLine {
  caseId: string;
  caseNumber: string | null;
  subjectType: SubjectType;
  subjectId: string;
  cause: DowntimeCause | null;
  minutes: number;
  days: number;
  counted: boolean;
  source: 'measured' | 'declared';
  note: string;
  classifiedBy: string | null;
  updatedAt: Date;
}

/** Every SQL statement of the warranty ledger's tables (and the warranty ends it moves). */
@Injectable()
export class WarrantyLedgerRepository {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {}

  private get s(): string {
    return this.config.database.schema;
  }

  /** Serializes recomputations of one case (its facts arrive on two topics at once). */
  async lockCase(m: EntityManager, caseId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`${this.s}:warranty-case:${caseId}`]);
  }

  async addDowntime(m: EntityManager, d: { clockId: string; caseId: string; contractId: string; from: Date; to: Date; minutes: number }) {
    await m.query(
      `INSERT INTO "${this.s}".warranty_downtimes (clock_id, case_id, contract_id, from_at, to_at, minutes)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (clock_id) DO UPDATE SET to_at = EXCLUDED.to_at, minutes = EXCLUDED.minutes`,
      [d.clockId, d.caseId, d.contractId, d.from, d.to, d.minutes],
    );
  }

  async measured(m: EntityManager, caseId: string): Promise<Array<{ minutes: number; contractId: string | null }>> {
    const rows: Array<{ minutes: number; contract_id: string | null }> = await m.query(
      `SELECT minutes, contract_id FROM "${this.s}".warranty_downtimes WHERE case_id = $1 ORDER BY from_at`,
      [caseId],
    );
    return rows.map((r) => ({ minutes: r.minutes, contractId: r.contract_id }));
  }

  async saveCause(m: EntityManager, c: CauseRow): Promise<void> {
    await m.query(
      `INSERT INTO "${this.s}".warranty_case_causes
         (case_id, case_number, cause, reason, declared_minutes, asset_id, contract_id, classified_by, classified_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (case_id) DO UPDATE SET case_number = EXCLUDED.case_number, cause = EXCLUDED.cause, reason = EXCLUDED.reason,
         declared_minutes = EXCLUDED.declared_minutes, asset_id = EXCLUDED.asset_id, contract_id = EXCLUDED.contract_id,
         classified_by = EXCLUDED.classified_by, classified_at = EXCLUDED.classified_at
       WHERE warranty_case_causes.classified_at <= EXCLUDED.classified_at`,
      [c.caseId, c.caseNumber, c.cause, c.reason, c.declaredMinutes, c.assetId, c.contractId, c.classifiedBy, c.classifiedAt],
    );
  }

  async causeOf(m: EntityManager, caseId: string): Promise<CauseRow | null> {
    const r = await selectOne<CauseRow>(
      m,
      `SELECT case_id AS "caseId", case_number AS "caseNumber", cause, reason, declared_minutes AS "declaredMinutes",
              asset_id AS "assetId", contract_id AS "contractId", classified_by AS "classifiedBy", classified_at AS "classifiedAt"
         FROM "${this.s}".warranty_case_causes WHERE case_id = $1`,
      [caseId],
    );
    return r ?? null;
  }

  /** What intake itself knows of the case: the request it opened from (asset, contract, number). */
  async requestOf(
    m: EntityManager,
    caseId: string,
  ): Promise<{ assetId: string | null; contractId: string | null; caseNumber: string | null }> {
    const r = await selectOne<{ assetId: string | null; contractId: string | null; caseNumber: string | null }>(
      m,
      `SELECT asset_id AS "assetId", contract->>'contractId' AS "contractId", case_number AS "caseNumber"
         FROM "${this.s}".service_requests WHERE case_id = $1 AND linked_request_id IS NULL ORDER BY received_at LIMIT 1`,
      [caseId],
    );
    return r ?? { assetId: null, contractId: null, caseNumber: null };
  }

  async linesOfCase(m: EntityManager, caseId: string): Promise<LedgerLine[]> {
    return this.lines(m, `case_id = $1`, [caseId]);
  }

  async linesOf(m: EntityManager, subjects: readonly Subject[]): Promise<LedgerLine[]> {
    if (!subjects.length) return [];
    return this.lines(m, `(subject_type, subject_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`, [
      subjects.map((x) => x.type),
      subjects.map((x) => x.id),
    ]);
  }

  private async lines(m: EntityManager, where: string, params: unknown[]): Promise<LedgerLine[]> {
    return selectRows(
      m,
      `SELECT case_id AS "caseId", case_number AS "caseNumber", subject_type AS "subjectType", subject_id AS "subjectId", cause,
              minutes, days, counted, source, note, classified_by AS "classifiedBy", updated_at AS "updatedAt"
         FROM "${this.s}".warranty_extensions WHERE ${where} ORDER BY updated_at, case_id`,
      params,
    );
  }

  async replaceLines(m: EntityManager, caseId: string, lines: readonly LedgerLine[]): Promise<void> {
    await m.query(`DELETE FROM "${this.s}".warranty_extensions WHERE case_id = $1`, [caseId]);
    for (const l of lines) {
      await m.query(
        `INSERT INTO "${this.s}".warranty_extensions
           (case_id, subject_type, subject_id, case_number, cause, minutes, days, counted, source, note, classified_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          l.caseId,
          l.subjectType,
          l.subjectId,
          l.caseNumber,
          l.cause,
          l.minutes,
          l.days,
          l.counted,
          l.source,
          l.note,
          l.classifiedBy,
          l.updatedAt,
        ],
      );
    }
  }

  /** The subject's current warranty end under its row lock (a contract without one: its end of contract, as before). */
  async lockEnd(m: EntityManager, x: Subject): Promise<{ endsOn: string | null; contractId: string | null } | null> {
    if (x.type === 'asset') {
      const r = await selectOne<{ endsOn: string | null; contractId: string | null }>(
        m,
        `SELECT warranty_ends_on::text AS "endsOn", contract_id AS "contractId" FROM "${this.s}".assets WHERE id = $1 FOR UPDATE`,
        [x.id],
      );
      return r ?? null;
    }
    const r = await selectOne<{ endsOn: string | null; contractId: string | null }>(
      m,
      `SELECT COALESCE(warranty_ends_on, ends_on)::text AS "endsOn", id AS "contractId" FROM "${this.s}".contracts WHERE id = $1 FOR UPDATE`,
      [x.id],
    );
    return r ?? null;
  }

  /** The asset's own warranty end (null: its warranty is its contract's). */
  async assetWarranty(m: EntityManager, assetId: string): Promise<{ endsOn: string | null; contractId: string | null } | null> {
    const r = await selectOne<{ endsOn: string | null; contractId: string | null }>(
      m,
      `SELECT warranty_ends_on::text AS "endsOn", contract_id AS "contractId" FROM "${this.s}".assets WHERE id = $1`,
      [assetId],
    );
    return r ?? null;
  }

  async base(m: EntityManager, x: Subject): Promise<{ baseEndsOn: string; appliedEndsOn: string } | null> {
    const r = await selectOne<{ baseEndsOn: string; appliedEndsOn: string }>(
      m,
      `SELECT base_ends_on::text AS "baseEndsOn", applied_ends_on::text AS "appliedEndsOn"
         FROM "${this.s}".warranty_bases WHERE subject_type = $1 AND subject_id = $2`,
      [x.type, x.id],
    );
    return r ?? null;
  }

  async bases(m: EntityManager, subjects: readonly Subject[]): Promise<Array<Subject & { baseEndsOn: string }>> {
    if (!subjects.length) return [];
    return selectRows(
      m,
      `SELECT subject_type AS type, subject_id AS id, base_ends_on::text AS "baseEndsOn" FROM "${this.s}".warranty_bases
        WHERE (subject_type, subject_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [subjects.map((x) => x.type), subjects.map((x) => x.id)],
    );
  }

  async applyEnd(m: EntityManager, x: Subject, baseEndsOn: string, endsOn: string, now: Date): Promise<void> {
    await m.query(
      `INSERT INTO "${this.s}".warranty_bases (subject_type, subject_id, base_ends_on, applied_ends_on) VALUES ($1, $2, $3, $4)
       ON CONFLICT (subject_type, subject_id) DO UPDATE SET base_ends_on = EXCLUDED.base_ends_on, applied_ends_on = EXCLUDED.applied_ends_on`,
      [x.type, x.id, baseEndsOn, endsOn],
    );
    const table = x.type === 'asset' ? 'assets' : 'contracts';
    await m.query(`UPDATE "${this.s}".${table} SET warranty_ends_on = $2, updated_at = $3 WHERE id = $1`, [x.id, endsOn, now]);
  }
}
