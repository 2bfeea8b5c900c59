import { assertIdentifier } from '@aftersales/persistence';

export const outboxChannel = (schema: string): string => `aftersales_outbox_${schema}`;

/**
 * The outbox and inbox of one service schema. Each service's first migration runs this, so the
 * tables live beside the rows whose changes they carry and commit in the same transaction.
 */
export function messagingTablesSql(schemaName: string): string[] {
  const schema = assertIdentifier(schemaName);
  return [
    `CREATE TABLE "${schema}".outbox (
      id bigserial PRIMARY KEY,
      event_id uuid NOT NULL UNIQUE,
      topic text NOT NULL,
      aggregate_type text NOT NULL,
      aggregate_id text NOT NULL,
      event_type text NOT NULL,
      payload jsonb NOT NULL,
      metadata jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      sent_at timestamptz,
      dead_at timestamptz
    )`,
    `CREATE INDEX outbox_pending ON "${schema}".outbox (id) WHERE sent_at IS NULL AND dead_at IS NULL`,
    `CREATE INDEX outbox_sent_at ON "${schema}".outbox (sent_at) WHERE sent_at IS NOT NULL`,
    `CREATE FUNCTION "${schema}".outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('${outboxChannel(schema)}', ''); RETURN NULL; END $$`,
    `CREATE TRIGGER outbox_notify AFTER INSERT ON "${schema}".outbox
      FOR EACH STATEMENT EXECUTE FUNCTION "${schema}".outbox_notify()`,
    `CREATE TABLE "${schema}".inbox (
      event_id uuid NOT NULL,
      consumer text NOT NULL,
      event_type text NOT NULL,
      handled_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (event_id, consumer)
    )`,
  ];
}
