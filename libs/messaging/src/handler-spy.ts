import { EventEnvelope } from '@aftersales/contracts';
import { errorMessage } from './error-message';

export type HandlerOutcome = 'handled' | 'duplicate' | 'ignored' | 'failed';

export interface HandledEvent {
  id: string;
  type: string;
  topic: string;
  subject: string;
  data: unknown;
  outcome: HandlerOutcome;
  error?: string;
}

export type HandledMatch = string | ((e: HandledEvent) => boolean);

/**
 * What a service's event handlers did, newest last, so a test waits for "the handler committed
 * event X" instead of sleeping or polling (the shape of message-queue-toolkit's handlerSpy).
 * Keeps a bounded history: an outcome already seen satisfies a later wait.
 */
export class HandlerSpy {
  private readonly history: HandledEvent[] = [];
  private waiters: Array<{ match: (e: HandledEvent) => boolean; resolve: (e: HandledEvent) => void }> = [];

  constructor(private readonly capacity = 256) {}

  record(envelope: EventEnvelope, topic: string, outcome: HandlerOutcome, error?: unknown): void {
    const e: HandledEvent = {
      id: envelope.id,
      type: envelope.type,
      topic,
      subject: envelope.subject,
      data: envelope.data,
      outcome,
      ...(error === undefined ? {} : { error: errorMessage(error) }),
    };
    this.history.push(e);
    if (this.history.length > this.capacity) this.history.splice(0, this.history.length - this.capacity);
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (w.match(e)) w.resolve(e);
      else still.push(w);
    }
    this.waiters = still;
  }

  /** Every recorded outcome that matches, oldest first. */
  seen(match: HandledMatch = () => true): HandledEvent[] {
    const m = matcher(match);
    return this.history.filter(m);
  }

  /**
   * Resolves with the first outcome (past or future) other than "failed" that matches: an event id or a predicate.
   * A failure is retried by the bus, so it does not end the wait; the deadline does, naming what was seen.
   */
  waitFor(match: HandledMatch, opts: { timeoutMs?: number; outcomes?: HandlerOutcome[] } = {}): Promise<HandledEvent> {
    const outcomes = opts.outcomes ?? ['handled', 'duplicate', 'ignored'];
    const base = matcher(match);
    const m = (e: HandledEvent) => outcomes.includes(e.outcome) && base(e);
    const past = this.history.find(m);
    if (past) return Promise.resolve(past);
    return new Promise<HandledEvent>((resolve, reject) => {
      const waiter = {
        match: m,
        resolve: (e: HandledEvent) => {
          clearTimeout(timer);
          resolve(e);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const failed = this.history.filter((e) => e.outcome === 'failed' && base(e)).map((e) => e.error);
        const last = this.history.slice(-5).map((e) => `${e.type} ${e.id} ${e.outcome}`);
        reject(
          new Error(
            `no handler outcome matched ${typeof match === 'string' ? match : 'the predicate'} within ${opts.timeoutMs ?? 20_000} ms` +
              (failed.length ? `; it failed with: ${failed.join(' | ')}` : '') +
              `; last seen: ${last.join(', ') || 'nothing'}`,
          ),
        );
      }, opts.timeoutMs ?? 20_000);
      this.waiters.push(waiter);
    });
  }
}

function matcher(match: HandledMatch): (e: HandledEvent) => boolean {
  return typeof match === 'string' ? (e) => e.id === match : match;
}
