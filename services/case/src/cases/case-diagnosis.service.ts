import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Principal, visibleTo } from '@aftersales/platform';
import { OPEN } from '../domain/case-lifecycle';
import { Case } from './case.entity';
import { DiagnosisDto } from './cases.dto';
import { actorOf } from './cases.service';
import { WorkLog } from './work-log.service';
import { DataSource } from 'typeorm';
import { Outbox } from '@aftersales/messaging';

/**
 * The diagnosis milestone (确诊, domain §6: ladder B runs until the case is diagnosed). Staff record
 * what the fault is as a public work-log entry; the first diagnosis of an episode (since the case
 * opened or was last reopened) sets `diagnosed_at` and announces `case.diagnosed.v1`, in the same
 * transaction. A later one (a better diagnosis) is only logged: the milestone was reached.
 */
@Injectable()
export class CaseDiagnosis {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly workLog: WorkLog,
  ) {}

  async diagnose(id: string, by: Principal, dto: DiagnosisDto) {
    return this.dataSource.transaction(async (m) => {
      // under the row lock two diagnoses queue: the second sees the first's diagnosed_at and is not announced
      const c = await m.findOne(Case, { where: { id, ...visibleTo(by) }, lock: { mode: 'pessimistic_write' } });
      if (!c) throw new NotFoundException(`case ${id} not found`);
      if (!OPEN.includes(c.status)) {
        const reason = `a ${c.status} case is past diagnosis: reopen it if the fault is back`;
        throw new ConflictException({ statusCode: 409, message: reason, errors: [{ field: 'status', reason }] });
      }
      const summary = dto.summary.trim();
      const errorCodes = [...new Set((dto.errorCodes ?? []).map((code) => code.trim()))];
      const episode = c.reopenCount + 1;
      const first = c.diagnosedAt === null;
      const actor = actorOf(by);
      const entry = await this.workLog.append(m, {
        caseId: c.id,
        kind: 'diagnosis',
        public: true,
        actor,
        text: `${first ? 'Diagnosis' : 'Diagnosis revised'}: ${summary}${errorCodes.length ? ` (error codes ${errorCodes.join(', ')})` : ''}`,
        data: { summary, errorCodes, episode, first },
      });
      if (first) {
        await m.update(Case, { id: c.id }, { diagnosedAt: entry.at });
        await this.outbox.append(m, [
          {
            type: 'case.diagnosed.v1',
            aggregateType: 'case',
            aggregateId: c.id,
            data: {
              caseId: c.id,
              caseNumber: c.caseNumber,
              region: c.region,
              customerId: c.customerId,
              severity: c.severity,
              workLogEntryId: entry.id,
              summary,
              errorCodes,
              actor,
              at: entry.at.toISOString(),
            },
          },
        ]);
      }
      return {
        caseId: c.id,
        workLogEntryId: entry.id,
        episode,
        summary,
        errorCodes,
        actor,
        at: entry.at,
        /** this was the episode's first diagnosis (announced); otherwise only logged */
        first,
        /** when the current episode was first diagnosed */
        diagnosedAt: first ? entry.at : c.diagnosedAt,
      };
    });
  }
}
