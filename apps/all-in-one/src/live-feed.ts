import { randomUUID } from 'node:crypto';
import { EventEnvelope, Topics } from '@aftersales/contracts';
import { EventBus } from '@aftersales/messaging';
import { Principal } from '@aftersales/platform';

/** What the desk is told when a case or its clocks change: which case, nothing more (the page reloads what it shows). */
export interface LiveNotice {
  type: string;
  caseId: string;
  region: string | null;
  customerId: string | null;
}

/**
 * The bus as the desk's live feed: case and escalation events become notices for the browsers
 * connected to `GET /live`. Each desk process subscribes with a group of its own, so every replica
 * sees every event; a notice is only a hint to reload, so nothing is lost when a browser is away.
 */
export class LiveFeed {
  private readonly listeners = new Set<(n: LiveNotice) => void>();

  static async fromBus(bus: EventBus, instance = randomUUID()): Promise<LiveFeed> {
    const feed = new LiveFeed();
    for (const topic of [Topics.caseEvents, Topics.escalationEvents]) {
      await bus.subscribe({
        group: `desk.live.${instance}.${topic}`,
        topic,
        handle: (e) => Promise.resolve().then(() => feed.emit(noticeOf(e))),
      });
    }
    return feed;
  }

  on(listener: (n: LiveNotice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(n: LiveNotice): void {
    for (const l of this.listeners) l(n);
  }
}

export function noticeOf(e: EventEnvelope): LiveNotice {
  const d = (e.data ?? {}) as { caseId?: unknown; region?: unknown; customerId?: unknown };
  return {
    type: e.type,
    caseId: typeof d.caseId === 'string' ? d.caseId : e.subject,
    region: typeof d.region === 'string' ? d.region : null,
    customerId: typeof d.customerId === 'string' ? d.customerId : null,
  };
}

/** As the services scope reads: a customer hears of its own cases, staff of their region's, an admin of all. */
export function visibleNotice(p: Principal, n: LiveNotice): boolean {
  if (p.roles.every((r) => r === 'customer')) return !!p.customerId && n.customerId === p.customerId;
  if (p.roles.includes('admin')) return true;
  return n.region === p.region;
}
