import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { EventData } from '@aftersales/contracts';
import { Outbox } from '@aftersales/messaging';
import { Clock, Principal, visibleTo } from '@aftersales/platform';
import { DataSource, EntityManager } from 'typeorm';
import { RecordAction, recordCounts, recordMove } from '../domain/maintenance-record';
import { cellText } from '../domain/reports';
import { MaintenanceRecord, MaintenanceRecordsRepository } from './maintenance-records.repository';

/**
 * Monthly maintenance records: made once when intake says a contract's month ended, from what this
 * service knows of the month (cases, visits, inspections, parts installed); then reviewed by a
 * manager, sent to the customer (notify delivers `case.maintenance-record.sent.v1`), archived.
 */
@Injectable()
export class MaintenanceRecordsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: MaintenanceRecordsRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async generate(m: EntityManager, d: EventData<'intake.maintenance-record.due.v1'>): Promise<boolean> {
    const from = new Date(d.from);
    const to = new Date(d.to);
    const { facts, lines } = await this.repo.facts(m, d.contractId, from, to);
    return this.repo.insert(m, {
      id: d.occurrenceId,
      contractId: d.contractId,
      customerId: d.customerId,
      region: d.region,
      month: d.month,
      from,
      to,
      counts: recordCounts(facts),
      lines,
      contact: d.contact ?? null,
      status: 'draft',
      generatedAt: this.clock.now(),
      reviewedBy: null,
      reviewedAt: null,
      sentBy: null,
      sentAt: null,
      archivedBy: null,
      archivedAt: null,
    });
  }

  async get(id: string, by: Principal): Promise<MaintenanceRecord> {
    const r = await this.repo.get(this.ds.manager, id, visibleTo(by));
    if (!r) throw new NotFoundException({ statusCode: 404, message: `maintenance record ${id} not found` });
    return r;
  }

  async list(by: Principal, f: { contractId?: string; month?: string }, limit: number, offset: number) {
    return { ...(await this.repo.list(this.ds.manager, { ...visibleTo(by), ...f }, limit, offset)), limit, offset };
  }

  move(id: string, action: RecordAction, by: Principal): Promise<MaintenanceRecord> {
    return this.ds.transaction(async (m) => {
      const r = await this.repo.get(m, id, visibleTo(by), true);
      if (!r) throw new NotFoundException({ statusCode: 404, message: `maintenance record ${id} not found` });
      const check = recordMove(r.status, action);
      if (!check.ok) {
        throw new ConflictException({
          statusCode: 409,
          message: check.reason,
          errors: [{ field: 'status', reason: check.reason }],
          allowed: check.allowed,
        });
      }
      const now = this.clock.now();
      await this.repo.setStatus(m, r.id, check.to, by.subject, now);
      if (check.to === 'sent') await this.announceSent(m, r, now);
      return (await this.repo.get(m, r.id, {}))!;
    });
  }

  private async announceSent(m: EntityManager, r: MaintenanceRecord, now: Date): Promise<void> {
    await this.outbox.append(m, [
      {
        type: 'case.maintenance-record.sent.v1',
        aggregateType: 'maintenance-record',
        aggregateId: r.id,
        data: {
          recordId: r.id,
          contractId: r.contractId,
          customerId: r.customerId,
          region: r.region,
          month: r.month,
          ...(r.contact ? { contact: r.contact } : {}),
          documentUrl: `/maintenance-records/${r.id}?format=csv`,
          counts: r.counts,
          sentAt: now.toISOString(),
        },
      },
    ]);
  }
}

/** The record as CSV: its counts, then one line per case, inspection and part. */
export function recordCsv(r: MaintenanceRecord): string {
  const esc = (v: unknown) => {
    const t = cellText(v);
    return /[",\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
  };
  const rows: unknown[][] = [['section', 'item', 'value', 'detail']];
  for (const [k, v] of Object.entries(r.counts)) rows.push(['count', k, v, '']);
  const lines = r.lines as Record<string, Array<Record<string, unknown>>>;
  for (const c of lines.opened ?? []) rows.push(['case opened', c.caseNumber, c.severity, c.openedAt]);
  for (const c of lines.resolved ?? []) rows.push(['case resolved', c.caseNumber, c.onSite ? 'on site' : 'remote', c.resolvedAt]);
  for (const i of lines.inspections ?? []) rows.push(['inspection', i.caseNumber, i.kind, i.signedAt]);
  for (const p of lines.parts ?? []) rows.push(['part', p.partNumber, p.quantity, p.caseNumber]);
  return rows.map((row) => row.map(esc).join(',')).join('\n') + '\n';
}
