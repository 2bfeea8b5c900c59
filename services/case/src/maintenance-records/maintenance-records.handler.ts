import { Controller } from '@nestjs/common';
import { Envelope, HandlerContext, OnEvent } from '@aftersales/messaging';
import { MaintenanceRecordsRepository } from './maintenance-records.repository';
import { MaintenanceRecordsService } from './maintenance-records.service';

/** A contract's month ended (intake's plan): make its record. Parts installed on cases are kept for it. */
@Controller()
export class MaintenanceRecordsHandler {
  constructor(
    private readonly records: MaintenanceRecordsService,
    private readonly repo: MaintenanceRecordsRepository,
  ) {}

  @OnEvent('intake.maintenance-record.due.v1', { consumer: 'case.maintenance-record' })
  async onDue(e: Envelope<'intake.maintenance-record.due.v1'>, { manager: m }: HandlerContext): Promise<void> {
    await this.records.generate(m, e.data);
  }

  @OnEvent('spares.part.installed.v1', { consumer: 'case.parts-used' })
  async onInstalled(e: Envelope<'spares.part.installed.v1'>, { manager: m }: HandlerContext): Promise<void> {
    const p = e.data;
    if (!p.caseId) return;
    await this.repo.partInstalled(m, {
      requestId: p.requestId,
      caseId: p.caseId,
      partNumber: p.partNumber,
      partClass: p.partClass,
      quantity: p.quantity,
      at: new Date(p.at),
    });
  }
}
