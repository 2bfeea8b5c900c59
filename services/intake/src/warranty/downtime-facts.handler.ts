import { Controller } from '@nestjs/common';
import { Envelope, HandlerContext, OnEvent } from '@aftersales/messaging';
import { WarrantyLedgerRepository } from './warranty-ledger.repository';
import { WarrantyLedger } from './warranty-ledger.service';

/**
 * The two facts the warranty ledger is computed from: the downtime escalation measured for an
 * episode of a case (`extension-earned` carries it, whatever its cause), and the cause an engineer
 * set or corrected on the case. Either one recomputes the case's lines.
 */
@Controller()
export class DowntimeFactsHandler {
  constructor(
    private readonly repo: WarrantyLedgerRepository,
    private readonly ledger: WarrantyLedger,
  ) {}

  @OnEvent('escalation.warranty.extension-earned.v1', { consumer: 'intake.warranty.downtime-measured' })
  async onMeasured(e: Envelope<'escalation.warranty.extension-earned.v1'>, { manager: m }: HandlerContext): Promise<void> {
    const d = e.data;
    await this.repo.addDowntime(m, {
      clockId: d.clockId,
      caseId: d.caseId,
      contractId: d.contractId,
      from: new Date(d.from),
      to: new Date(d.to),
      minutes: d.downtimeMinutes,
    });
    await this.ledger.recompute(m, d.caseId, e);
  }

  @OnEvent('case.downtime.classified.v1', { consumer: 'intake.warranty.downtime-classified' })
  async onClassified(e: Envelope<'case.downtime.classified.v1'>, { manager: m }: HandlerContext): Promise<void> {
    const d = e.data;
    const declared = d.periods ? Math.round(d.periods.reduce((a, p) => a + (Date.parse(p.to) - Date.parse(p.from)), 0) / 60_000) : null;
    await this.repo.saveCause(m, WarrantyLedger.causeRow({ ...d, declaredMinutes: declared }));
    await this.ledger.recompute(m, d.caseId, e);
  }
}
