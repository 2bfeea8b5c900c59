import { Controller } from '@nestjs/common';
import { Envelope, HandlerContext, OnEvent, Outbox } from '@aftersales/messaging';
import { Clock } from '@aftersales/platform';
import { selectOne } from '@aftersales/persistence';
import { EntityManager } from 'typeorm';
import { Case } from '../cases/case.entity';
import { CaseTransitions, SYSTEM_ACTOR } from '../cases/case-transitions.service';
import { WorkLog } from '../cases/work-log.service';
import { InspectionsRepository } from './inspections.repository';

/**
 * Opens the work order of an inspection or remote check that fell due on the contract's calendar:
 * a case of type `inspection` (P4, on site or remote) with the checklist intake drew from the asset
 * models, triaged at once and left for the desk to assign. Announced as `case.inspection.opened.v1`,
 * not `case.opened.v1`: no incident clocks, no acknowledgement, no survey — escalation holds its
 * completion deadline instead. The occurrence id is the inspection's id (and the case's request
 * id), so a redelivery opens nothing twice.
 */
@Controller()
export class InspectionOpener {
  constructor(
    private readonly repo: InspectionsRepository,
    private readonly transitions: CaseTransitions,
    private readonly workLog: WorkLog,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  @OnEvent('intake.inspection.due.v1', { consumer: 'case.open-inspection' })
  async onDue(e: Envelope<'intake.inspection.due.v1'>, { manager: m }: HandlerContext): Promise<void> {
    const d = e.data;
    if (await m.findOneBy(Case, { requestId: d.occurrenceId })) return;
    const now = this.clock.now();
    const opened = await this.insertCase(m, d, now);
    await this.repo.insert(
      m,
      {
        id: d.occurrenceId,
        caseId: opened.id,
        contractId: d.contractId,
        siteId: d.siteId ?? null,
        siteName: d.siteName ?? null,
        kind: d.kind,
        assets: d.assets.map((a) => ({ assetId: a.assetId, model: a.model, serialNumber: a.serialNumber })),
        scheduledFor: new Date(d.scheduledFor),
        dueBy: new Date(d.dueBy),
        status: 'open',
        signedAt: null,
      },
      d.checklist,
    );
    await this.workLog.append(m, {
      caseId: opened.id,
      kind: 'system',
      public: true,
      actor: SYSTEM_ACTOR,
      text: `${opened.symptom}: ${d.checklist.length} checklist items, report due by ${d.dueBy}`,
      data: { inspectionId: d.occurrenceId, planId: d.planId },
    });
    await this.transitions.transition(m, opened.id, 'triaged', SYSTEM_ACTOR, 'preventive maintenance plan', { cause: e });
    await this.outbox.append(m, [
      {
        type: 'case.inspection.opened.v1',
        aggregateType: 'case',
        aggregateId: opened.id,
        cause: e,
        data: {
          caseId: opened.id,
          caseNumber: opened.caseNumber,
          region: opened.region,
          customerId: opened.customerId,
          inspectionId: d.occurrenceId,
          contractId: d.contractId,
          ...(d.siteId ? { siteId: d.siteId } : {}),
          kind: d.kind,
          scheduledFor: d.scheduledFor,
          dueBy: d.dueBy,
          items: d.checklist.length,
          at: now.toISOString(),
        },
      },
    ]);
  }

  private async insertCase(m: EntityManager, d: Envelope<'intake.inspection.due.v1'>['data'], now: Date): Promise<Case> {
    const s = m.connection.driver.schema!;
    const next = await selectOne<{ seq: string }>(m, `SELECT nextval('"${s}".case_number_seq') AS seq`);
    if (!next) throw new Error('nextval answered no row');
    const { seq } = next;
    const what = d.kind === 'remote' ? 'remote check' : `inspection of ${d.siteName ?? d.siteId ?? 'the contract'}`;
    const c = m.create(Case, {
      id: d.occurrenceId,
      caseNumber: `${d.region.toUpperCase()}-${d.scheduledFor.slice(0, 4)}-${String(seq).padStart(6, '0')}`,
      requestId: d.occurrenceId,
      region: d.region,
      customerId: d.customerId,
      contact: d.contact,
      severity: 'P4',
      symptom: `preventive maintenance: ${what} (contract ${d.contractId})`,
      serialNumber: null,
      status: 'received',
      openedAt: now,
      caseType: 'inspection',
      assetId: null,
      productLine: d.assets[0]?.productLine ?? null,
      productModel: null,
      errorCodes: [],
      serviceMode: d.kind === 'remote' ? 'remote' : 'on-site',
      warranty: 'unknown',
      contract: d.contract,
      channel: null,
      relatedCaseId: null,
      reopenCount: 0,
    });
    await m.insert(Case, c);
    return c;
  }
}
