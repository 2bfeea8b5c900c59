import { Injectable } from '@nestjs/common';
import { Clock, Principal } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Case } from '../cases/case.entity';
import { CaseTransitions, WorkLog } from './case-core';
import { OpenVendorCaseDto, UpdateVendorCaseDto } from './field.dto';
import { VendorCase, VendorCaseUpdate } from './field.entities';
import { actorOf, caseRef, conflict, notFound, visibleCase } from './field-errors';
import { Outbox } from '@aftersales/messaging';

/** The case with the upstream vendor (L4, 上级供应商 / 原厂): its number there, its status as the vendor reports it. */
@Injectable()
export class VendorCasesService {
  constructor(
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly transitions: CaseTransitions,
    private readonly workLog: WorkLog,
  ) {}

  async open(caseId: string, dto: OpenVendorCaseDto, by: Principal) {
    return this.dataSource.transaction(async (m) => {
      const c = await visibleCase(m, caseId, by, true);
      const existing = await m.findOneBy(VendorCase, { caseId: c.id });
      if (existing) throw conflict(`case ${c.caseNumber} already has vendor case ${existing.vendor} ${existing.vendorCaseNumber}`);
      if (c.status !== 'vendor-case-open') {
        await this.transitions.transition(m, c.id, 'vendor-case-open', actorOf(by), `vendor case ${dto.vendor} ${dto.vendorCaseNumber}`);
      }
      const now = this.clock.now();
      const vc = m.create(VendorCase, {
        id: randomUUID(),
        caseId: c.id,
        vendor: dto.vendor.trim(),
        vendorCaseNumber: dto.vendorCaseNumber.trim(),
        vendorStatus: dto.status?.trim() ?? 'open',
        openedBy: by.subject,
        openedAt: now,
        updatedAt: now,
      });
      await m.insert(VendorCase, vc);
      const update = await this.record(
        m,
        c,
        vc,
        null,
        by,
        `Vendor case opened with ${vc.vendor}: ${vc.vendorCaseNumber} (${vc.vendorStatus})`,
      );
      return this.view(vc, [update]);
    });
  }

  async update(caseId: string, dto: UpdateVendorCaseDto, by: Principal) {
    return this.dataSource.transaction(async (m) => {
      const c = await visibleCase(m, caseId, by, true);
      const vc = await m.findOne(VendorCase, { where: { caseId: c.id }, lock: { mode: 'pessimistic_write' } });
      if (!vc) throw notFound('id', `case ${c.caseNumber} has no vendor case: open one with POST /cases/${c.id}/vendor-case`);
      const from = vc.vendorStatus;
      vc.vendorStatus = dto.vendorStatus.trim();
      vc.updatedAt = this.clock.now();
      await m.update(VendorCase, { id: vc.id }, { vendorStatus: vc.vendorStatus, updatedAt: vc.updatedAt });
      const change = from === vc.vendorStatus ? `still ${vc.vendorStatus}` : `${from} → ${vc.vendorStatus}`;
      await this.record(
        m,
        c,
        vc,
        dto.note ?? null,
        by,
        `Vendor case ${vc.vendor} ${vc.vendorCaseNumber}: ${change}${dto.note ? `: ${dto.note}` : ''}`,
      );
      return this.view(vc, await this.history(m, vc.id));
    });
  }

  async get(caseId: string, by: Principal) {
    const m = this.dataSource.manager;
    const c = await visibleCase(m, caseId, by);
    const vc = await m.findOneBy(VendorCase, { caseId: c.id });
    if (!vc) throw notFound('id', `case ${c.caseNumber} has no vendor case`);
    return this.view(vc, await this.history(m, vc.id));
  }

  /** Status history row, `case.vendor-case.updated.v1` and an internal work-log entry, in the caller's transaction. */
  private async record(m: EntityManager, c: Case, vc: VendorCase, note: string | null, by: Principal, text: string) {
    const update = m.create(VendorCaseUpdate, {
      id: randomUUID(),
      vendorCaseId: vc.id,
      vendorStatus: vc.vendorStatus,
      note,
      bySubject: by.subject,
      at: vc.updatedAt,
    });
    await m.insert(VendorCaseUpdate, update);
    await this.outbox.append(m, [
      {
        type: 'case.vendor-case.updated.v1',
        aggregateType: 'case',
        aggregateId: c.id,
        data: {
          ...caseRef(c),
          vendor: vc.vendor,
          vendorCaseNumber: vc.vendorCaseNumber,
          vendorStatus: vc.vendorStatus,
          at: vc.updatedAt.toISOString(),
        },
      },
    ]);
    // back-office dealings with the vendor: staff see them, the customer sees the case status
    await this.workLog.append(m, {
      caseId: c.id,
      kind: 'vendor',
      public: false,
      actor: actorOf(by),
      text,
      data: { vendor: vc.vendor, vendorCaseNumber: vc.vendorCaseNumber, vendorStatus: vc.vendorStatus },
    });
    return update;
  }

  private history(m: EntityManager, vendorCaseId: string) {
    return m.find(VendorCaseUpdate, { where: { vendorCaseId }, order: { seq: 'ASC' } });
  }

  private view(vc: VendorCase, history: VendorCaseUpdate[]) {
    return {
      id: vc.id,
      caseId: vc.caseId,
      vendor: vc.vendor,
      vendorCaseNumber: vc.vendorCaseNumber,
      vendorStatus: vc.vendorStatus,
      openedBy: vc.openedBy,
      openedAt: vc.openedAt.toISOString(),
      updatedAt: vc.updatedAt.toISOString(),
      history: history.map((h) => ({ vendorStatus: h.vendorStatus, note: h.note, by: h.bySubject, at: h.at.toISOString() })),
    };
  }
}
