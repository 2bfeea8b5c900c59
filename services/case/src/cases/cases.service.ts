import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { EventData, EventEnvelope } from '@aftersales/contracts';
import { Page, Principal, SERVICE_RUNTIME, ServiceRuntime, visibleTo } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { Case } from './case.entity';

@Injectable()
export class CasesService {
  constructor(@Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime) {}

  /** Idempotent: the inbox drops a redelivered event, and request_id is unique besides. */
  async openFromRequest(event: EventEnvelope<EventData<'intake.request.received.v1'>>): Promise<void> {
    const r = event.data;
    await this.rt.inbox.handleOnce('case.open-from-request', event, async (m) => {
      const [{ seq }] = await m.query(`SELECT nextval('"${this.rt.outbox.schema}".case_number_seq') AS seq`);
      const opened = m.create(Case, {
        id: randomUUID(),
        caseNumber: `${r.region.toUpperCase()}-${r.receivedAt.slice(0, 4)}-${String(seq).padStart(6, '0')}`,
        requestId: r.requestId,
        region: r.region,
        customerId: r.customerId,
        contact: r.contact,
        severity: r.severity,
        symptom: r.symptom,
        serialNumber: r.serialNumber ?? null,
        status: 'received',
        openedAt: new Date(),
      });
      await m.insert(Case, opened);
      await this.rt.outbox.append(m, [
        {
          type: 'case.opened.v1',
          aggregateType: 'case',
          aggregateId: opened.id,
          cause: event,
          data: {
            caseId: opened.id,
            caseNumber: opened.caseNumber,
            requestId: r.requestId,
            region: r.region,
            customerId: r.customerId,
            contact: r.contact,
            severity: r.severity,
            symptom: r.symptom,
            serialNumber: r.serialNumber,
            openedAt: opened.openedAt.toISOString(),
          },
        },
      ]);
    });
  }

  async get(id: string, by: Principal): Promise<Case> {
    const found = await this.rt.dataSource.getRepository(Case).findOneBy({ id, ...visibleTo(by) });
    if (!found) throw new NotFoundException(`case ${id} not found`);
    return found;
  }

  async list(by: Principal, filter: { requestId?: string }, limit: number, offset: number): Promise<Page<Case>> {
    const where = { ...visibleTo(by), ...(filter.requestId ? { requestId: filter.requestId } : {}) };
    const [items, total] = await this.rt.dataSource
      .getRepository(Case)
      .findAndCount({ where, order: { openedAt: 'DESC', id: 'ASC' }, take: limit, skip: offset });
    return { items, total, limit, offset };
  }
}
