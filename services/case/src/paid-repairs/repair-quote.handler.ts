import { ConflictException, Controller } from '@nestjs/common';
import { Envelope, HandlerContext, OnEvent } from '@aftersales/messaging';
import { Case } from '../cases/case.entity';
import { CaseTransitions } from '../cases/case-transitions.service';
import { WorkLog } from '../cases/work-log.service';

/**
 * Paid repairs (seed 004: out of warranty and without a maintenance agreement, 12 % of the part's
 * contract price): spares quotes, the customer accepts or declines. The case logs each step where
 * the customer sees it, and a declined quote closes the case with its reason — nothing more will
 * be done on it (the unit goes back unrepaired).
 */
@Controller()
export class RepairQuoteHandler {
  constructor(
    private readonly transitions: CaseTransitions,
    private readonly workLog: WorkLog,
  ) {}

  @OnEvent('spares.repair-order.updated.v1', { consumer: 'case.repair-quote' })
  async onRepairOrder(e: Envelope<'spares.repair-order.updated.v1'>, { manager: m }: HandlerContext): Promise<void> {
    const o = e.data;
    if (!o.caseId || !['quoted', 'accepted', 'declined', 'repaired'].includes(o.to)) return;
    const c = await m.findOne(Case, { where: { id: o.caseId }, lock: { mode: 'pessimistic_write' } });
    if (!c) return; // another region's case
    const text = {
      quoted: `repair quote ${o.quoteAmount ?? ''} sent to the customer (out of warranty, no maintenance agreement)`,
      accepted: `the customer accepted the repair quote ${o.quoteAmount ?? ''}: repair goes ahead`,
      declined: `the customer declined the repair quote ${o.quoteAmount ?? ''}: ${o.reason ?? 'no reason given'}`,
      repaired: 'the unit is repaired',
    }[o.to]!;
    await this.workLog.append(m, {
      caseId: c.id,
      kind: 'system',
      public: true,
      actor: o.actor,
      text,
      data: { repairOrderId: o.repairOrderId, state: o.to, quoteAmount: o.quoteAmount ?? null },
    });
    if (o.to !== 'declined' || c.status === 'closed') return;
    const reason = `repair quote declined: ${o.reason ?? 'no reason given'}`;
    try {
      await this.transitions.transition(m, c.id, 'closed', { subject: 'system:case', role: 'system' }, reason, { cause: e });
    } catch (err) {
      // a guard (e.g. an unsigned on-site report) keeps it open: the desk closes it by hand
      if (!(err instanceof ConflictException)) throw err;
      await this.workLog.append(m, {
        caseId: c.id,
        kind: 'system',
        public: false,
        actor: { subject: 'system:case', role: 'system' },
        text: `the declined quote did not close the case: ${err.message}`,
      });
    }
  }
}
