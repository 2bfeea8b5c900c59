import { Controller } from '@nestjs/common';
import { Envelope, HandlerContext, OnEvent } from '@aftersales/messaging';
import { TxContext } from '../shared/tx';
import { ReturnsService } from '../returns/returns.service';
import { PurchasePlansService } from './purchase-plans.service';

/**
 * A signed contract gets its purchase plan; a deadline the escalation engine holds for spares
 * (a plan's stock-in, a defective return) that passed flags the plan or return overdue.
 */
@Controller()
export class PlanEventsHandler {
  constructor(
    private readonly plans: PurchasePlansService,
    private readonly returns: ReturnsService,
  ) {}

  @OnEvent('intake.contract.signed.v1', { consumer: 'spares.purchase-plan' })
  async onContractSigned(e: Envelope<'intake.contract.signed.v1'>, { manager }: HandlerContext): Promise<void> {
    await this.plans.draftForContract(manager, e);
  }

  @OnEvent('intake.asset.registered.v1', { consumer: 'spares.purchase-plan-asset' })
  async onAssetRegistered(e: Envelope<'intake.asset.registered.v1'>, { manager }: HandlerContext): Promise<void> {
    await this.plans.addAsset(manager, e);
  }

  @OnEvent('escalation.deadline.overdue.v1', { consumer: 'spares.deadline-overdue' })
  async onDeadlineOverdue(e: Envelope<'escalation.deadline.overdue.v1'>, { manager, afterCommit }: TxContext): Promise<void> {
    const d = e.data;
    const at = new Date(d.firedAt);
    if (d.kind === 'purchase-plan-stock-in') await this.plans.deadlinePassed(manager, d.subjectId, at, afterCommit);
    else if (d.kind === 'defective-return') await this.returns.deadlinePassed(manager, d.subjectId, at, afterCommit);
  }
}
