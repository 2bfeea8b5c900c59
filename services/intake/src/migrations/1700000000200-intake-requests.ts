import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Requests as the agent desk files them: who and what was resolved from the registry, the triage
 * suggestion and any override with its reason, duplicate links, the case projection (from the
 * case service's events) and the 15-minute hand-off clock.
 */
export class IntakeRequests1700000000200 implements MigrationInterface {
  name = 'IntakeRequests1700000000200';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`ALTER TABLE "${s}".service_requests
      ADD COLUMN contact_id text,
      ADD COLUMN site_id text,
      ADD COLUMN asset_id text,
      ADD COLUMN product_line text,
      ADD COLUMN warranty text NOT NULL DEFAULT 'unknown'
        CHECK (warranty IN ('in-warranty','under-contract','expired','unknown')),
      ADD COLUMN contract jsonb,
      ADD COLUMN impact text,
      ADD COLUMN fault_kind text,
      ADD COLUMN doa boolean NOT NULL DEFAULT false,
      ADD COLUMN service_mode text NOT NULL DEFAULT 'remote'
        CHECK (service_mode IN ('remote','on-site','carry-in','mail-in','paid','return-exchange','complaint')),
      ADD COLUMN suggested_severity text CHECK (suggested_severity IN ('P1','P2','P3','P4')),
      ADD COLUMN severity_reason text,
      ADD COLUMN suggested_service_mode text,
      ADD COLUMN service_mode_reason text,
      ADD COLUMN complaint_about jsonb,
      ADD COLUMN attachments jsonb NOT NULL DEFAULT '[]',
      -- what duplicates are matched on: the asset id, else the serial as reported
      ADD COLUMN asset_key text,
      ADD COLUMN linked_request_id uuid REFERENCES "${s}".service_requests(id),
      ADD COLUMN duplicate_override_reason text,
      ADD COLUMN case_id uuid,
      ADD COLUMN case_number text,
      ADD COLUMN case_status text,
      ADD COLUMN case_status_at timestamptz,
      ADD COLUMN handoff_due_at timestamptz,
      ADD COLUMN handoff_overdue_at timestamptz,
      ADD COLUMN taken_at timestamptz`);
    await q.query(`CREATE INDEX service_requests_open_by_asset ON "${s}".service_requests (customer_id, asset_key, received_at DESC)
      WHERE linked_request_id IS NULL AND asset_key IS NOT NULL`);
    await q.query(`CREATE INDEX service_requests_case ON "${s}".service_requests (case_id)`);
    await q.query(`CREATE INDEX service_requests_linked ON "${s}".service_requests (linked_request_id)`);
    await q.query(`CREATE INDEX service_requests_handoff_due ON "${s}".service_requests (handoff_due_at)
      WHERE taken_at IS NULL AND handoff_overdue_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    for (const i of ['open_by_asset', 'case', 'linked', 'handoff_due']) await q.query(`DROP INDEX "${s}".service_requests_${i}`);
    await q.query(`ALTER TABLE "${s}".service_requests
      ${[
        'contact_id',
        'site_id',
        'asset_id',
        'product_line',
        'warranty',
        'contract',
        'impact',
        'fault_kind',
        'doa',
        'service_mode',
        'suggested_severity',
        'severity_reason',
        'suggested_service_mode',
        'service_mode_reason',
        'complaint_about',
        'attachments',
        'asset_key',
        'linked_request_id',
        'duplicate_override_reason',
        'case_id',
        'case_number',
        'case_status',
        'case_status_at',
        'handoff_due_at',
        'handoff_overdue_at',
        'taken_at',
      ]
        .map((c) => `DROP COLUMN ${c}`)
        .join(', ')}`);
  }
}
