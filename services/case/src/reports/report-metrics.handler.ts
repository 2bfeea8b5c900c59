import { Controller } from '@nestjs/common';
import { Envelope, HandlerContext, OnEvent } from '@aftersales/messaging';
import { selectOne } from '@aftersales/persistence';
import { EntityManager } from 'typeorm';
import { Case } from '../cases/case.entity';
import { firstCallResolved } from '../domain/reports';
import { ReportMetrics } from './report-metrics';

const seconds = (from: Date, to: string) => Math.max(0, (Date.parse(to) - from.getTime()) / 1000);

/**
 * Observes the case's own milestones for the SLA boards, once each (the inbox drops a redelivery;
 * the metric moves only after the commit): first response, first diagnosis and first resolution
 * from the opening, whether that resolution was a first-call one, and complaints opened.
 */
@Controller()
export class ReportMetricsHandler {
  constructor(private readonly metrics: ReportMetrics) {}

  @OnEvent('case.customer-responded.v1', { consumer: 'case.reports-response' })
  async onResponded(e: Envelope<'case.customer-responded.v1'>, tx: HandlerContext) {
    const m = tx.manager;
    const c = await this.incident(m, e.data.caseId);
    if (c) tx.afterCommit(() => this.metrics.response.observe({ severity: c.severity, region: c.region }, seconds(c.openedAt, e.data.at)));
  }

  @OnEvent('case.diagnosed.v1', { consumer: 'case.reports-diagnosis' })
  async onDiagnosed(e: Envelope<'case.diagnosed.v1'>, tx: HandlerContext) {
    const m = tx.manager;
    const c = await this.incident(m, e.data.caseId);
    if (c && c.reopenCount === 0)
      tx.afterCommit(() => this.metrics.diagnosis.observe({ severity: c.severity, region: c.region }, seconds(c.openedAt, e.data.at)));
  }

  @OnEvent('case.status.changed.v1', { consumer: 'case.reports-resolution' })
  async onStatus(e: Envelope<'case.status.changed.v1'>, tx: HandlerContext) {
    const m = tx.manager;
    if (e.data.to !== 'resolved') return;
    const c = await this.incident(m, e.data.caseId);
    if (!c) return;
    const s = m.connection.driver.schema!;
    const facts = await selectOne<{ resolutions: number; onSite: boolean; escalated: boolean }>(
      m,
      `SELECT (SELECT count(*)::int FROM "${s}".case_transitions t WHERE t.case_id = $1 AND t.to_status = 'resolved') AS resolutions,
              (EXISTS (SELECT 1 FROM "${s}".field_visits v WHERE v.case_id = $1)
                OR EXISTS (SELECT 1 FROM "${s}".case_transitions t WHERE t.case_id = $1 AND t.to_status = 'on-site')) AS "onSite",
              EXISTS (SELECT 1 FROM "${s}".case_transitions t WHERE t.case_id = $1 AND t.to_status IN ('escalated','vendor-case-open')) AS escalated`,
      [c.id],
    );
    if (!facts) throw new Error(`case ${c.id}: a SELECT without FROM answered no row`);
    if (facts.resolutions !== 1) return; // a resolution after a reopen is not the case's first
    const fcr = firstCallResolved({ ...c, resolvedAt: new Date(e.data.at), onSite: facts.onSite, escalated: facts.escalated });
    tx.afterCommit(() => {
      const labels = { severity: c.severity, region: c.region };
      this.metrics.resolution.observe(labels, seconds(c.openedAt, e.data.at));
      this.metrics.resolutions.inc({ ...labels, first_call: String(fcr) });
    });
  }

  @OnEvent('case.opened.v1', { consumer: 'case.reports-complaint' })
  onOpened(e: Envelope<'case.opened.v1'>, tx: HandlerContext): Promise<void> {
    if (e.data.caseType === 'complaint') tx.afterCommit(() => this.metrics.complaints.inc({ region: e.data.region }));
    return Promise.resolve();
  }

  private async incident(m: EntityManager, id: string): Promise<Case | null> {
    const c = await m.findOneBy(Case, { id });
    return c && c.caseType === 'incident' ? c : null;
  }
}
