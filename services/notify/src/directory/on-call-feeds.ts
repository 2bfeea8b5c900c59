import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Clock, SERVICE_SETTINGS } from '@aftersales/platform';
import { OnCallFeed, parseOnCallFeed, resolveFeedPeople } from '../domain';
import { NotifySettings } from '../notify.config';
import { DirectoryRepository } from './directory.repository';

/** largest feed accepted (a year of daily shifts for a team is well below) */
export const MAX_FEED_BYTES = 1_000_000;

export type FeedResult = { ok: true; feed: OnCallFeed } | { ok: false; field: 'ical' | 'icalUrl'; reason: string };

/**
 * iCalendar feeds of on-call rotations: checked and resolved against the directory when a rotation
 * is saved, and — for a feed given by URL — fetched again every NOTIFY_ICAL_REFRESH_MINUTES. A fetch
 * that fails or no longer parses keeps the last good copy (a broken feed must not silence a rung).
 */
@Injectable()
export class OnCallFeeds implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('OnCallFeeds');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(SERVICE_SETTINGS) private readonly s: NotifySettings,
    private readonly directory: DirectoryRepository,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    const every = this.s.NOTIFY_ICAL_REFRESH_MINUTES * 60_000;
    if (every > 0) this.timer = setInterval(() => void this.refreshAll().catch((e) => this.log.warn(String(e))), every).unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** A feed from an uploaded ICS text or a URL, resolved for the rotation's region. */
  async load(region: string, src: { ics?: string; url?: string }): Promise<FeedResult> {
    const field = src.url ? 'icalUrl' : 'ical';
    let ics = src.ics ?? '';
    if (src.url) {
      const fetched = await this.fetch(src.url);
      if (!fetched.ok) return { ok: false, field, reason: fetched.reason };
      ics = fetched.ics;
    }
    const parsed = parseOnCallFeed(ics);
    if (!parsed.ok) return { ok: false, field, reason: parsed.reason };
    const { people, unknown } = resolveFeedPeople(parsed.owners, await this.directory.feedCandidates(region));
    if (unknown.length) {
      return {
        ok: false,
        field,
        reason: `events name people not in the directory (by attendee e-mail, id or name): ${unknown.join(', ')}`,
      };
    }
    return { ok: true, feed: { ics, url: src.url ?? null, people, fetchedAt: this.clock.now().toISOString() } };
  }

  /** Fetches every URL feed again; returns how many changed. */
  async refreshAll(): Promise<number> {
    let n = 0;
    for (const r of await this.directory.fetchedFeeds()) {
      const next = await this.load(r.region, { url: r.ical!.url! });
      if (!next.ok) {
        this.log.warn(`on-call feed of ${r.region}/${r.role} not refreshed, keeping the last copy: ${next.reason}`);
        continue;
      }
      if (await this.directory.refreshFeed(r.region, r.role, next.feed)) n++;
    }
    return n;
  }

  private async fetch(url: string): Promise<{ ok: true; ics: string } | { ok: false; reason: string }> {
    try {
      const res = await fetch(url, {
        headers: { accept: 'text/calendar' },
        signal: AbortSignal.timeout(this.s.NOTIFY_HTTP_TIMEOUT_MS),
      });
      if (!res.ok) return { ok: false, reason: `the feed answered HTTP ${res.status}` };
      const text = await res.text();
      if (Buffer.byteLength(text) > MAX_FEED_BYTES) return { ok: false, reason: `the feed is larger than ${MAX_FEED_BYTES} bytes` };
      return { ok: true, ics: text };
    } catch (e) {
      return { ok: false, reason: `the feed could not be fetched: ${(e as Error).message}` };
    }
  }
}
