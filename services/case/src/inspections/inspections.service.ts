import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { EventData, EventEnvelope, parseEventData } from '@aftersales/contracts';
import { Inbox, Outbox } from '@aftersales/messaging';
import { Clock, Principal, visibleTo } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Case } from '../cases/case.entity';
import { CaseTransitions, SYSTEM_ACTOR } from '../cases/case-transitions.service';
import { CasesService } from '../cases/cases.service';
import { WorkLog } from '../cases/work-log.service';
import { isComplete, Party, PARTIES, signBlocker, tally } from '../domain/inspection';
import { actorOf, caseRef, conflict, invalidField, isCustomerOnly } from '../field/field-errors';
import { FindingDto, InspectionView, ItemResultDto } from './inspections.dto';
import { Inspection, InspectionsRepository } from './inspections.repository';

const STAFF = ['engineer', 'agent', 'manager', 'admin'];
const isStaff = (by: Principal) => by.roles.some((r) => STAFF.includes(r));

/**
 * An inspection work order's life: results per checklist item, findings that open ordinary cases,
 * and the report signed by the customer and the engineer — which completes the work order
 * (`case.inspection.completed.v1`: escalation's deadline is met) and closes its case.
 */
@Injectable()
export class InspectionsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: InspectionsRepository,
    private readonly cases: CasesService,
    private readonly transitions: CaseTransitions,
    private readonly workLog: WorkLog,
    private readonly outbox: Outbox,
    private readonly inbox: Inbox,
    private readonly clock: Clock,
  ) {}

  async get(id: string, by: Principal): Promise<InspectionView> {
    const m = this.ds.manager;
    return this.view(m, await this.found(m, id, by));
  }

  async list(by: Principal, f: { contractId?: string; status?: string }, limit: number, offset: number) {
    const m = this.ds.manager;
    const page = await this.repo.list(m, { ...visibleTo(by), ...f }, limit, offset);
    return { items: await Promise.all(page.items.map((i) => this.view(m, i))), total: page.total, limit, offset };
  }

  async recordResult(id: string, itemId: string, d: ItemResultDto, by: Principal) {
    this.staffOnly(by);
    return this.ds.transaction(async (m) => {
      const i = await this.found(m, id, by, true);
      if (i.status === 'signed') throw conflict(`inspection ${id} is signed: its results are final`, 'itemId');
      const now = this.clock.now();
      if (!(await this.repo.recordResult(m, i.id, itemId, { result: d.result, note: d.note?.trim() || null, by: by.subject, at: now }))) {
        throw new NotFoundException({
          statusCode: 404,
          message: `no item ${itemId} on inspection ${id}`,
          errors: [{ field: 'itemId', reason: 'not on the checklist' }],
        });
      }
      return this.view(m, i);
    });
  }

  /** A finding opens an ordinary case for the customer (same contract), linked from the work order. */
  async addFinding(id: string, d: FindingDto, by: Principal) {
    this.staffOnly(by);
    const findingId = randomUUID();
    const requestId = randomUUID();
    const opened = await this.ds.transaction(async (m) => {
      const i = await this.found(m, id, by, true);
      if (i.status === 'signed') throw conflict(`inspection ${id} is signed: open a case at the desk instead`, 'symptom');
      const items = await this.repo.items(m, i.id);
      if (d.itemId && !items.some((x) => x.itemId === d.itemId)) throw invalidField('itemId', `no item ${d.itemId} on this checklist`);
      const assetId = d.assetId ?? items.find((x) => x.itemId === d.itemId)?.assetId ?? undefined;
      const asset = assetId ? i.assets.find((a) => a.assetId === assetId) : undefined;
      if (assetId && !asset) throw invalidField('assetId', `asset ${assetId} is not covered by this work order`);
      const c = (await m.findOneBy(Case, { id: i.caseId }))!;
      const now = this.clock.now();
      await this.repo.addFinding(m, {
        id: findingId,
        inspectionId: i.id,
        itemId: d.itemId ?? null,
        symptom: d.symptom.trim(),
        severity: d.severity ?? 'P3',
        requestId,
        by: by.subject,
        at: now,
      });
      await this.workLog.append(m, {
        caseId: c.id,
        kind: 'system',
        public: true,
        actor: actorOf(by),
        text: `finding: ${d.symptom.trim()} — a ${d.severity ?? 'P3'} case is opened for it`,
        data: { findingId, itemId: d.itemId ?? null, requestId },
      });
      return this.findingRequest(c, requestId, d, asset, now);
    });
    const request = {
      id: requestId,
      type: 'intake.request.received.v1',
      source: 'aftersales/case/inspection',
      subject: requestId,
      time: opened.receivedAt,
      data: opened,
    } as EventEnvelope<EventData<'intake.request.received.v1'>>;
    // the path intake's requests take, under the same inbox consumer: a retried finding opens one case
    const committed: Array<() => void> = [];
    await this.inbox.handleOnce('case.open-from-request', request, (manager) =>
      this.cases.openFromRequest(request, { manager, afterCommit: (fn) => void committed.push(fn) }),
    );
    for (const fn of committed) fn();
    return this.get(id, by);
  }

  async sign(id: string, party: string, typedName: string, by: Principal) {
    if (!PARTIES.includes(party as Party)) throw invalidField('party', 'party must be customer or engineer');
    if (isCustomerOnly(by) && party !== 'customer') throw new ForbiddenException('a customer signs as the customer only');
    if (party === 'engineer' && !by.roles.some((r) => ['engineer', 'manager', 'admin'].includes(r))) {
      throw new ForbiddenException('the engineer signs as the engineer (or a manager records it)');
    }
    return this.ds.transaction(async (m) => {
      const i = await this.found(m, id, by, true);
      if (i.status === 'signed') throw conflict(`inspection ${id} is already signed`, 'party');
      const blocker = signBlocker(await this.repo.items(m, i.id));
      if (blocker) throw conflict(blocker, 'items');
      const now = this.clock.now();
      if (!(await this.repo.sign(m, i.id, party as Party, typedName.trim(), by.subject, now))) {
        throw conflict(`the ${party} already signed inspection ${id}`, 'party');
      }
      await this.workLog.append(m, {
        caseId: i.caseId,
        kind: 'report',
        public: true,
        actor: actorOf(by),
        text: `${party === 'customer' ? 'Customer' : 'Engineer'} ${typedName.trim()} signed the inspection report`,
        data: { inspectionId: i.id, party },
      });
      const signed = (await this.repo.signatures(m, i.id)).map((s) => s.party);
      if (isComplete(signed)) await this.complete(m, i, now);
      return this.view(m, (await this.repo.get(m, i.id, {}))!);
    });
  }

  private async complete(m: EntityManager, i: Inspection, now: Date): Promise<void> {
    await this.repo.markSigned(m, i.id, now);
    const c = (await m.findOneBy(Case, { id: i.caseId }))!;
    const t = tally(await this.repo.items(m, i.id));
    const findings = (await this.repo.findings(m, i.id)).length;
    await this.outbox.append(m, [
      {
        type: 'case.inspection.completed.v1',
        aggregateType: 'case',
        aggregateId: c.id,
        data: {
          ...caseRef(c),
          inspectionId: i.id,
          contractId: i.contractId,
          kind: i.kind,
          items: t.items,
          failed: t.failed,
          findings,
          signedAt: now.toISOString(),
        },
      },
    ]);
    if (c.status !== 'closed')
      await this.transitions.transition(m, c.id, 'closed', SYSTEM_ACTOR, 'inspection report signed by customer and engineer');
  }

  private findingRequest(
    c: Case,
    requestId: string,
    d: FindingDto,
    asset: { assetId: string; model: string; serialNumber: string } | undefined,
    now: Date,
  ) {
    return parseEventData('intake.request.received.v1', {
      requestId,
      region: c.region,
      customerId: c.customerId,
      contact: c.contact,
      channel: 'phone',
      severity: d.severity ?? 'P3',
      symptom: `found at inspection ${c.caseNumber}: ${d.symptom.trim()}`,
      receivedAt: now.toISOString(),
      ...(asset ? { assetId: asset.assetId, serialNumber: asset.serialNumber, productModel: asset.model } : {}),
      ...(c.productLine ? { productLine: c.productLine } : {}),
      serviceMode: c.serviceMode === 'remote' ? 'remote' : 'on-site',
      ...(c.contract ? { contract: c.contract } : {}),
    });
  }

  private staffOnly(by: Principal): void {
    if (!isStaff(by)) throw new ForbiddenException('staff only');
  }

  private async found(m: EntityManager, id: string, by: Principal, lock = false): Promise<Inspection> {
    const i = await this.repo.get(m, id, visibleTo(by), lock);
    if (!i)
      throw new NotFoundException({
        statusCode: 404,
        message: `inspection ${id} not found`,
        errors: [{ field: 'id', reason: 'not found' }],
      });
    return i;
  }

  private async view(m: EntityManager, i: Inspection): Promise<InspectionView> {
    const [items, findings, signatures, c] = await Promise.all([
      this.repo.items(m, i.id),
      this.repo.findings(m, i.id),
      this.repo.signatures(m, i.id),
      m.findOneByOrFail(Case, { id: i.caseId }),
    ]);
    return {
      id: i.id,
      caseId: i.caseId,
      caseNumber: c.caseNumber,
      contractId: i.contractId,
      siteId: i.siteId,
      kind: i.kind,
      scheduledFor: new Date(i.scheduledFor).toISOString(),
      dueBy: new Date(i.dueBy).toISOString(),
      status: i.status,
      signedAt: i.signedAt ? new Date(i.signedAt).toISOString() : null,
      items,
      tally: tally(items),
      findings,
      signatures,
    };
  }
}
