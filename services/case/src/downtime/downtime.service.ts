import { Injectable } from '@nestjs/common';
import { Clock, Principal } from '@aftersales/platform';
import { Outbox } from '@aftersales/messaging';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { WorkLog } from '../cases/work-log.service';
import { periodMinutes, periodProblems } from '../domain/downtime';
import { actorOf, caseRef, conflict, invalid, visibleCase } from '../field/field-errors';
import { Classification, DowntimeRepository } from './downtime.repository';
import { ClassifyDowntimeDto, DowntimeView } from './downtime.dto';

/**
 * Who caused a case's downtime: set or corrected by staff with a reason, at any time (a correction
 * after the case closed is how a wrong classification is put right). Each setting is audited (its
 * own row and a work-log entry) and announced with `case.downtime.classified.v1`; intake's
 * warranty ledger recomputes the case's extension from it.
 */
@Injectable()
export class DowntimeService {
  constructor(
    private readonly ds: DataSource,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly repo: DowntimeRepository,
    private readonly workLog: WorkLog,
  ) {}

  async classify(caseId: string, d: ClassifyDowntimeDto, by: Principal): Promise<DowntimeView> {
    const now = this.clock.now();
    const periods = d.periods?.map((p) => ({ from: new Date(p.from), to: new Date(p.to) }));
    const problems = periods ? periodProblems(periods, now) : [];
    if (problems.length) throw invalid(problems);
    return this.ds.transaction(async (m) => {
      const c = await visibleCase(m, caseId, by, true);
      if (c.caseType === 'inspection') throw conflict('an inspection work order has no downtime', 'cause');
      const previousCause = await this.repo.causeOf(m, c.id);
      const row: Classification = {
        id: randomUUID(),
        caseId: c.id,
        cause: d.cause,
        previousCause,
        reason: d.reason.trim(),
        periods: periods?.map((p) => ({ from: p.from.toISOString(), to: p.to.toISOString() })) ?? null,
        actor: actorOf(by),
        at: now,
      };
      await this.repo.record(m, row);
      const declared = periods ? `, ${periodMinutes(periods)} min declared in ${periods.length} period(s)` : '';
      await this.workLog.append(m, {
        caseId: c.id,
        kind: 'system',
        public: false,
        actor: row.actor,
        text: `downtime cause ${previousCause ? `${previousCause} → ` : ''}${d.cause}${declared}: ${row.reason}`,
        data: { downtime: { cause: d.cause, previousCause, periods: row.periods } },
      });
      await this.outbox.append(m, [
        {
          type: 'case.downtime.classified.v1',
          aggregateType: 'case',
          aggregateId: c.id,
          data: {
            ...caseRef(c),
            severity: c.severity,
            ...(c.assetId ? { assetId: c.assetId } : {}),
            ...(c.contract?.contractId ? { contractId: c.contract.contractId } : {}),
            cause: d.cause,
            previousCause,
            reason: row.reason,
            ...(row.periods ? { periods: row.periods } : {}),
            actor: row.actor,
            at: now.toISOString(),
          },
        },
      ]);
      return this.view(c.id, d.cause, await this.repo.history(m, c.id));
    });
  }

  async get(caseId: string, by: Principal): Promise<DowntimeView> {
    const m = this.ds.manager;
    const c = await visibleCase(m, caseId, by);
    return this.view(c.id, await this.repo.causeOf(m, c.id), await this.repo.history(m, c.id));
  }

  private view(caseId: string, cause: string | null, history: Classification[]): DowntimeView {
    return {
      caseId,
      cause,
      history: history.map((h) => ({
        id: h.id,
        cause: h.cause,
        previousCause: h.previousCause,
        reason: h.reason,
        periods: h.periods,
        actor: h.actor,
        at: h.at.toISOString(),
      })),
    };
  }
}
