import { MigrationInterface, QueryRunner } from 'typeorm';

/** Intake channels: mail received by the SMTP listener, its attachments, and the after-hours voicemail queue. */
export class IntakeChannels1700000000300 implements MigrationInterface {
  name = 'IntakeChannels1700000000300';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`CREATE TABLE "${s}".inbound_emails (
      id uuid PRIMARY KEY,
      -- a resent mail (same Message-ID) is accepted by SMTP but writes nothing new
      message_id text NOT NULL UNIQUE,
      from_address text NOT NULL,
      from_name text,
      subject text NOT NULL,
      text text NOT NULL,
      region text NOT NULL,
      received_at timestamptz NOT NULL,
      -- received: stored, not yet filed (resumed after a crash); filed: a request exists;
      -- unmatched: unknown sender, waits for an agent; reply: threaded onto a case by its number
      status text NOT NULL CHECK (status IN ('received', 'filed', 'unmatched', 'reply')),
      customer_id text,
      contact_id text,
      request_id uuid,
      case_number text,
      filed_by text,
      filed_at timestamptz
    )`);
    await q.query(`CREATE INDEX inbound_emails_status ON "${s}".inbound_emails (status, received_at)`);
    await q.query(`CREATE TABLE "${s}".attachments (
      id uuid PRIMARY KEY,
      owner_kind text NOT NULL CHECK (owner_kind IN ('email', 'voicemail')),
      owner_id uuid NOT NULL,
      region text NOT NULL,
      -- null until the owner is matched to a customer (customers never see unmatched mail)
      customer_id text,
      filename text NOT NULL,
      content_type text NOT NULL,
      size integer NOT NULL CHECK (size >= 0),
      content bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX attachments_owner ON "${s}".attachments (owner_kind, owner_id)`);
    await q.query(`CREATE TABLE "${s}".voicemails (
      id uuid PRIMARY KEY,
      region text NOT NULL,
      caller_number text NOT NULL,
      caller_name text,
      message text NOT NULL,
      customer_id text,
      contact_id text,
      contract_id text,
      calendar_id text,
      recorded_at timestamptz NOT NULL,
      due_at timestamptz NOT NULL,
      -- queued: a task for the next business day; filed: a request exists
      status text NOT NULL CHECK (status IN ('queued', 'filed')),
      request_id uuid,
      handled_by text,
      handled_at timestamptz,
      -- recorded by an agent before it was due (allowed, but visible in reports)
      handled_early boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX voicemails_due ON "${s}".voicemails (due_at) WHERE status = 'queued'`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`DROP TABLE "${s}".voicemails`);
    await q.query(`DROP TABLE "${s}".attachments`);
    await q.query(`DROP TABLE "${s}".inbound_emails`);
  }
}
