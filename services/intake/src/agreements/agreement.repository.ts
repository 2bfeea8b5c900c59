import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@aftersales/config';
import { SERVICE_CONFIG } from '@aftersales/platform';
import { selectCount, selectOne, selectRows } from '@aftersales/persistence';
import { EntityManager } from 'typeorm';

export interface Agreement {
  id: string;
  customerId: string;
  region: string;
  contractId: string | null;
  coverage: 'business-hours' | '7x24';
  calendarId: string | null;
  policyId: string | null;
  price: string;
  currency: string;
  startsOn: string;
  endsOn: string;
  assetIds: string[];
  createdBy: string;
  createdAt: Date;
}

export interface DueReminder {
  agreementId: string;
  daysBefore: number;
  dueAt: Date;
}

const COLUMNS = `a.id, a.customer_id AS "customerId", a.region, a.contract_id AS "contractId", a.coverage, a.calendar_id AS "calendarId",
  a.policy_id AS "policyId", a.price::text AS price, a.currency, a.starts_on::text AS "startsOn", a.ends_on::text AS "endsOn",
  a.created_by AS "createdBy", a.created_at AS "createdAt",
  ARRAY(SELECT x.asset_id FROM agreement_assets x WHERE x.agreement_id = a.id ORDER BY x.asset_id) AS "assetIds"`;

/** Every SQL statement of maintenance agreements, the assets they cover and their reminders. */
@Injectable()
export class AgreementRepository {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {}

  private get s(): string {
    return this.config.database.schema;
  }

  private select(where: string): string {
    return `SELECT ${COLUMNS.replaceAll('agreement_assets', `"${this.s}".agreement_assets`)} FROM "${this.s}".maintenance_agreements a WHERE ${where}`;
  }

  /** Locks the assets (so two agreements cannot be written on one asset at once) and answers which of them are the customer's. */
  async lockAssets(m: EntityManager, customerId: string, assetIds: readonly string[]): Promise<string[]> {
    const rows: Array<{ id: string }> = await m.query(
      `SELECT id FROM "${this.s}".assets WHERE id = ANY($1::text[]) AND customer_id = $2 ORDER BY id FOR UPDATE`,
      [assetIds, customerId],
    );
    return rows.map((r) => r.id);
  }

  async overlapping(m: EntityManager, assetIds: readonly string[], startsOn: string, endsOn: string) {
    return selectRows<{ agreementId: string; assetId: string; startsOn: string; endsOn: string }>(
      m,
      `SELECT agreement_id AS "agreementId", asset_id AS "assetId", starts_on::text AS "startsOn", ends_on::text AS "endsOn"
         FROM "${this.s}".agreement_assets
        WHERE asset_id = ANY($1::text[]) AND starts_on <= $3 AND $2 <= ends_on ORDER BY asset_id`,
      [assetIds, startsOn, endsOn],
    );
  }

  async insert(m: EntityManager, a: Agreement, reminders: readonly DueReminder[]): Promise<void> {
    await m.query(
      `INSERT INTO "${this.s}".maintenance_agreements
         (id, customer_id, region, contract_id, coverage, calendar_id, policy_id, price, currency, starts_on, ends_on, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        a.id,
        a.customerId,
        a.region,
        a.contractId,
        a.coverage,
        a.calendarId,
        a.policyId,
        a.price,
        a.currency,
        a.startsOn,
        a.endsOn,
        a.createdBy,
        a.createdAt,
      ],
    );
    await m.query(
      `INSERT INTO "${this.s}".agreement_assets (agreement_id, asset_id, starts_on, ends_on) SELECT $1, unnest($2::text[]), $3, $4`,
      [a.id, a.assetIds, a.startsOn, a.endsOn],
    );
    for (const r of reminders) {
      await m.query(`INSERT INTO "${this.s}".agreement_reminders (agreement_id, days_before, due_at) VALUES ($1, $2, $3)`, [
        r.agreementId,
        r.daysBefore,
        r.dueAt,
      ]);
    }
  }

  async get(m: EntityManager, id: string): Promise<Agreement | null> {
    return (await selectOne<Agreement>(m, this.select('a.id = $1'), [id])) ?? null;
  }

  async list(m: EntityManager, f: { region?: string; customerId?: string; assetId?: string }, limit: number, offset: number) {
    const conds: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      conds.push(sql.replace('?', `$${params.length}`));
    };
    if (f.region) add('a.region = ?', f.region);
    if (f.customerId) add('a.customer_id = ?', f.customerId);
    if (f.assetId) add(`a.id IN (SELECT agreement_id FROM "${this.s}".agreement_assets WHERE asset_id = ?)`, f.assetId);
    const where = conds.length ? conds.join(' AND ') : 'true';
    const n = await selectCount(m, `SELECT count(*)::int AS n FROM "${this.s}".maintenance_agreements a WHERE ${where}`, params);
    const items = await selectRows<Agreement>(
      m,
      `${this.select(where)} ORDER BY a.ends_on DESC, a.id LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return { items, total: n };
  }

  /** The agreements covering these assets (newest end first), for the desk and for intake's warranty status. */
  async forAssets(m: EntityManager, assetIds: readonly string[]): Promise<Array<Agreement & { assetId: string }>> {
    if (!assetIds.length) return [];
    return selectRows(
      m,
      `SELECT x.asset_id AS "assetId", ${COLUMNS.replaceAll('agreement_assets', `"${this.s}".agreement_assets`)}
         FROM "${this.s}".agreement_assets x JOIN "${this.s}".maintenance_agreements a ON a.id = x.agreement_id
        WHERE x.asset_id = ANY($1::text[]) ORDER BY a.ends_on DESC, a.id`,
      [assetIds],
    );
  }

  async reminders(m: EntityManager, agreementId: string) {
    return selectRows<{ daysBefore: number; dueAt: Date; sentAt: Date | null }>(
      m,
      `SELECT days_before AS "daysBefore", due_at AS "dueAt", sent_at AS "sentAt" FROM "${this.s}".agreement_reminders
        WHERE agreement_id = $1 ORDER BY days_before DESC`,
      [agreementId],
    );
  }

  /** Claims due reminders; a replica holding them makes the others skip them (SKIP LOCKED), sent_at makes it once. */
  async claimDueReminders(m: EntityManager, now: Date, limit: number): Promise<DueReminder[]> {
    return selectRows(
      m,
      `SELECT agreement_id AS "agreementId", days_before AS "daysBefore", due_at AS "dueAt" FROM "${this.s}".agreement_reminders
        WHERE sent_at IS NULL AND due_at <= $1 ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
  }

  async markSent(m: EntityManager, r: DueReminder, at: Date): Promise<void> {
    await m.query(`UPDATE "${this.s}".agreement_reminders SET sent_at = $3 WHERE agreement_id = $1 AND days_before = $2`, [
      r.agreementId,
      r.daysBefore,
      at,
    ]);
  }

  /** The customer's designated contacts (with their site's address, for a letter). */
  async recipients(m: EntityManager, customerId: string, siteId?: string | null) {
    const rows: Array<{ name: string; email: string | null; phone: string | null; address: string | null }> = await m.query(
      `SELECT c.name, c.email, c.phone, s.address FROM "${this.s}".contacts c LEFT JOIN "${this.s}".sites s ON s.id = COALESCE(c.site_id, $2)
        WHERE c.customer_id = $1 AND c.designated AND ($2::text IS NULL OR c.site_id IS NULL OR c.site_id = $2) ORDER BY c.id LIMIT 20`,
      [customerId, siteId ?? null],
    );
    return rows.map((r) => ({
      name: r.name,
      ...(r.email ? { email: r.email } : {}),
      ...(r.phone ? { phone: r.phone } : {}),
      ...(r.address ? { address: r.address } : {}),
    }));
  }
}
