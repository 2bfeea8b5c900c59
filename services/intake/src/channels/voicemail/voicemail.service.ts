import { Injectable, NotFoundException } from '@nestjs/common';
import { Clock, Page, Principal, visibleTo, withIdempotency } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, LessThanOrEqual } from 'typeorm';
import { ContactRecord } from '../../registry/registry.entities';
import { RegistryLookup } from '../../registry/registry-lookup';
import { CreateRequestDto } from '../../requests/create-request.dto';
import { RequestsService } from '../../requests/requests.service';
import { conflict, unprocessable } from '../channel-errors';
import { CreateVoicemailDto, RecordVoicemailDto, VoicemailListQuery } from './voicemail.dto';
import { Voicemail } from './voicemail.entity';
import { Outbox } from '@aftersales/messaging';

/** How far ahead of our clock the IVR's recording time may be (its clock drifts a little). */
const FUTURE_SKEW_MS = 5 * 60_000;

/**
 * After-hours voicemail (domain §3): a customer without a 7x24 contract who calls outside its
 * contract's calendar leaves a message; it becomes a task due at the calendar's next opening
 * (holidays and make-up days included), not a live request.
 *
 * Decisions:
 * - Inside business hours, or under a 7x24 contract (or no contract: nothing limits the hours),
 *   the message is not parked: it is filed at once as a request (channel 'voicemail', symptom =
 *   the message), so a caller who reached the IVR while the desk was busy is never delayed.
 * - A caller the registry does not know (or a number shared by several customers) cannot be placed
 *   on a calendar: the task is due at once, and the agent names the customer when recording it.
 * - Recording a task before it is due is allowed (a desk may start early) and marked `handledEarly`.
 */
@Injectable()
export class VoicemailService {
  constructor(
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly lookup: RegistryLookup,
    private readonly requests: RequestsService,
  ) {}

  async create(dto: CreateVoicemailDto, by: Principal, idempotencyKey?: string) {
    const now = this.clock.now();
    const recordedAt = dto.recordedAt ? new Date(dto.recordedAt) : now;
    if (Number.isNaN(recordedAt.getTime())) throw unprocessable('invalid recordedAt', 'recordedAt', 'not a date-time');
    if (recordedAt.getTime() > now.getTime() + FUTURE_SKEW_MS) {
      throw unprocessable('recordedAt is in the future', 'recordedAt', `must not be after ${now.toISOString()}`);
    }
    const caller = await this.caller(dto.callerNumber, recordedAt);

    return this.dataSource.transaction((m) =>
      withIdempotency(m, this.outbox.schema, `voicemails:${by.subject}`, idempotencyKey, dto, async () => {
        const vm = m.create(Voicemail, {
          id: randomUUID(),
          region: by.region,
          callerNumber: dto.callerNumber,
          callerName: dto.callerName ?? null,
          message: dto.message,
          customerId: caller.contact?.customerId ?? null,
          contactId: caller.contact?.id ?? null,
          contractId: caller.contractId,
          calendarId: caller.calendarId,
          recordedAt,
          dueAt: caller.dueAt,
          status: 'queued',
          requestId: null,
          handledBy: null,
          handledAt: null,
          handledEarly: false,
        });
        if (caller.contact && caller.open) {
          // a live request: the desk is open (or the contract never closes)
          const request = await this.requests.create(
            {
              customerId: caller.contact.customerId,
              contactId: caller.contact.id,
              contact: this.contactOf(vm, caller.contact),
              channel: 'voicemail',
              symptom: dto.message,
            },
            by,
            idempotencyKey && `voicemail:${idempotencyKey}`,
          );
          Object.assign(vm, { status: 'filed', requestId: requestIdOf(request.body), handledBy: by.subject, handledAt: now });
          await m.insert(Voicemail, vm);
          return { status: 201, body: { ...vm, request: request.body } };
        }
        await m.insert(Voicemail, vm);
        await this.outbox.append(m, [
          {
            type: 'intake.voicemail.recorded.v1',
            aggregateType: 'voicemail',
            aggregateId: vm.id,
            data: {
              voicemailId: vm.id,
              region: vm.region,
              ...(vm.customerId ? { customerId: vm.customerId } : {}),
              callerNumber: vm.callerNumber,
              dueAt: vm.dueAt.toISOString(),
              recordedAt: vm.recordedAt.toISOString(),
            },
          },
        ]);
        return { status: 201, body: vm };
      }),
    );
  }

  /** The next business day's work list and the queue as a whole. */
  async list(by: Principal, q: VoicemailListQuery): Promise<Page<Voicemail>> {
    const where = {
      ...visibleTo(by),
      ...(q.due === 'true' ? { status: 'queued' as const, dueAt: LessThanOrEqual(this.clock.now()) } : {}),
      ...(q.status && q.due !== 'true' ? { status: q.status } : {}),
    };
    const [items, total] = await this.dataSource
      .getRepository(Voicemail)
      .findAndCount({ where, order: { dueAt: 'ASC', recordedAt: 'ASC', id: 'ASC' }, take: q.limit, skip: q.offset });
    return { items, total, limit: q.limit, offset: q.offset };
  }

  async get(id: string, by: Principal): Promise<Voicemail> {
    const found = await this.dataSource.getRepository(Voicemail).findOneBy({ id, ...visibleTo(by) });
    if (!found) throw new NotFoundException(`voicemail ${id} not found`);
    return found;
  }

  /**
   * The agent picks the task up and records it as a request. The row stays locked while the
   * request is filed, so a second agent waits and then gets 409 instead of filing it again.
   */
  async record(id: string, dto: RecordVoicemailDto, by: Principal, idempotencyKey?: string) {
    const customerId = dto.customerId;
    if (customerId && !(await this.lookup.customer(customerId))) {
      throw unprocessable('unknown customer', 'customerId', `no customer ${customerId} in the registry`);
    }
    return this.dataSource.transaction(async (m) => {
      const vm = await this.locked(m, id, by);
      if (!vm) throw new NotFoundException(`voicemail ${id} not found`);
      if (vm.status !== 'queued') {
        throw conflict(`voicemail ${id} was already recorded`, 'status', `already recorded as request ${vm.requestId}`);
      }
      const forCustomer = customerId ?? vm.customerId;
      if (!forCustomer) {
        throw unprocessable('the caller is not in the registry', 'customerId', 'name the customer: the caller number matched none');
      }
      const contact = vm.contactId && forCustomer === vm.customerId ? await m.findOneBy(ContactRecord, { id: vm.contactId }) : null;
      const now = this.clock.now();
      const request: CreateRequestDto = {
        ...dto,
        customerId: forCustomer,
        // the caller as the registry knows it, reached on the number it called from
        ...(contact && !dto.contactId ? { contactId: contact.id } : {}),
        contact: dto.contact ?? (dto.contactId ? undefined : this.contactOf(vm, contact)),
        channel: 'voicemail',
      };
      const filed = await this.requests.create(request, by, idempotencyKey ?? `voicemail-record:${vm.id}`);
      const handled = {
        status: 'filed' as const,
        customerId: forCustomer,
        requestId: requestIdOf(filed.body),
        handledBy: by.subject,
        handledAt: now,
        handledEarly: now.getTime() < vm.dueAt.getTime(),
      };
      await m.update(Voicemail, { id: vm.id }, handled);
      return { ...vm, ...handled, request: filed.body };
    });
  }

  /** Who called, and when the desk that serves them opens next. */
  private async caller(callerNumber: string, at: Date) {
    const contacts = await this.lookup.contactsByPhone(callerNumber);
    const customers = new Set(contacts.map((c) => c.customerId));
    const contact = customers.size === 1 ? contacts[0] : null;
    if (!contact) return { contact: null, contractId: null, calendarId: null, open: false, dueAt: at };
    const contract = await this.lookup.contractFor(contact.customerId, null, at.toISOString().slice(0, 10));
    const calendar = await this.lookup.calendarFor(contract);
    const open = calendar.isOpen(at);
    return {
      contact,
      contractId: contract?.id ?? null,
      calendarId: contract?.coverage === 'business-hours' ? (contract.calendarId ?? null) : null,
      open,
      dueAt: open ? at : calendar.nextOpening(at),
    };
  }

  private contactOf(vm: Voicemail, contact: ContactRecord | null): CreateRequestDto['contact'] {
    return { name: contact?.name || vm.callerName || `caller ${vm.callerNumber}`, phone: vm.callerNumber };
  }

  private locked(m: EntityManager, id: string, by: Principal): Promise<Voicemail | null> {
    return m.getRepository(Voicemail).findOne({ where: { id, ...visibleTo(by) }, lock: { mode: 'pessimistic_write' } });
  }
}

function requestIdOf(body: unknown): string {
  return (body as { id: string }).id;
}
