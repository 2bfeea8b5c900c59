import { EventEnvelope } from '@aftersales/contracts';
import { EventBus, PermanentFailure, Subscription } from './bus';
import { errorMessage } from './error-message';

export interface DeadLetter {
  topic: string;
  group: string;
  envelope: EventEnvelope;
  error: string;
  at: Date;
}

/**
 * The all-in-one transport. `publish` resolves only once every subscriber has committed the event
 * (or given it up to the dead letters), so the outbox row is marked sent only after delivery:
 * a crash at any point leaves the row unsent and it is delivered again, which the inboxes absorb.
 * A subscriber that keeps failing makes `publish` reject, and the relay retries the row later.
 */
export class InProcessBus implements EventBus {
  readonly kind = 'in-process' as const;
  private readonly subs = new Map<string, Subscription[]>();
  readonly deadLetters: DeadLetter[] = [];
  private closed = false;

  constructor(private readonly o: { retryBackoffMs?: number[]; partitions?: number; onDeadLetter?: (d: DeadLetter) => void } = {}) {}

  async start(): Promise<void> {}

  subscribe(sub: Subscription): Promise<void> {
    const list = this.subs.get(sub.topic) ?? [];
    if (list.some((s) => s.group === sub.group)) return Promise.reject(new Error(`group ${sub.group} already subscribes to ${sub.topic}`));
    list.push(sub);
    this.subs.set(sub.topic, list);
    return Promise.resolve();
  }

  async publish(topic: string, envelopes: EventEnvelope[]): Promise<void> {
    if (this.closed) throw new Error('in-process bus is closed');
    const subs = this.subs.get(topic) ?? [];
    if (subs.length === 0) return;
    // like Kafka's partitions: events of one key in order, different keys side by side
    const lanes = new Map<number, EventEnvelope[]>();
    for (const e of envelopes) {
      const lane = laneOf(e.subject, this.o.partitions ?? 8);
      const list = lanes.get(lane);
      if (list) list.push(e);
      else lanes.set(lane, [e]);
    }
    const failures = await Promise.all([...lanes.values()].map((lane) => this.deliverInOrder(topic, subs, lane)));
    const failed = failures.filter((f): f is string => f !== undefined);
    if (failed.length) throw new Error(failed.join('; '));
  }

  private async deliverInOrder(topic: string, subs: Subscription[], lane: EventEnvelope[]): Promise<string | undefined> {
    // each subscriber walks the lane on its own, like a consumer group on a partition
    const failures = await Promise.all(subs.map((s) => this.deliverLane(topic, s, lane)));
    const failed = failures.filter((f): f is string => f !== undefined);
    return failed.length ? failed.join('; ') : undefined;
  }

  private async deliverLane(topic: string, sub: Subscription, lane: EventEnvelope[]): Promise<string | undefined> {
    if (lane.length > 1 && sub.handleBatch) {
      try {
        await sub.handleBatch(lane);
        return undefined;
      } catch {
        // nothing of the batch was committed: one at a time finds (and retries or dead-letters) the culprit
      }
    }
    for (const envelope of lane) {
      const failed = await this.deliver(topic, sub, envelope);
      // stop this lane here: later events of these keys must not overtake the failed one
      if (failed) return `delivery of ${envelope.type} ${envelope.id} failed: ${failed}`;
    }
    return undefined;
  }

  /** Returns an error text when the subscriber did not take the event (the relay will retry). */
  private async deliver(topic: string, sub: Subscription, envelope: EventEnvelope): Promise<string | undefined> {
    const backoff = this.o.retryBackoffMs ?? [50, 250];
    for (let attempt = 0; ; attempt++) {
      try {
        await sub.handle(envelope);
        return undefined;
      } catch (e) {
        const error = errorMessage(e);
        if (e instanceof PermanentFailure) {
          const d = { topic, group: sub.group, envelope, error, at: new Date() };
          this.deadLetters.push(d);
          this.o.onDeadLetter?.(d);
          sub.onFailure?.('dead_lettered');
          return undefined;
        }
        // tried again here, or (after the last backoff) by the relay on its next round
        sub.onFailure?.('retried');
        if (attempt >= backoff.length) return `${sub.group}: ${error}`;
        await new Promise((r) => setTimeout(r, backoff[attempt]));
      }
    }
  }

  isReady(): Promise<boolean> {
    return Promise.resolve(!this.closed);
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

function laneOf(key: string, lanes: number): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) | 0;
  return Math.abs(h) % lanes;
}
