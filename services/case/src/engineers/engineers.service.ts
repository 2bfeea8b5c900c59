import { Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { Clock, Page } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { OPEN } from '../domain/case-lifecycle';
import { Candidate } from '../domain/assignment-policy';
import { Engineer } from './engineer.entity';
import { CreateEngineerDto, EngineerQuery, UpdateEngineerDto } from './engineers.dto';
import { Outbox } from '@aftersales/messaging';

export type EngineerView = Engineer & { load: number };

const unprocessable = (field: string, reason: string) =>
  new UnprocessableEntityException({ statusCode: 422, message: 'validation failed', errors: [{ field, reason }] });

/** The engineers directory: who can take which cases, and how many they hold now. */
@Injectable()
export class EngineersService {
  constructor(
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}

  /** Open cases owned, per engineer. */
  async loads(m: EntityManager, ids: string[]): Promise<Map<string, number>> {
    if (!ids.length) return new Map();
    const rows: Array<{ assignee_id: string; n: string }> = await m.query(
      `SELECT assignee_id, count(*) AS n FROM "${this.outbox.schema}".cases
        WHERE assignee_id = ANY($1) AND status = ANY($2) GROUP BY assignee_id`,
      [ids, OPEN],
    );
    return new Map(rows.map((r) => [r.assignee_id, Number(r.n)]));
  }

  /** Everyone cases could go to, with their load (inactive ones too: a complaint needs the owner's superior chain). */
  async candidates(m: EntityManager): Promise<Candidate[]> {
    const all = await m.find(Engineer);
    const load = await this.loads(
      m,
      all.map((e) => e.id),
    );
    return all.map((e) => ({ ...e, load: load.get(e.id) ?? 0 }));
  }

  async list(q: EngineerQuery): Promise<Page<EngineerView>> {
    const qb = this.dataSource.getRepository(Engineer).createQueryBuilder('e');
    if (q.region) qb.andWhere('e.region = :region', { region: q.region });
    if (q.tier) qb.andWhere('e.tier = :tier', { tier: q.tier });
    if (q.skill) qb.andWhere('lower(:skill) = ANY (SELECT lower(s) FROM unnest(e.skills) s)', { skill: q.skill });
    if (q.active !== undefined) qb.andWhere('e.active = :active', { active: q.active });
    const [items, total] = await qb
      .orderBy('e.region')
      .addOrderBy('e.tier')
      .addOrderBy('e.id')
      .take(q.limit)
      .skip(q.offset)
      .getManyAndCount();
    return { items: await this.withLoad(items), total, limit: q.limit, offset: q.offset };
  }

  async get(id: string): Promise<EngineerView> {
    const e = await this.dataSource.getRepository(Engineer).findOneBy({ id });
    if (!e) throw new NotFoundException(`engineer ${id} not found`);
    const [view] = await this.withLoad([e]);
    if (!view) throw new Error(`engineer ${id}: no view of a loaded engineer`);
    return view;
  }

  async create(dto: CreateEngineerDto): Promise<EngineerView> {
    return this.dataSource.transaction(async (m) => {
      const id = dto.id ?? randomUUID();
      if (await m.existsBy(Engineer, { id })) throw unprocessable('id', `engineer ${id} already exists`);
      if (dto.superiorId !== undefined) await this.checkSuperior(m, id, dto.superiorId);
      const now = this.clock.now();
      const e = m.create(Engineer, {
        id,
        name: dto.name,
        tier: dto.tier,
        grade: dto.grade,
        skills: dto.skills ?? [],
        region: dto.region,
        superiorId: dto.superiorId ?? null,
        senior: dto.senior ?? false,
        active: dto.active ?? true,
        maxLoad: dto.maxLoad ?? 10,
        createdAt: now,
        updatedAt: now,
      });
      await m.insert(Engineer, e);
      return { ...e, load: 0 };
    });
  }

  async update(id: string, dto: UpdateEngineerDto): Promise<EngineerView> {
    await this.dataSource.transaction(async (m) => {
      const e = await m.findOne(Engineer, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!e) throw new NotFoundException(`engineer ${id} not found`);
      if (dto.superiorId !== undefined && dto.superiorId !== null) await this.checkSuperior(m, id, dto.superiorId);
      const patch: Partial<Engineer> = { updatedAt: this.clock.now() };
      for (const k of ['name', 'tier', 'grade', 'skills', 'region', 'superiorId', 'senior', 'active', 'maxLoad'] as const) {
        if (dto[k] !== undefined) (patch as Record<string, unknown>)[k] = dto[k];
      }
      await m.update(Engineer, { id }, patch);
    });
    return this.get(id);
  }

  /** Engineers stay in the directory (cases and complaints refer to them): removing one deactivates it. */
  async deactivate(id: string): Promise<EngineerView> {
    return this.update(id, { active: false });
  }

  /** The superior must exist and must not be the engineer or report to it (no cycles in the chain). */
  private async checkSuperior(m: EntityManager, id: string, superiorId: string): Promise<void> {
    let at: string | null = superiorId;
    for (let hops = 0; at !== null; hops++) {
      if (at === id) throw unprocessable('superiorId', 'an engineer cannot report to itself, directly or through others');
      const up: Engineer | null = await m.findOneBy(Engineer, { id: at });
      if (!up) throw unprocessable('superiorId', hops === 0 ? `engineer ${superiorId} does not exist` : `broken chain at ${at}`);
      at = up.superiorId;
      if (hops > 100) throw unprocessable('superiorId', 'the chain of superiors is too long');
    }
  }

  private async withLoad(items: Engineer[]): Promise<EngineerView[]> {
    const load = await this.loads(
      this.dataSource.manager,
      items.map((e) => e.id),
    );
    return items.map((e) => ({ ...e, load: load.get(e.id) ?? 0 }));
  }
}
