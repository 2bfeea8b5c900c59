import { Controller } from '@nestjs/common';
import { CaseStatus } from '@aftersales/contracts';
import { Envelope, HandlerContext, OnEvent } from '@aftersales/messaging';
import { EntityManager } from 'typeorm';
import { CaseTransition } from './case-history.entity';
import { checkTransition, PAUSES, WORKING } from './case-lifecycle';
import { CaseTransitions } from './case-transitions.service';
import { Case } from './case.entity';
import { WorkLog } from './work-log.service';

const SPARES = { subject: 'system:spares', role: 'system' };

/**
 * The case waits on parts while spares holds or carries them: a reservation for the case moves
 * it to `waiting-parts` (the escalation engine pauses its clocks with reason `parts`), and the
 * delivery of its last awaited part (or the release of it) moves it back to the work it left. A case
 * already waiting on the customer or the vendor keeps that wait.
 * A late delivery is written to the case's work log. Events about a case this service does not
 * hold are dropped; a case that cannot wait from where it stands (e.g. resolved) only gets a log line.
 */
@Controller()
export class PartsWaitHandler {
  constructor(
    private readonly transitions: CaseTransitions,
    private readonly workLog: WorkLog,
  ) {}

  @OnEvent('spares.part.reserved.v1', { consumer: 'case.parts-wait.reserved' })
  async onReserved(e: Envelope<'spares.part.reserved.v1'>, { manager: m }: HandlerContext): Promise<void> {
    const r = e.data;
    const c = r.caseId ? await m.findOneBy(Case, { id: r.caseId }) : null;
    if (!c) return;
    const what = `${r.quantity} × ${r.partNumber} from depot ${r.depotId}${r.crossRegion ? ` (${r.depotRegion})` : ''}, needed by ${r.neededBy}`;
    // a case already waiting (on the customer, the vendor or parts) keeps what it waits for
    if (!PAUSES.includes(c.status) && checkTransition(c.status, 'waiting-parts', 'system', 'parts').ok) {
      await this.transitions.transition(m, c.id, 'waiting-parts', SPARES, `waiting for ${what}`, { cause: e });
    } else {
      await this.log(m, c.id, `part reserved: ${what}`, { requestId: r.requestId });
    }
  }

  @OnEvent('spares.part.delivered.v1', { consumer: 'case.parts-wait.delivered' })
  async onDelivered(e: Envelope<'spares.part.delivered.v1'>, { manager: m }: HandlerContext): Promise<void> {
    const r = e.data;
    await this.partArrivedOrDropped(m, r.caseId, r.outstandingForCase, `part delivered: ${r.quantity} × ${r.partNumber}`, r.requestId, e);
  }

  @OnEvent('spares.part.released.v1', { consumer: 'case.parts-wait.released' })
  async onReleased(e: Envelope<'spares.part.released.v1'>, { manager: m }: HandlerContext): Promise<void> {
    const r = e.data;
    await this.partArrivedOrDropped(
      m,
      r.caseId,
      r.outstandingForCase,
      `part no longer awaited: ${r.quantity} × ${r.partNumber} (${r.reason})`,
      r.requestId,
      e,
    );
  }

  @OnEvent('spares.delivery.late.v1', { consumer: 'case.parts-wait.late' })
  async onLate(e: Envelope<'spares.delivery.late.v1'>, { manager: m }: HandlerContext): Promise<void> {
    const r = e.data;
    if (!r.caseId || !(await m.existsBy(Case, { id: r.caseId }))) return;
    await this.log(
      m,
      r.caseId,
      `part delivered late: ${r.quantity} × ${r.partNumber} from depot ${r.depotId} arrived ${r.deliveredAt}, ${r.lateMinutes} min after it was needed (${r.neededBy})`,
      {
        requestId: r.requestId,
        lateMinutes: r.lateMinutes,
        neededBy: r.neededBy,
        deliveredAt: r.deliveredAt,
      },
    );
  }

  /** Back to the work the case left when it began to wait, once no part is awaited any more. */
  private async partArrivedOrDropped(
    m: EntityManager,
    caseId: string | undefined,
    outstanding: number,
    text: string,
    requestId: string,
    cause: Envelope<'spares.part.delivered.v1'> | Envelope<'spares.part.released.v1'>,
  ): Promise<void> {
    const c = caseId ? await m.findOneBy(Case, { id: caseId }) : null;
    if (!c) return;
    const back = c.status === 'waiting-parts' && outstanding === 0 ? await this.resumeTo(m, c.id) : null;
    if (back && checkTransition(c.status, back, 'system').ok) {
      await this.transitions.transition(m, c.id, back, SPARES, text, { cause });
    } else {
      await this.log(m, c.id, outstanding ? `${text}; ${outstanding} more awaited` : text, { requestId });
    }
  }

  private async resumeTo(m: EntityManager, caseId: string): Promise<CaseStatus> {
    const [last] = await m.find(CaseTransition, { where: { caseId, to: 'waiting-parts' }, order: { seq: 'DESC' }, take: 1 });
    return last && WORKING.includes(last.from) ? last.from : 'in-progress';
  }

  private log(m: EntityManager, caseId: string, text: string, data: Record<string, unknown>) {
    return this.workLog.append(m, { caseId, kind: 'system', public: false, actor: SPARES, text, data });
  }
}
