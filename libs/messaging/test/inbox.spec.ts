import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { newEnvelope } from '@aftersales/contracts';
import { Inbox } from '@aftersales/messaging';
import { waitFor } from '@aftersales/testing';
import { messagingSchema } from './messaging-fixture';

describe('Inbox de-duplication (real PostgreSQL)', () => {
  let f: Awaited<ReturnType<typeof messagingSchema>>;
  let inbox: Inbox;
  beforeEach(async () => {
    f = await messagingSchema('inbox');
    await f.dataSource.query(`CREATE TABLE "${f.schema}".effects (event_id uuid, n serial)`);
    inbox = new Inbox(f.dataSource, f.schema);
  });
  afterEach(() => f.drop());

  const event = () => newEnvelope({ type: 'case.opened.v1', source: 'test', subject: randomUUID(), data: {} });
  const effectCount = async (id: string) =>
    (await f.dataSource.query(`SELECT count(*)::int AS n FROM "${f.schema}".effects WHERE event_id = $1`, [id]))[0].n;

  it('applies a redelivered event once', async () => {
    const e = event();
    const effect = (m: import('typeorm').EntityManager) =>
      m.query(`INSERT INTO "${f.schema}".effects (event_id) VALUES ($1)`, [e.id]).then(() => undefined);
    expect(await inbox.handleOnce('c', e, effect)).toBe('handled');
    expect(await inbox.handleOnce('c', e, effect)).toBe('duplicate');
    expect(await effectCount(e.id)).toBe(1);
  });

  it('applies an event once even when ten deliveries race', async () => {
    const e = event();
    // the first delivery holds its claim open until the nine others are blocked on it in PostgreSQL
    // (watched over a connection of its own: the ten deliveries hold the whole pool)
    const watcher = new Client({ connectionString: f.url });
    await watcher.connect();
    const blockedOnClaim = async () =>
      Number(
        (
          await watcher.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%' || $1 || '".inbox%'`,
            [f.schema],
          )
        ).rows[0]!.n,
      );
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () =>
        inbox.handleOnce('c', e, async (m) => {
          await m.query(`INSERT INTO "${f.schema}".effects (event_id) VALUES ($1)`, [e.id]);
          await waitFor('nine deliveries blocked on the first claim', async () => (await blockedOnClaim()) >= 9);
        }),
      ),
    );
    await watcher.end();
    expect(outcomes.filter((o) => o === 'handled')).toHaveLength(1);
    expect(await effectCount(e.id)).toBe(1);
  });

  it('forgets a delivery whose effect failed, so the retry applies it', async () => {
    const e = event();
    await expect(
      inbox.handleOnce('c', e, async (m) => {
        await m.query(`INSERT INTO "${f.schema}".effects (event_id) VALUES ($1)`, [e.id]);
        throw new Error('downstream hiccup');
      }),
    ).rejects.toThrow('downstream hiccup');
    expect(await effectCount(e.id)).toBe(0);
    expect(
      await inbox.handleOnce('c', e, (m) =>
        m.query(`INSERT INTO "${f.schema}".effects (event_id) VALUES ($1)`, [e.id]).then(() => undefined),
      ),
    ).toBe('handled');
    expect(await effectCount(e.id)).toBe(1);
  });

  it('keeps consumers apart: each consumer handles the event once', async () => {
    const e = event();
    const effect = (m: import('typeorm').EntityManager) =>
      m.query(`INSERT INTO "${f.schema}".effects (event_id) VALUES ($1)`, [e.id]).then(() => undefined);
    expect(await inbox.handleOnce('a', e, effect)).toBe('handled');
    expect(await inbox.handleOnce('b', e, effect)).toBe('handled');
    expect(await effectCount(e.id)).toBe(2);
  });

  describe('a batch of deliveries in one transaction', () => {
    const record = (id: string) => (m: import('typeorm').EntityManager) =>
      m.query(`INSERT INTO "${f.schema}".effects (event_id) VALUES ($1)`, [id]).then(() => undefined);

    it('applies each new event once and skips those already handled', async () => {
      const [a, b, c] = [event(), event(), event()];
      await inbox.handleOnce('c', b, record(b.id));
      const outcomes = await inbox.handleAllOnce([a, b, c, a].map((e) => ({ consumer: 'c', envelope: e, effect: record(e.id) })));
      expect(outcomes).toEqual(['handled', 'duplicate', 'handled', 'duplicate']);
      for (const e of [a, b, c]) expect(await effectCount(e.id)).toBe(1);
    });

    it('keeps nothing of the batch when one effect fails, so each can be retried alone', async () => {
      const [a, b] = [event(), event()];
      await expect(
        inbox.handleAllOnce([
          { consumer: 'c', envelope: a, effect: record(a.id) },
          { consumer: 'c', envelope: b, effect: () => Promise.reject(new Error('downstream hiccup')) },
        ]),
      ).rejects.toThrow('downstream hiccup');
      expect(await effectCount(a.id)).toBe(0);
      expect(await inbox.handleOnce('c', a, record(a.id))).toBe('handled');
      expect(await effectCount(a.id)).toBe(1);
    });
  });
});
