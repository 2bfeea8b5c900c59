import { Inject, Injectable } from '@nestjs/common';
import { Outbox } from '@aftersales/messaging';
import { Clock, SERVICE_SETTINGS } from '@aftersales/platform';
import { DataSource, EntityManager } from 'typeorm';
import { dueBatch, pointedAt } from '../maintenance/due-batch';
import { MaintenanceSettings } from '../maintenance/maintenance.config';
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
    private readonly ds: DataSource,
    private readonly repo: AgreementRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    @Inject(SERVICE_SETTINGS) private readonly settings: MaintenanceSettings,
  ) {}

  /** One batch; the number sent (call again while it is the batch size). */
  async sendDue(): Promise<number> {
    const now = this.clock.now();
    const claim = (m: EntityManager) => this.repo.claimDueReminders(m, now, this.settings.INTAKE_MAINTENANCE_BATCH);
    return dueBatch(this.ds, claim, async (m, r) => {
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
