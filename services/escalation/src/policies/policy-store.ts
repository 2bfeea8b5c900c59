import { Inject, Injectable } from '@nestjs/common';
import { Clock, SERVICE_CONFIG } from '@aftersales/platform';
import { DataSource, EntityManager } from 'typeorm';
import { LADDER_B, PRESET_POLICIES, SlaPolicy } from '../domain';
import { ServiceConfig } from '@aftersales/config';

/** The policy a region falls back to when neither the contract nor an admin names one. */
export const DEFAULT_POLICY_ID = LADDER_B.id;

/**
 * SLA policies as data. Presets (ladders A and B, version 1) are built in; admins add versions in
 * `sla_policies`. A version never changes once written, so `(id, version)` lookups are cached for
 * good; "latest" is read from the database each time (new versions must be seen at once).
 */
@Injectable()
export class PolicyStore {
  private readonly cache = new Map<string, SlaPolicy>(PRESET_POLICIES.map((p) => [`${p.id}@${p.version}`, p]));

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  private get s(): string {
    return this.config.database.schema;
  }

  /** A given version (what a running clock keeps); throws for an unknown one — that is a bug, not input. */
  async version(id: string, version: number, m: EntityManager = this.dataSource.manager): Promise<SlaPolicy> {
    const key = `${id}@${version}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const rows: Array<{ definition: SlaPolicy }> = await m.query(
      `SELECT definition FROM "${this.s}".sla_policies WHERE id = $1 AND version = $2`,
      [id, version],
    );
    if (!rows[0]) throw new Error(`unknown SLA policy ${key}`);
    this.cache.set(key, rows[0].definition);
    return rows[0].definition;
  }

  /** The newest version of a policy, or undefined. */
  async latest(id: string, m: EntityManager = this.dataSource.manager): Promise<SlaPolicy | undefined> {
    const rows: Array<{ version: number }> = await m.query(
      `SELECT max(version)::int AS version FROM "${this.s}".sla_policies WHERE id = $1`,
      [id],
    );
    const stored = rows[0]?.version ?? null;
    const preset = PRESET_POLICIES.filter((p) => p.id === id).sort((a, b) => b.version - a.version)[0];
    if (stored !== null && (!preset || stored > preset.version)) return this.version(id, stored, m);
    return preset;
  }

  /** Which policy a new clock runs under: the contract's, else the region's default, else ladder B. */
  async forNewClock(contractPolicyId: string | undefined, region: string, m: EntityManager): Promise<SlaPolicy> {
    if (contractPolicyId) {
      const p = await this.latest(contractPolicyId, m);
      if (p) return p;
    }
    const rows: Array<{ policy_id: string }> = await m.query(`SELECT policy_id FROM "${this.s}".region_policies WHERE region = $1`, [
      region,
    ]);
    const regional = rows[0] ? await this.latest(rows[0].policy_id, m) : undefined;
    return regional ?? ((await this.latest(DEFAULT_POLICY_ID, m)) as SlaPolicy);
  }

  /** The policy new clocks of a region run under when their contract names none. */
  async setRegionDefault(region: string, policyId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO "${this.s}".region_policies (region, policy_id, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (region) DO UPDATE SET policy_id = EXCLUDED.policy_id, updated_at = EXCLUDED.updated_at`,
      [region, policyId, this.clock.now()],
    );
  }

  /** Stores the next version of `policy.id` (1 for a new id, presets included) and returns it. */
  async addVersion(policy: Omit<SlaPolicy, 'version'>, by: string, m: EntityManager): Promise<SlaPolicy> {
    // one writer per policy id at a time, so two admins cannot both write version n+1
    await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`sla-policy:${this.s}:${policy.id}`]);
    const current = await this.latest(policy.id, m);
    const next: SlaPolicy = { ...policy, version: (current?.version ?? 0) + 1 };
    await m.query(
      `INSERT INTO "${this.s}".sla_policies (id, version, name, definition, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [next.id, next.version, next.name, JSON.stringify(next), by, this.clock.now()],
    );
    return next;
  }

  /** Every policy id with its latest version (presets included). */
  async list(): Promise<SlaPolicy[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(`SELECT DISTINCT id FROM "${this.s}".sla_policies`);
    const ids = new Set([...PRESET_POLICIES.map((p) => p.id), ...rows.map((r) => r.id)]);
    const out: SlaPolicy[] = [];
    for (const id of [...ids].sort()) out.push((await this.latest(id)) as SlaPolicy);
    return out;
  }
}
