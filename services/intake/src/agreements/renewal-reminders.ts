import { Injectable } from '@nestjs/common';
import { Outbox } from '@aftersales/messaging';
import { EntityManager } from 'typeorm';
import { DueBatches, pointedAt } from '../maintenance/due-batch';
import { AgreementRepository } from './agreement.repository';

/** Who besides the customer hears that an agreement runs out: the region's service delivery manager renews it. */
export const RENEWAL_ROLES = ['service-delivery-manager'];

/**
 * Sends the renewal reminders that fell due: each row once, whatever the number of replicas
 * (claimed FOR UPDATE SKIP LOCKED, marked sent in the transaction that announces it).
 */
@Injectable()
export class RenewalReminders {
  constructor(
    private readonly batches: DueBatches,
    private readonly repo: AgreementRepository,
    private readonly outbox: Outbox,
  ) {}

  /** One batch; the number sent (call again while it is the batch size). */
  async sendDue(): Promise<number> {
    const claim = (m: EntityManager, now: Date, limit: number) => this.repo.claimDueReminders(m, now, limit);
    return this.batches.run(claim, async (m, r, now) => {
      const a = pointedAt(await this.repo.get(m, r.agreementId), `agreement ${r.agreementId}`);
      await this.repo.markSent(m, r, now);
      await this.outbox.append(m, [
        {
          type: 'intake.agreement.renewal-due.v1',
          aggregateType: 'agreement',
          aggregateId: a.id,
          data: {
            agreementId: a.id,
            customerId: a.customerId,
            region: a.region,
            ...(a.contractId ? { contractId: a.contractId } : {}),
            assetIds: a.assetIds,
            endsOn: a.endsOn,
            daysBefore: r.daysBefore,
            recipients: await this.repo.recipients(m, a.customerId),
            notifyRoles: RENEWAL_ROLES,
            dueAt: new Date(r.dueAt).toISOString(),
          },
        },
      ]);
    });
  }
}
