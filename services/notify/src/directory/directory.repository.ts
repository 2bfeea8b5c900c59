import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@aftersales/config';
import { SERVICE_CONFIG } from '@aftersales/platform';
import { DataSource, EntityManager } from 'typeorm';
import { Address, Channel, DirectoryView, OnCallFeed, Person, Rotation, Shift } from '../domain';
import { changedRows, selectOne, selectRows } from '@aftersales/persistence';

/** A person in the directory, as the API shows them. */
export interface PersonRecord extends Person {
  region: string;
  roles: string[];
  updatedAt: Date;
}

export interface RotationRecord extends Rotation {
  updatedAt: Date;
}

export interface RoleAddress {
  region: string;
  role: string;
  channel: Channel;
  address: string;
}

const PERSON = `id, name, region, roles, language, email, phone, wecom, dingtalk, deputy_id AS "deputyId", away_from AS "awayFrom",
  away_until AS "awayUntil", updated_at AS "updatedAt"`;

/** People, their roles and addresses, on-call rotations, and addresses registered per role (`role_recipients`). */
@Injectable()
export class DirectoryRepository {
  private readonly s: string;

  constructor(
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
    private readonly db: DataSource,
  ) {
    this.s = `"${config.database.schema}"`;
  }

  async upsertPerson(p: Omit<PersonRecord, 'updatedAt'>, at: Date): Promise<PersonRecord> {
    const [row] = await selectRows<PersonRecord>(
      this.db,
      `INSERT INTO ${this.s}.people (id, name, region, roles, language, email, phone, wecom, dingtalk, deputy_id, away_from, away_until, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (id) DO UPDATE SET name = $2, region = $3, roles = $4, language = $5, email = $6, phone = $7, wecom = $8,
         dingtalk = $9, deputy_id = $10, away_from = $11, away_until = $12, updated_at = $13
       RETURNING ${PERSON}`,
      [p.id, p.name, p.region, p.roles, p.language, p.email, p.phone, p.wecom, p.dingtalk, p.deputyId, p.awayFrom, p.awayUntil, at],
    );
    if (!row) throw new Error(`upsert of person ${p.id} returned no row`);
    return row;
  }

  async person(id: string, m: EntityManager | DataSource = this.db): Promise<PersonRecord | undefined> {
    return selectOne<PersonRecord>(m, `SELECT ${PERSON} FROM ${this.s}.people WHERE id = $1`, [id]);
  }

  async deletePerson(id: string, region: string | undefined): Promise<boolean> {
    const rows = await changedRows(
      this.db,
      `DELETE FROM ${this.s}.people WHERE id = $1 AND ($2::text IS NULL OR region IN ($2, '*')) RETURNING id`,
      [id, region ?? null],
    );
    return rows.length === 1;
  }

  async people(
    f: { region?: string; role?: string },
    page: { limit: number; offset: number },
  ): Promise<{ items: PersonRecord[]; total: number }> {
    const w = `WHERE ($1::text IS NULL OR region IN ($1, '*')) AND ($2::text IS NULL OR $2 = ANY(roles))`;
    const args = [f.region ?? null, f.role ?? null];
    const counted = await selectOne<{ total: number }>(this.db, `SELECT count(*)::int AS total FROM ${this.s}.people ${w}`, args);
    const items = await selectRows<PersonRecord>(this.db, `SELECT ${PERSON} FROM ${this.s}.people ${w} ORDER BY id LIMIT $3 OFFSET $4`, [
      ...args,
      page.limit,
      page.offset,
    ]);
    return { items, total: counted?.total ?? 0 };
  }

  async putRotation(r: Rotation, at: Date): Promise<RotationRecord> {
    await this.db.query(
      `INSERT INTO ${this.s}.rotations (region, role, time_zone, shifts, ical, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (region, role) DO UPDATE SET time_zone = $3, shifts = $4, ical = $5, updated_at = $6`,
      [r.region, r.role, r.timeZone, JSON.stringify(r.shifts), r.ical ? JSON.stringify(r.ical) : null, at],
    );
    return { ...r, ical: r.ical ?? null, updatedAt: at };
  }

  async rotation(region: string, role: string): Promise<RotationRecord | undefined> {
    return selectOne<RotationRecord>(
      this.db,
      `SELECT region, role, time_zone AS "timeZone", shifts, ical, updated_at AS "updatedAt" FROM ${this.s}.rotations WHERE region = $1 AND role = $2`,
      [region, role],
    );
  }

  /** Rotations whose feed is fetched from a URL (refreshed in the background). */
  async fetchedFeeds(): Promise<RotationRecord[]> {
    return this.db.query(
      `SELECT region, role, time_zone AS "timeZone", shifts, ical, updated_at AS "updatedAt" FROM ${this.s}.rotations
        WHERE ical->>'url' IS NOT NULL ORDER BY region, role`,
    );
  }

  /** Replaces a fetched feed's copy, unless the rotation changed meanwhile (`url` no longer the same). */
  async refreshFeed(region: string, role: string, ical: OnCallFeed): Promise<boolean> {
    const rows = await changedRows(
      this.db,
      `UPDATE ${this.s}.rotations SET ical = $3 WHERE region = $1 AND role = $2 AND ical->>'url' = $4 RETURNING role`,
      [region, role, JSON.stringify(ical), ical.url],
    );
    return rows.length === 1;
  }

  /** Who a feed's events may name: the people of the region (every region for a '*' rotation). */
  async feedCandidates(region: string): Promise<Array<{ id: string; name: string; email: string | null }>> {
    return this.db.query(`SELECT id, name, email FROM ${this.s}.people WHERE $1 = '*' OR region IN ($1, '*') ORDER BY id`, [region]);
  }

  async deleteRotation(region: string, role: string): Promise<boolean> {
    const rows = await changedRows(this.db, `DELETE FROM ${this.s}.rotations WHERE region = $1 AND role = $2 RETURNING role`, [
      region,
      role,
    ]);
    return rows.length === 1;
  }

  /** Which of these ids are in the directory. */
  async existing(ids: string[]): Promise<Set<string>> {
    const rows: Array<{ id: string }> = await this.db.query(`SELECT id FROM ${this.s}.people WHERE id = ANY($1)`, [ids]);
    return new Set(rows.map((r) => r.id));
  }

  // ---- PUT /role-recipients ----------------------------------------------------------------

  async addRoleAddress(a: RoleAddress): Promise<void> {
    await this.db.query(
      `INSERT INTO ${this.s}.role_recipients (region, role, channel, address) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [a.region, a.role, a.channel, a.address],
    );
  }

  async removeRoleAddress(a: RoleAddress): Promise<void> {
    await this.db.query(`DELETE FROM ${this.s}.role_recipients WHERE region = $1 AND role = $2 AND channel = $3 AND address = $4`, [
      a.region,
      a.role,
      a.channel,
      a.address,
    ]);
  }

  async roleAddresses(region?: string): Promise<RoleAddress[]> {
    return this.db.query(
      `SELECT region, role, channel, address FROM ${this.s}.role_recipients WHERE ($1::text IS NULL OR region = $1)
        ORDER BY region, role, channel, address`,
      [region ?? null],
    );
  }

  /**
   * Everything resolution needs for these roles in one region, read in the event's transaction:
   * holders, rotations and the people on them, directly registered addresses, deputies (two hops
   * deep, enough for the domain's three with a second read) and the case owner.
   */
  async view(
    m: EntityManager,
    region: string,
    roles: readonly string[],
    caseOwner: { id: string; name: string } | null,
  ): Promise<DirectoryView> {
    const holders: PersonRecord[] = await m.query(
      `SELECT ${PERSON} FROM ${this.s}.people WHERE region IN ($1, '*') AND roles && $2::text[] ORDER BY id`,
      [region, roles],
    );
    const rotations: Rotation[] = await m.query(
      `SELECT region, role, time_zone AS "timeZone", shifts, ical FROM ${this.s}.rotations WHERE region IN ($1, '*') AND role = ANY($2)
        ORDER BY region = '*'`,
      [region, roles],
    );
    const direct: RoleAddress[] = await m.query(
      `SELECT region, role, channel, address FROM ${this.s}.role_recipients WHERE role = ANY($1) AND region IN ($2, '*')
        ORDER BY channel, address`,
      [roles, region],
    );
    const people = new Map<string, Person>(holders.map((p) => [p.id, p]));
    const wanted = (): string[] =>
      [
        ...rotations.flatMap((r) => [...r.shifts.map((s: Shift) => s.personId), ...Object.values(r.ical?.people ?? {})]),
        ...[...people.values()].map((p) => p.deputyId).filter((id): id is string => !!id),
        ...(caseOwner ? [caseOwner.id] : []),
      ].filter((id) => !people.has(id));
    for (let round = 0; round < 3 && wanted().length; round++) {
      const more: PersonRecord[] = await m.query(`SELECT ${PERSON} FROM ${this.s}.people WHERE id = ANY($1)`, [wanted()]);
      if (!more.length) break;
      for (const p of more) people.set(p.id, p);
    }
    return {
      holders: (role) => holders.filter((p) => p.roles.includes(role)),
      // a region's own rotation wins over one for every region
      rotation: (role) => rotations.find((r) => r.role === role),
      roleAddresses: (role): Address[] => direct.filter((d) => d.role === role).map((d) => ({ channel: d.channel, address: d.address })),
      person: (id) => people.get(id),
      caseOwner,
    };
  }
}
