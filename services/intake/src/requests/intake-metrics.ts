import { Inject, Injectable } from '@nestjs/common';
import { Severity } from '@aftersales/contracts';
import { ServiceConfig } from '@aftersales/config';
import { labelProduct, PlatformMetrics, ScrapedGauges, zeroSeries } from '@aftersales/observability';
import { SERVICE_CONFIG } from '@aftersales/platform';
import { DataSource } from 'typeorm';
import { Counter, Gauge } from 'prom-client';

export type MailOutcomeLabel = 'filed' | 'received' | 'reply' | 'unmatched' | 'duplicate';
export type MailRejection = 'recipient' | 'size' | 'storage' | 'tls' | 'auth';

/**
 * What ops watch of intake's channels (names as deploy/prometheus reads them): mail received by
 * outcome (filed as a request, threaded into a case as a reply, waiting unmatched, a duplicate),
 * mail refused by reason, requests flagged for a late hand-off, and the unmatched mail waiting
 * for an agent. Every series of the service's region exists at 0 from the start.
 */
@Injectable()
export class IntakeMetrics {
  private readonly mail: Counter<'region' | 'outcome'>;
  private readonly rejected: Counter<'region' | 'reason'>;
  private readonly handoffOverdue: Counter<'region' | 'severity'>;
  private readonly scraped = new ScrapedGauges(() => this.load());
  private readonly unmatched: Gauge<'region'>;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    metrics: PlatformMetrics,
    private readonly dataSource: DataSource,
  ) {
    const registers = [metrics.registry];
    const region = [config.region];
    const scraped = this.scraped;
    this.mail = new Counter({
      name: 'aftersales_mail_received_total',
      help: 'Mail accepted on the support address, by outcome: filed (a request), received (stored, not yet filed), reply (threaded into its case), unmatched (waits for an agent), duplicate',
      labelNames: ['region', 'outcome'],
      registers,
    });
    zeroSeries(this.mail, labelProduct({ region, outcome: ['filed', 'received', 'reply', 'unmatched', 'duplicate'] }));
    this.rejected = new Counter({
      name: 'aftersales_mail_rejected_total',
      help: 'Mail refused by the SMTP listener, by reason: recipient (not the support address), size, storage (451, the sender retries), tls (no STARTTLS where required), auth (failed or missing AUTH)',
      labelNames: ['region', 'reason'],
      registers,
    });
    zeroSeries(this.rejected, labelProduct({ region, reason: ['recipient', 'size', 'storage', 'tls', 'auth'] }));
    this.handoffOverdue = new Counter({
      name: 'aftersales_handoff_overdue_total',
      help: 'Requests not taken by a hotline engineer in time (flagged once), by severity',
      labelNames: ['region', 'severity'],
      registers,
    });
    zeroSeries(this.handoffOverdue, labelProduct({ region, severity: Severity.options }));
    this.unmatched = new Gauge({
      name: 'aftersales_mail_unmatched',
      help: 'Mail waiting for an agent to file it for a customer',
      labelNames: ['region'],
      registers,
      async collect() {
        await scraped.refresh();
      },
    });
  }

  mailReceived(outcome: MailOutcomeLabel): void {
    this.mail.inc({ region: this.config.region, outcome });
  }

  mailRejected(reason: MailRejection): void {
    this.rejected.inc({ region: this.config.region, reason });
  }

  handoffsOverdue(rows: Array<{ region: string; severity: string }>): void {
    for (const r of rows) this.handoffOverdue.inc({ region: r.region, severity: r.severity });
  }

  private async load(): Promise<void> {
    const rows: Array<{ region: string; n: number }> = await this.dataSource.query(
      `SELECT region, count(*)::int AS n FROM "${this.config.database.schema}".inbound_emails WHERE status = 'unmatched' GROUP BY 1`,
    );
    this.unmatched.reset();
    this.unmatched.set({ region: this.config.region }, 0);
    for (const r of rows) this.unmatched.set({ region: r.region }, r.n);
  }
}
