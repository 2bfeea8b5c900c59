/**
 * Gauges read from the database when Prometheus scrapes: `refresh()` (called from a gauge's
 * `collect`) runs `load` at most once per `refreshMs`, however often scrapes come, and concurrent
 * scrapes share one load. Every replica reports the same values: aggregate them with max().
 */
export class ScrapedGauges {
  private last = 0;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly load: () => Promise<void>,
    private readonly refreshMs = 10_000,
  ) {}

  refresh(): Promise<void> {
    if (Date.now() - this.last < this.refreshMs) return Promise.resolve();
    this.pending ??= this.load().finally(() => {
      this.last = Date.now();
      this.pending = undefined;
    });
    return this.pending;
  }
}
