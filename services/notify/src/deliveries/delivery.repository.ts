import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@aftersales/config';
import { SERVICE_CONFIG } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Channel, Language } from '../domain';
import { changedRows, selectOne, selectRows } from '@aftersales/persistence';

export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'dead' | 'skipped' | 'digested' | 'recorded';

/** A row of the delivery log (`notifications`). */
export interface Delivery {
  id: string;
  eventId: string | null;
  eventType: string | null;
  caseId: string | null;
  customerId: string | null;
  region: string;
  template: string;
  kind: 'single' | 'digest';
  digestId: string | null;
  channel: Channel;
  recipient: string;
  personId: string | null;
  onBehalfOf: string | null;
  audience: 'staff' | 'customer';
  role: string | null;
  language: Language;
  severity: string | null;
  subject: string | null;
  body: string | null;
  html: string | null;
  status: DeliveryStatus;
  attempts: number;
  /** attempts made before an operator's last retry: the budget of NOTIFY_MAX_ATTEMPTS counts from here */
  attemptsBeforeRetry: number;
  resends: number;
  dueAt: Date | null;
  leaseUntil: Date | null;
  sentAt: Date | null;
  messageId: string | null;
  providerAnswer: string | null;
  readAt: Date | null;
  createdAt: Date;
}

export type NewDelivery = Omit<Delivery, 'attempts' | 'attemptsBeforeRetry' | 'resends' | 'leaseUntil' | 'messageId' | 'readAt'> & {
  dedupeKey: string;
};

/** A row claimed for sending: the attempt it is on, and whether an earlier attempt's outcome is unknown. */
export interface Claimed extends Delivery {
  resend: boolean;
}

export interface Attempt {
  attempt: number;
  resend: boolean;
  startedAt: Date;
  finishedAt: Date | null;
  outcome: 'sent' | 'failed' | 'dead' | null;
  answer: string | null;
}

const FIELDS: Array<[string, string]> = [
  ['id', 'id'],
  ['event_id', 'eventId'],
  ['event_type', 'eventType'],
  ['case_id', 'caseId'],
  ['customer_id', 'customerId'],
  ['region', 'region'],
  ['template', 'template'],
  ['kind', 'kind'],
  ['digest_id', 'digestId'],
  ['channel', 'channel'],
  ['recipient', 'recipient'],
  ['person_id', 'personId'],
  ['on_behalf_of', 'onBehalfOf'],
  ['audience', 'audience'],
  ['role', 'role'],
  ['language', 'language'],
  ['severity', 'severity'],
  ['subject', 'subject'],
  ['body', 'body'],
  ['html', 'html'],
  ['status', 'status'],
  ['attempts', 'attempts'],
  ['attempts_before_retry', 'attemptsBeforeRetry'],
  ['resends', 'resends'],
  ['due_at', 'dueAt'],
  ['lease_until', 'leaseUntil'],
  ['sent_at', 'sentAt'],
  ['message_id', 'messageId'],
  ['provider_answer', 'providerAnswer'],
  ['read_at', 'readAt'],
  ['created_at', 'createdAt'],
];
const columns = (alias = '') => FIELDS.map(([c, f]) => `${alias}${c} AS "${f}"`).join(', ');
const COLUMNS = columns();

export interface DeliveryFilter {
  caseId?: string;
  status?: string;
  channel?: string;
  /** staff: one region (undefined: all, for admins) */
  region?: string;
  /** customers: only what was sent to them */
  customerId?: string;
}

/** Every statement on the delivery log and its attempts. */
@Injectable()
export class DeliveryRepository {
  private readonly t: string;
  private readonly attempts: string;
  private readonly cases: string;

  constructor(
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
    private readonly db: DataSource,
  ) {
    this.t = `"${config.database.schema}".notifications`;
    this.attempts = `"${config.database.schema}".delivery_attempts`;
    this.cases = `"${config.database.schema}".cases`;
  }

  /** Inserts unless a row with the same (event, channel, recipient) key exists; true when inserted. */
  async insert(m: EntityManager, d: NewDelivery): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO ${this.t} (id, event_id, event_type, dedupe_key, case_id, customer_id, region, template, kind, digest_id, channel,
         recipient, person_id, on_behalf_of, audience, role, language, severity, subject, body, html, status, due_at, sent_at,
         provider_answer, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [
        d.id,
        d.eventId,
        d.eventType,
        d.dedupeKey,
        d.caseId,
        d.customerId,
        d.region,
        d.template,
        d.kind,
        d.digestId,
        d.channel,
        d.recipient,
        d.personId,
        d.onBehalfOf,
        d.audience,
        d.role,
        d.language,
        d.severity,
        d.subject,
        d.body,
        d.html,
        d.status,
        d.dueAt,
        d.sentAt,
        d.providerAnswer,
        d.createdAt,
      ],
    );
    return rows.length === 1;
  }

  /** Messages queued or sent to this address on this channel since `since` (the rate limit's window). */
  async recentCount(m: EntityManager, channel: Channel, recipient: string, since: Date): Promise<number> {
    const r = await selectOne<{ n: number }>(
      m,
      `SELECT count(*)::int AS n FROM ${this.t}
        WHERE channel = $1 AND recipient = $2 AND created_at >= $3 AND status NOT IN ('skipped', 'digested')`,
      [channel, recipient, since],
    );
    return r?.n ?? 0;
  }

  /**
   * The recipient's open digest on this channel, created (due `dueAt`) when there is none; locked
   * until the caller commits, so the worker never sends a digest while a member is being added.
   */
  async openDigest(m: EntityManager, d: NewDelivery): Promise<string> {
    for (;;) {
      await m.query(
        `INSERT INTO ${this.t} (id, dedupe_key, region, template, kind, channel, recipient, person_id, audience, role, language, status,
           due_at, created_at)
         VALUES ($1::uuid, 'digest:' || $1::text, $2, 'digest', 'digest', $3, $4, $5, $6, $7, $8, 'queued', $9, $10)
         ON CONFLICT (channel, recipient) WHERE kind = 'digest' AND status = 'queued' DO NOTHING`,
        [d.id, d.region, d.channel, d.recipient, d.personId, d.audience, d.role, d.language, d.dueAt, d.createdAt],
      );
      const open = await selectOne<{ id: string }>(
        m,
        `SELECT id FROM ${this.t} WHERE kind = 'digest' AND status = 'queued' AND channel = $1 AND recipient = $2 FOR UPDATE`,
        [d.channel, d.recipient],
      );
      if (open) return open.id;
      // the worker claimed it between our insert and our lock: open the next one
      d = { ...d, id: randomUUID() };
    }
  }

  /**
   * Claims up to `limit` rows due at `now` for one attempt each, in one short transaction that
   * commits before anything is sent: queued and failed rows whose time has come, and rows whose
   * send lease ran out (the sender died or hung between the provider's accept and its commit:
   * sent again, same Message-ID, counted in `resends`). SKIP LOCKED lets replicas share the log.
   */
  async claim(now: Date, leaseMs: number, limit: number): Promise<Claimed[]> {
    return this.db.transaction(async (m) => {
      const rows = await changedRows<Claimed>(
        m,
        `WITH due AS (
           SELECT id, status = 'sending' AS resend FROM ${this.t}
            WHERE (status IN ('queued', 'failed') AND due_at <= $1) OR (status = 'sending' AND lease_until <= $1)
            ORDER BY due_at, id
            LIMIT $3
            FOR UPDATE SKIP LOCKED)
         UPDATE ${this.t} n
            SET status = 'sending', attempts = n.attempts + 1, resends = n.resends + due.resend::int, lease_until = $2
           FROM due WHERE n.id = due.id
         RETURNING ${columns('n.')}, due.resend`,
        [now, new Date(now.getTime() + leaseMs), limit],
      );
      if (rows.length) {
        await m.query(
          `INSERT INTO ${this.attempts} (notification_id, attempt, resend, started_at)
           SELECT * FROM unnest($1::uuid[], $2::int[], $3::boolean[], $4::timestamptz[])`,
          [rows.map((r) => r.id), rows.map((r) => r.attempts), rows.map((r) => r.resend), rows.map(() => now)],
        );
      }
      return rows;
    });
  }

  /** The notices merged into a digest, oldest first, with their case numbers. */
  async digestMembers(digestId: string): Promise<Array<Delivery & { caseNumber: string | null }>> {
    return this.db.query(
      `SELECT ${columns('n.')}, c.case_number AS "caseNumber" FROM ${this.t} n LEFT JOIN ${this.cases} c ON c.case_id = n.case_id
        WHERE n.digest_id = $1 ORDER BY n.created_at, n.id`,
      [digestId],
    );
  }

  /**
   * Records a provider's accept for the attempt that claimed the row; false when a later claim
   * (this sender's lease ran out) owns the row now — then that claim records the outcome.
   */
  async markSent(
    m: EntityManager,
    c: Claimed,
    at: Date,
    r: { answer: string; messageId: string | null; subject: string; body: string; html: string },
  ): Promise<boolean> {
    const done = await changedRows(
      m,
      `UPDATE ${this.t} SET status = 'sent', sent_at = $3, lease_until = NULL, provider_answer = $4, message_id = $5,
              subject = $6, body = $7, html = $8
        WHERE id = $1 AND attempts = $2 AND status = 'sending' RETURNING id`,
      [c.id, c.attempts, at, r.answer, r.messageId, r.subject, r.body, r.html],
    );
    if (done.length) await this.finishAttempt(m, c, at, 'sent', r.answer);
    return done.length === 1;
  }

  /** Records a failed attempt: retried at `retryAt`, or dead. */
  async markFailed(m: EntityManager, c: Claimed, at: Date, answer: string, retryAt: Date | null): Promise<boolean> {
    const outcome = retryAt ? 'failed' : 'dead';
    const done = await changedRows(
      m,
      `UPDATE ${this.t} SET status = $3, due_at = COALESCE($4, due_at), lease_until = NULL, provider_answer = $5
        WHERE id = $1 AND attempts = $2 AND status = 'sending' RETURNING id`,
      [c.id, c.attempts, outcome, retryAt, answer],
    );
    if (done.length) await this.finishAttempt(m, c, at, outcome, answer);
    return done.length === 1;
  }

  private async finishAttempt(m: EntityManager, c: Claimed, at: Date, outcome: string, answer: string): Promise<void> {
    await m.query(`UPDATE ${this.attempts} SET finished_at = $3, outcome = $4, answer = $5 WHERE notification_id = $1 AND attempt = $2`, [
      c.id,
      c.attempts,
      at,
      outcome,
      answer,
    ]);
  }

  async list(f: DeliveryFilter, page: { limit: number; offset: number }): Promise<{ items: Delivery[]; total: number }> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      args.push(v);
      where.push(sql.replace('?', `$${args.length}`));
    };
    if (f.caseId) add('case_id = ?', f.caseId);
    if (f.status) add('status = ?', f.status);
    if (f.channel) add('channel = ?', f.channel);
    if (f.region) add('region = ?', f.region);
    if (f.customerId !== undefined) {
      add('customer_id = ?', f.customerId);
      where.push(`audience = 'customer'`);
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = await this.count(`SELECT count(*)::int AS total FROM ${this.t} ${w}`, args);
    const items = await selectRows<Delivery>(
      this.db,
      `SELECT ${COLUMNS} FROM ${this.t} ${w} ORDER BY created_at DESC, id LIMIT $${args.length + 1} OFFSET $${args.length + 2}`,
      [...args, page.limit, page.offset],
    );
    return { items, total };
  }

  async get(id: string, f: DeliveryFilter): Promise<(Delivery & { attemptLog: Attempt[] }) | undefined> {
    const d = await selectOne<Delivery>(this.db, `SELECT ${COLUMNS} FROM ${this.t} WHERE id = $1`, [id]);
    if (!d) return undefined;
    if (f.region !== undefined && d.region !== f.region) return undefined;
    if (f.customerId !== undefined && (d.customerId !== f.customerId || d.audience !== 'customer')) return undefined;
    const attemptLog = await selectRows<Attempt>(
      this.db,
      `SELECT attempt, resend, started_at AS "startedAt", finished_at AS "finishedAt", outcome, answer
         FROM ${this.attempts} WHERE notification_id = $1 ORDER BY attempt`,
      [id],
    );
    return { ...d, attemptLog };
  }

  /** A dead (or failed) delivery back to the queue, due now, with a fresh budget of attempts (numbering goes on). */
  async requeue(id: string, now: Date, region: string | undefined): Promise<Delivery | undefined> {
    const [d] = await changedRows<Delivery>(
      this.db,
      `UPDATE ${this.t} SET status = 'queued', due_at = $2, attempts_before_retry = attempts
        WHERE id = $1 AND status IN ('dead', 'failed') AND ($3::text IS NULL OR region = $3) RETURNING ${COLUMNS}`,
      [id, now, region ?? null],
    );
    return d;
  }

  // ---- the in-app inbox: a person's in-app deliveries ----------------------------------------

  async inbox(
    personId: string,
    unreadOnly: boolean,
    page: { limit: number; offset: number },
  ): Promise<{ items: Delivery[]; total: number }> {
    const w = `WHERE channel = 'in-app' AND person_id = $1 ${unreadOnly ? 'AND read_at IS NULL' : ''}`;
    const total = await this.count(`SELECT count(*)::int AS total FROM ${this.t} ${w}`, [personId]);
    const items = await selectRows<Delivery>(
      this.db,
      `SELECT ${COLUMNS} FROM ${this.t} ${w} ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
      [personId, page.limit, page.offset],
    );
    return { items, total };
  }

  async unreadCount(personId: string): Promise<number> {
    const r = await selectOne<{ n: number }>(
      this.db,
      `SELECT count(*)::int AS n FROM ${this.t} WHERE channel = 'in-app' AND person_id = $1 AND read_at IS NULL`,
      [personId],
    );
    return r?.n ?? 0;
  }

  /** Marks read (once: a second call keeps the first time); undefined when it is not this person's. */
  async markRead(personId: string, id: string, at: Date): Promise<{ id: string; readAt: Date } | undefined> {
    const [r] = await changedRows<{ id: string; readAt: Date }>(
      this.db,
      `UPDATE ${this.t} SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND channel = 'in-app' AND person_id = $2
       RETURNING id, read_at AS "readAt"`,
      [id, personId, at],
    );
    return r;
  }

  async markAllRead(personId: string, at: Date): Promise<number> {
    const rows = await changedRows(
      this.db,
      `UPDATE ${this.t} SET read_at = $2 WHERE channel = 'in-app' AND person_id = $1 AND read_at IS NULL RETURNING id`,
      [personId, at],
    );
    return rows.length;
  }

  private async count(sql: string, args: readonly unknown[]): Promise<number> {
    const r = await selectOne<{ total: number }>(this.db, sql, args);
    return r?.total ?? 0;
  }
}
