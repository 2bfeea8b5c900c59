import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notify delivers: `notifications` becomes the delivery log (one row per event, recipient and
 * channel, unique by `dedupe_key`) with the state a worker claims from (queued → sending → sent /
 * failed → dead, `due_at`, a lease for the send in flight); `delivery_attempts` keeps every try
 * and the provider's answer. A directory of people (roles, addresses, language, deputy, absence),
 * on-call rotations, a projection of the cases notify talks about (number, contract coverage,
 * owner), versioned templates and customers' webhook subscriptions.
 */
export class NotifyDelivery1700000000200 implements MigrationInterface {
  name = 'NotifyDelivery1700000000200';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`ALTER TABLE "${s}".notifications
      ADD COLUMN event_id uuid,
      ADD COLUMN event_type text,
      ADD COLUMN dedupe_key text,
      ADD COLUMN kind text NOT NULL DEFAULT 'single' CHECK (kind IN ('single', 'digest')),
      ADD COLUMN digest_id uuid,
      ADD COLUMN person_id text,
      ADD COLUMN on_behalf_of text,
      ADD COLUMN audience text NOT NULL DEFAULT 'staff' CHECK (audience IN ('staff', 'customer')),
      ADD COLUMN language text,
      ADD COLUMN severity text,
      ADD COLUMN html text,
      ADD COLUMN attempts integer NOT NULL DEFAULT 0,
      ADD COLUMN attempts_before_retry integer NOT NULL DEFAULT 0,
      ADD COLUMN resends integer NOT NULL DEFAULT 0,
      ADD COLUMN due_at timestamptz,
      ADD COLUMN lease_until timestamptz,
      ADD COLUMN sent_at timestamptz,
      ADD COLUMN message_id text,
      ADD COLUMN provider_answer text,
      ADD COLUMN read_at timestamptz`);
    // rows written before delivery existed were never sent
    await q.query(`UPDATE "${s}".notifications SET dedupe_key = 'legacy:' || id WHERE dedupe_key IS NULL`);
    await q.query(`ALTER TABLE "${s}".notifications ALTER COLUMN dedupe_key SET NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX notifications_dedupe ON "${s}".notifications (dedupe_key)`);
    // what the worker claims: due rows, and sends whose lease ran out (the sender died)
    await q.query(`CREATE INDEX notifications_due ON "${s}".notifications (due_at) WHERE status IN ('queued', 'failed')`);
    await q.query(`CREATE INDEX notifications_leased ON "${s}".notifications (lease_until) WHERE status = 'sending'`);
    // one open digest per recipient and channel; new low-severity notices join it
    await q.query(
      `CREATE UNIQUE INDEX notifications_open_digest ON "${s}".notifications (channel, recipient) WHERE kind = 'digest' AND status = 'queued'`,
    );
    await q.query(`CREATE INDEX notifications_digest_members ON "${s}".notifications (digest_id) WHERE digest_id IS NOT NULL`);
    await q.query(`CREATE INDEX notifications_recent ON "${s}".notifications (channel, recipient, created_at)`);
    await q.query(`CREATE INDEX notifications_inbox ON "${s}".notifications (person_id, created_at) WHERE channel = 'in-app'`);

    await q.query(`CREATE TABLE "${s}".delivery_attempts (
      notification_id uuid NOT NULL REFERENCES "${s}".notifications(id) ON DELETE CASCADE,
      attempt integer NOT NULL,
      resend boolean NOT NULL,
      started_at timestamptz NOT NULL,
      finished_at timestamptz,
      outcome text CHECK (outcome IN ('sent', 'failed', 'dead')),
      answer text,
      PRIMARY KEY (notification_id, attempt)
    )`);

    await q.query(`CREATE TABLE "${s}".people (
      id text PRIMARY KEY,
      name text NOT NULL,
      region text NOT NULL,
      roles text[] NOT NULL DEFAULT '{}',
      language text NOT NULL CHECK (language IN ('zh-CN', 'en')),
      email text,
      phone text,
      wecom text,
      dingtalk text,
      deputy_id text,
      away_from timestamptz,
      away_until timestamptz,
      updated_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX people_roles ON "${s}".people USING gin (roles)`);
    await q.query(`CREATE TABLE "${s}".rotations (
      region text NOT NULL,
      role text NOT NULL,
      time_zone text NOT NULL,
      shifts jsonb NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (region, role)
    )`);

    await q.query(`CREATE TABLE "${s}".cases (
      case_id uuid PRIMARY KEY,
      case_number text,
      region text NOT NULL,
      customer_id text,
      severity text,
      coverage text,
      contact jsonb,
      owner_id text,
      owner_name text,
      updated_at timestamptz NOT NULL
    )`);

    await q.query(`CREATE TABLE "${s}".templates (
      id text NOT NULL,
      language text NOT NULL,
      version integer NOT NULL,
      subject text NOT NULL,
      text text NOT NULL,
      html text NOT NULL,
      created_at timestamptz NOT NULL,
      created_by text NOT NULL,
      PRIMARY KEY (id, language, version)
    )`);

    await q.query(`CREATE TABLE "${s}".webhooks (
      customer_id text PRIMARY KEY,
      region text NOT NULL,
      url text NOT NULL,
      secret text NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    for (const t of ['webhooks', 'templates', 'cases', 'rotations', 'people', 'delivery_attempts']) await q.query(`DROP TABLE "${s}".${t}`);
    for (const i of ['dedupe', 'due', 'leased', 'open_digest', 'digest_members', 'recent', 'inbox'])
      await q.query(`DROP INDEX "${s}".notifications_${i}`);
    await q.query(`ALTER TABLE "${s}".notifications
      DROP COLUMN event_id, DROP COLUMN event_type, DROP COLUMN dedupe_key, DROP COLUMN kind, DROP COLUMN digest_id,
      DROP COLUMN person_id, DROP COLUMN on_behalf_of, DROP COLUMN audience, DROP COLUMN language, DROP COLUMN severity,
      DROP COLUMN html, DROP COLUMN attempts, DROP COLUMN attempts_before_retry, DROP COLUMN resends, DROP COLUMN due_at, DROP COLUMN lease_until,
      DROP COLUMN sent_at, DROP COLUMN message_id, DROP COLUMN provider_answer, DROP COLUMN read_at`);
  }
}
