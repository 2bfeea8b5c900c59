import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { BusinessCalendar } from '@aftersales/calendar';
import { Clock, Principal, problemException, SERVICE_SETTINGS, visibleTo } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { planProblems, slot, Where } from '../domain/maintenance-schedule';
import { CalendarRecord, Contract, Site } from '../registry/registry.entities';
import { MaintenanceSettings } from './maintenance.config';
import { CreatePlanDto, ChecklistDto } from './maintenance.dto';
import { MaintenanceRepository, Plan } from './maintenance.repository';

/**
 * Maintenance plans of a contract (frequencies, lead time and announcement channel as data) and
 * the checklists of asset models. A plan's next occurrence is always a row in the table: the
 * first is written with the plan, each next one when its predecessor opens.
 */
@Injectable()
export class PlansService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: MaintenanceRepository,
    private readonly clock: Clock,
    @Inject(SERVICE_SETTINGS) private readonly settings: MaintenanceSettings,
  ) {}

  async create(contractId: string, d: CreatePlanDto, by: Principal) {
    return this.ds.transaction(async (m) => {
      const contract = await this.contract(m, contractId, by);
      if (d.siteId && d.kind === 'maintenance-record')
        throw problemException(400, [{ field: 'siteId', reason: 'a maintenance record covers the whole contract' }]);
      if (d.siteId && !(await m.findOneBy(Site, { id: d.siteId, customerId: contract.customerId }))) {
        throw problemException(422, [{ field: 'siteId', reason: `${d.siteId} is not a site of ${contract.customerId}` }]);
      }
      const p: Plan = {
        id: randomUUID(),
        contractId: contract.id,
        customerId: contract.customerId,
        region: contract.region,
        kind: d.kind,
        siteId: d.siteId ?? null,
        everyMonths: d.everyMonths,
        leadDays: d.kind === 'maintenance-record' ? 0 : (d.leadDays ?? 14),
        announceBy: d.kind === 'maintenance-record' ? null : (d.announceBy ?? 'email'),
        completeWithinDays: d.completeWithinDays ?? 10,
        startsOn: d.startsOn ?? contract.startsOn,
        endsOn: d.endsOn ?? contract.endsOn,
        createdBy: by.subject,
        createdAt: this.clock.now(),
      };
      const problems = planProblems(p);
      if (problems.length) throw problemException(400, problems);
      await this.repo.insertPlan(m, p);
      // the first occurrence not already past (a plan recorded mid-contract starts now)
      let seq = 0;
      const where = await this.where(m, contract);
      for (let s = slot(p, 0, where); s && s.scheduledFor < p.createdAt; s = slot(p, seq, where)) seq++;
      await this.materialize(m, p, seq, where);
      return this.view(m, p);
    });
  }

  async list(contractId: string, by: Principal) {
    const m = this.ds.manager;
    await this.contract(m, contractId, by);
    return { items: await Promise.all((await this.repo.plansOf(m, contractId)).map((p) => this.view(m, p))) };
  }

  async occurrences(contractId: string, by: Principal, limit: number, offset: number) {
    const m = this.ds.manager;
    await this.contract(m, contractId, by);
    return { ...(await this.repo.occurrences(m, { contractId }, limit, offset)), limit, offset };
  }

  /** Writes occurrence `seq` of the plan (one per site for a plan over all sites); nothing after the plan's end. */
  async materialize(m: EntityManager, p: Plan, seq: number, where?: Where): Promise<void> {
    const w = where ?? (await this.where(m, (await m.findOneBy(Contract, { id: p.contractId }))!));
    const s = slot(p, seq, w);
    if (!s) return;
    const sites = p.kind !== 'inspection' ? [''] : p.siteId ? [p.siteId] : await this.repo.sitesOf(m, p.contractId);
    for (const site of sites.length ? sites : ['']) await this.repo.insertOccurrence(m, randomUUID(), p, site, s);
  }

  /** The contract's calendar and zone, as schedules read them. */
  async where(m: EntityManager, contract: Contract): Promise<Where> {
    const rec = contract.calendarId ? await m.findOneBy(CalendarRecord, { id: contract.calendarId }) : null;
    return {
      calendar: rec ? new BusinessCalendar(rec.definition) : null,
      timeZone: this.settings.INTAKE_MAINTENANCE_TIME_ZONE,
      defaultTime: this.settings.INTAKE_REMINDER_TIME,
    };
  }

  async setChecklist(model: string, d: ChecklistDto, by: Principal) {
    const ids = d.items.map((i) => i.itemId);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup) throw problemException(400, [{ field: 'items', reason: `itemId ${dup} appears twice` }]);
    await this.ds.transaction((m) => this.repo.saveChecklist(m, model, d.items, by.subject, this.clock.now()));
    return this.checklist(model);
  }

  async checklist(model: string) {
    const c = await this.repo.checklist(this.ds.manager, model);
    if (!c) throw new NotFoundException({ statusCode: 404, message: `no checklist for model ${model}` });
    return c;
  }

  private async contract(m: EntityManager, id: string, by: Principal): Promise<Contract> {
    const c = await m.findOneBy(Contract, { id, ...visibleTo(by) });
    if (!c)
      throw new NotFoundException({
        statusCode: 404,
        message: `contract ${id} not found`,
        errors: [{ field: 'contractId', reason: 'not found' }],
      });
    return c;
  }

  private async view(m: EntityManager, p: Plan) {
    const next = await this.repo.occurrences(m, { planId: p.id }, 20, 0);
    return { ...p, createdAt: new Date(p.createdAt).toISOString(), next: next.items.filter((o) => !o.openedAt) };
  }
}
