import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Outbox } from '@aftersales/messaging';
import { Clock, Principal, problemException, SERVICE_SETTINGS, visibleTo, withIdempotency } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { datesProblem, reminderDays } from '../domain/agreements';
import { localDate, localInstant } from '../domain/local-time';
import { MaintenanceSettings } from '../maintenance/maintenance.config';
import { CalendarRecord, Contract, Customer } from '../registry/registry.entities';
import { Agreement, AgreementRepository } from './agreement.repository';
import { AgreementView, CreateAgreementDto } from './agreements.dto';

/**
 * Maintenance agreements (seed 004: after the warranty, an agreement; without one, repairs are
 * paid). Recorded with their renewal reminders (`INTAKE_AGREEMENT_REMINDER_DAYS` before the end,
 * at `INTAKE_REMINDER_TIME` on the agreement's calendar), never two on one asset on the same day.
 */
@Injectable()
export class AgreementsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: AgreementRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    @Inject(SERVICE_SETTINGS) private readonly settings: MaintenanceSettings,
  ) {}

  create(d: CreateAgreementDto, by: Principal, key?: string) {
    const problem = datesProblem(d);
    if (problem) throw problemException(400, [{ field: 'endsOn', reason: problem }]);
    const assetIds = [...new Set(d.assetIds)];
    return this.ds.transaction((m) =>
      withIdempotency(m, this.outbox.schema, `agreements:${by.subject}`, key, d, async () => {
        const customer = await m.findOneBy(Customer, { id: d.customerId, ...regionOf(by) });
        if (!customer) throw problemException(422, [{ field: 'customerId', reason: `unknown customer ${d.customerId}` }]);
        if (d.contractId && !(await m.findOneBy(Contract, { id: d.contractId, customerId: customer.id }))) {
          throw problemException(422, [{ field: 'contractId', reason: `${d.contractId} is not a contract of ${customer.id}` }]);
        }
        const calendar = d.calendarId ? await m.findOneBy(CalendarRecord, { id: d.calendarId }) : null;
        if (d.calendarId && !calendar) throw problemException(422, [{ field: 'calendarId', reason: `unknown calendar ${d.calendarId}` }]);
        const found = await this.repo.lockAssets(m, customer.id, assetIds);
        const missing = assetIds.filter((a) => !found.includes(a));
        if (missing.length)
          throw problemException(422, [{ field: 'assetIds', reason: `not assets of ${customer.id}: ${missing.join(', ')}` }]);
        const clash = await this.repo.overlapping(m, assetIds, d.startsOn, d.endsOn);
        const [c] = clash;
        if (c) {
          throw problemException(409, [
            {
              field: 'assetIds',
              reason: `asset ${c.assetId} is already under agreement ${c.agreementId} from ${c.startsOn} to ${c.endsOn}`,
            },
          ]);
        }
        const now = this.clock.now();
        const zone = calendar?.definition.timeZone ?? this.settings.INTAKE_MAINTENANCE_TIME_ZONE;
        const a: Agreement = {
          id: randomUUID(),
          customerId: customer.id,
          region: customer.region,
          contractId: d.contractId ?? null,
          coverage: d.coverage,
          calendarId: d.calendarId ?? null,
          policyId: d.policyId ?? null,
          price: d.price,
          currency: d.currency ?? 'CNY',
          startsOn: d.startsOn,
          endsOn: d.endsOn,
          assetIds: assetIds.sort(),
          createdBy: by.subject,
          createdAt: now,
        };
        const reminders = reminderDays(d.endsOn, this.settings.INTAKE_AGREEMENT_REMINDER_DAYS, localDate(now, zone)).map((r) => ({
          agreementId: a.id,
          daysBefore: r.daysBefore,
          dueAt: localInstant(r.on, this.settings.INTAKE_REMINDER_TIME, zone),
        }));
        await this.repo.insert(m, a, reminders);
        return { status: 201, body: await this.view(m, a) };
      }),
    );
  }

  async get(id: string, by: Principal): Promise<AgreementView> {
    const m = this.ds.manager;
    const a = await this.repo.get(m, id);
    if (!a || !visible(a, by)) throw new NotFoundException({ statusCode: 404, message: `agreement ${id} not found` });
    return this.view(m, a);
  }

  async list(by: Principal, f: { customerId?: string; assetId?: string }, limit: number, offset: number) {
    const m = this.ds.manager;
    const scope = visibleTo(by);
    const page = await this.repo.list(m, { ...f, ...scope }, limit, offset);
    return { items: await Promise.all(page.items.map((a) => this.view(m, a))), total: page.total, limit, offset };
  }

  private async view(m: EntityManager, a: Agreement): Promise<AgreementView> {
    const reminders = await this.repo.reminders(m, a.id);
    return {
      ...a,
      createdAt: new Date(a.createdAt).toISOString(),
      reminders: reminders.map((r) => ({
        daysBefore: r.daysBefore,
        dueAt: new Date(r.dueAt).toISOString(),
        sentAt: r.sentAt ? new Date(r.sentAt).toISOString() : null,
      })),
    };
  }
}

/** Staff write for their own region's customers (an admin for any). */
function regionOf(by: Principal): { region?: string } {
  return by.roles.includes('admin') ? {} : { region: by.region };
}

function visible(a: Agreement, by: Principal): boolean {
  const scope = visibleTo(by);
  return (!scope.customerId || scope.customerId === a.customerId) && (!scope.region || scope.region === a.region);
}
