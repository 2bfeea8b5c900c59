/**
 * Runs `run` every `everyMs` (0: never), one run at a time — a tick that finds the previous run
 * still going is skipped — and waits for the current run on stop. For a service's sweeps.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly what: string,
    readonly everyMs: number,
    private readonly run: () => Promise<unknown>,
    private readonly log: { error(message: string): void },
  ) {}

  /** Whether its timer is set (started with a period, not stopped). */
  get active(): boolean {
    return this.timer !== undefined;
  }

  start(): void {
    if (!this.everyMs) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.run()
        .catch((e: unknown) => this.log.error(`${this.what} failed: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => (this.running = undefined));
    }, this.everyMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

/**
 * A provider whose `sweep` runs every `sweepMs` (0: never; tests sweep by hand) from module init
 * until module destroy, which waits for a sweep under way.
 */
export abstract class PeriodicSweep {
  private readonly task: PeriodicTask;

  protected constructor(
    what: string,
    readonly sweepMs: number,
    log: { error(message: string): void },
  ) {
    this.task = new PeriodicTask(what, sweepMs, () => this.sweep(), log);
  }

  abstract sweep(): Promise<unknown>;

  /** Whether the periodic sweep is on (a sweep period set and the module not destroyed). */
  get running(): boolean {
    return this.task.active;
  }

  onModuleInit(): void {
    this.task.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }
}
