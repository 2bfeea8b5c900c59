import { Injectable } from '@nestjs/common';
import { Outbox, OutboxEvent } from '@aftersales/messaging';
import { EntityManager } from 'typeorm';
import { AgreementRepository } from '../agreements/agreement.repository';
import { ContactRecord, Contract, Site } from '../registry/registry.entities';
import { termsOf } from '../registry/registry-lookup';
import { MaintenanceRepository, Occurrence, Plan } from './maintenance.repository';
import { DueBatches, pointedAt } from './due-batch';
import { PlansService } from './plans.service';

/** What an inspection checks on a model nobody wrote a checklist for. */
export const DEFAULT_CHECKLIST = [
  { itemId: 'alarms', text: 'indicators, alarms and event log reviewed' },
  { itemId: 'health', text: 'fans, power supplies, disks and temperatures healthy' },
  { itemId: 'firmware', text: 'firmware and patches at the recommended level' },
];

/**
 * The maintenance timer rows that fell due, in batches claimed FOR UPDATE SKIP LOCKED (so two
 * replicas never take the same row) and marked in the transaction that announces them (so a row
 * is acted on once): announcements to the customer, then work orders and monthly records.
 */
@Injectable()
export class Occurrences {
  constructor(
    private readonly batches: DueBatches,
    private readonly repo: MaintenanceRepository,
    private readonly plans: PlansService,
    private readonly people: AgreementRepository,
    private readonly outbox: Outbox,
  ) {}

  async announceDue(): Promise<number> {
    const claim = (m: EntityManager, now: Date, limit: number) => this.repo.claimAnnouncements(m, now, limit);
    return this.batches.run(claim, async (m, o, now) => {
      const p = pointedAt(await this.repo.plan(m, o.planId), `plan ${o.planId}`);
      await this.repo.markAnnounced(m, o.id, now);
      await this.outbox.append(m, [
        {
          type: 'intake.maintenance.announced.v1',
          aggregateType: 'contract',
          aggregateId: o.contractId,
          data: {
            ...occurrenceRef(o, p, o.siteKey || null),
            kind: p.kind,
            channel: p.announceBy ?? 'email',
            recipients: await this.people.recipients(m, p.customerId, o.siteKey || null),
            scheduledFor: new Date(o.scheduledFor).toISOString(),
            announcedAt: now.toISOString(),
          },
        },
      ]);
    });
  }

  async openDue(): Promise<number> {
    const claim = (m: EntityManager, now: Date, limit: number) => this.repo.claimDue(m, now, limit);
    return this.batches.run(claim, async (m, o, now) => {
      const p = pointedAt(await this.repo.plan(m, o.planId), `plan ${o.planId}`);
      const contract = await m.findOneBy(Contract, { id: p.contractId });
      await this.repo.markOpened(m, o.id, now);
      if (contract) await this.outbox.append(m, [await this.eventOf(m, o, p, contract)]);
      await this.plans.materialize(m, p, o.seq + 1);
    });
  }

  private async eventOf(m: EntityManager, o: Occurrence, p: Plan, contract: Contract): Promise<OutboxEvent> {
    const contact = await this.contactOf(m, p.customerId, o.siteKey || null);
    if (p.kind === 'maintenance-record') {
      return {
        type: 'intake.maintenance-record.due.v1',
        aggregateType: 'contract',
        aggregateId: p.contractId,
        data: {
          occurrenceId: o.id,
          contractId: p.contractId,
          customerId: p.customerId,
          region: p.region,
          month: o.month!,
          from: new Date(o.from!).toISOString(),
          to: new Date(o.to!).toISOString(),
          ...(contact ? { contact } : {}),
        },
      };
    }
    const siteId = o.siteKey || null;
    const site = siteId ? await m.findOneBy(Site, { id: siteId }) : null;
    const assets = await this.repo.assetsAt(m, p.contractId, siteId);
    const lists = await this.repo.checklists(m, [...new Set(assets.map((a) => a.model))]);
    const checklist = assets.flatMap((a) =>
      (lists.get(a.model) ?? DEFAULT_CHECKLIST).map((i) => ({
        itemId: `${a.assetId}:${i.itemId}`,
        assetId: a.assetId,
        model: a.model,
        text: i.text,
      })),
    );
    return {
      type: 'intake.inspection.due.v1',
      aggregateType: 'contract',
      aggregateId: p.contractId,
      data: {
        ...occurrenceRef(o, p, siteId),
        ...(site ? { siteName: site.name } : {}),
        kind: p.kind === 'remote-check' ? 'remote' : 'on-site',
        contact: contact ?? { name: p.customerId },
        contract: termsOf(contract, null),
        assets: assets.map((a) => ({
          assetId: a.assetId,
          model: a.model,
          serialNumber: a.serialNumber,
          ...(a.productLine ? { productLine: a.productLine } : {}),
        })),
        checklist: checklist.length ? checklist : DEFAULT_CHECKLIST,
        scheduledFor: new Date(o.scheduledFor).toISOString(),
        dueBy: new Date(o.dueBy!).toISOString(),
      },
    };
  }

  /** The designated contact of the site, else of the customer. */
  private async contactOf(m: EntityManager, customerId: string, siteId: string | null) {
    const all = await m.find(ContactRecord, { where: { customerId, designated: true }, order: { id: 'ASC' }, take: 50 });
    const c = all.find((x) => siteId && x.siteId === siteId) ?? all[0];
    return c ? { name: c.name, ...(c.phone ? { phone: c.phone } : {}), ...(c.email ? { email: c.email } : {}) } : null;
  }
}

/** Which occurrence of which plan, contract, customer and site an event is about. */
function occurrenceRef(o: Occurrence, p: Plan, siteId: string | null) {
  const { contractId, customerId, region } = p;
  return { occurrenceId: o.id, planId: p.id, contractId, customerId, region, ...(siteId ? { siteId } : {}) };
}
