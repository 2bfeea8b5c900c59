import { Injectable } from '@nestjs/common';
import { Outbox, OutboxEvent } from '@aftersales/messaging';
import { Clock } from '@aftersales/platform';
import { EntityManager } from 'typeorm';
import { baseEnd, caseExtension, extendedEnd } from '../domain/warranty-ledger';
import { CauseRow, LedgerLine, Subject, WarrantyLedgerRepository } from './warranty-ledger.repository';

const key = (x: Subject) => `${x.type}:${x.id}`;

/**
 * Recomputes a case's warranty lines from its facts (measured downtime, the cause on the case) and
 * the end of every warranty they touch — never adding to the end it finds, always base + lines, so
 * a corrected cause or a reopened case counts nothing twice.
 */
@Injectable()
export class WarrantyLedger {
  constructor(
    private readonly repo: WarrantyLedgerRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async recompute(m: EntityManager, caseId: string, cause?: { id: string; correlationId?: string }): Promise<void> {
    await this.repo.lockCase(m, caseId);
    const [facts, measured, request, before] = await Promise.all([
      this.repo.causeOf(m, caseId),
      this.repo.measured(m, caseId),
      this.repo.requestOf(m, caseId),
      this.repo.linesOfCase(m, caseId),
    ]);
    const contractId = facts?.contractId ?? measured[0]?.contractId ?? request.contractId;
    const subject = await this.subjectOf(m, facts?.assetId ?? request.assetId, contractId);
    const ext = caseExtension({
      cause: facts?.cause ?? null,
      measuredMinutes: measured.map((d) => d.minutes),
      declaredMinutes: facts?.declaredMinutes ?? null,
    });
    const now = this.clock.now();
    const lines: LedgerLine[] =
      subject && ext.minutes > 0
        ? [
            {
              caseId,
              caseNumber: facts?.caseNumber ?? request.caseNumber,
              subjectType: subject.type,
              subjectId: subject.id,
              cause: facts?.cause ?? null,
              ...ext,
              classifiedBy: facts?.classifiedBy ?? null,
              updatedAt: now,
            },
          ]
        : [];
    await this.repo.replaceLines(m, caseId, lines);
    const touched = new Map<string, Subject>();
    for (const l of [...before, ...lines])
      touched.set(key({ type: l.subjectType, id: l.subjectId }), { type: l.subjectType, id: l.subjectId });
    const events: OutboxEvent[] = [];
    // in key order: two cases extending the same warranties lock them in the same order
    for (const x of [...touched.values()].sort((a, b) => key(a).localeCompare(key(b)))) {
      const e = await this.applyEnd(m, x, contractId, caseId, now);
      if (e) events.push({ ...e, cause });
    }
    if (events.length) await this.outbox.append(m, events);
  }

  /**
   * Where a case's downtime counts: the asset's own warranty, else (its warranty is the contract's,
   * or the case names no asset) the contract's — contract-wide coverage, so every asset without a
   * warranty of its own moves with it.
   */
  private async subjectOf(m: EntityManager, assetId: string | null, contractId: string | null): Promise<Subject | null> {
    const asset = assetId ? await this.repo.assetWarranty(m, assetId) : null;
    if (asset?.endsOn) return { type: 'asset', id: assetId! };
    const contract = asset?.contractId ?? contractId;
    return contract ? { type: 'contract', id: contract } : null;
  }

  private async applyEnd(m: EntityManager, x: Subject, contractId: string | null, caseId: string, now: Date): Promise<OutboxEvent | null> {
    const current = await this.repo.lockEnd(m, x);
    if (!current?.endsOn) return null; // gone from the registry (or another region's)
    const recorded = await this.repo.base(m, x);
    const lines = await this.repo.linesOf(m, [x]);
    const base = baseEnd(current.endsOn, recorded);
    const endsOn = extendedEnd(base, lines);
    if (!recorded && endsOn === current.endsOn) return null; // never extended: nothing to remember
    await this.repo.applyEnd(m, x, base, endsOn, now);
    if (endsOn === current.endsOn) return null;
    const days = lines.reduce((a, l) => a + l.days, 0);
    const owner = current.contractId ?? contractId;
    if (!owner) return null; // an asset without a contract has no clocks or cases to tell
    return {
      type: 'intake.warranty.changed.v1',
      aggregateType: x.type,
      aggregateId: x.id,
      data: {
        contractId: owner,
        ...(x.type === 'asset' ? { assetId: x.id } : {}),
        warrantyEndsOn: endsOn,
        reason: `warranty ledger: base ${base} + ${days} days of supplier-caused downtime (recomputed for case ${caseId})`,
      },
    };
  }

  static causeRow(d: {
    caseId: string;
    caseNumber: string;
    cause: CauseRow['cause'];
    reason: string;
    declaredMinutes: number | null;
    assetId?: string;
    contractId?: string;
    actor: { subject: string };
    at: string;
  }): CauseRow {
    return {
      caseId: d.caseId,
      caseNumber: d.caseNumber,
      cause: d.cause,
      reason: d.reason,
      declaredMinutes: d.declaredMinutes,
      assetId: d.assetId ?? null,
      contractId: d.contractId ?? null,
      classifiedBy: d.actor.subject,
      classifiedAt: new Date(d.at),
    };
  }
}
