import { Inject, Injectable } from '@nestjs/common';
import { EventData } from '@aftersales/contracts';
import { ServiceConfig } from '@aftersales/config';
import { SERVICE_CONFIG } from '@aftersales/platform';
import { selectOne, selectRows } from '@aftersales/persistence';
import { EntityManager } from 'typeorm';
import { OPEN } from '../cases/case-lifecycle';

export interface Window {
  /** null: every region (an admin's view) */
  region: string | null;
  from: Date;
  to: Date;
}

export interface CaseRow {
  id: string;
  severity: string;
  region: string;
  caseType: string;
  tier: string | null;
  assigneeId: string | null;
  reopenCount: number;
  openedAt: Date;
  respondedAt: Date | null;
  diagnosedAt: Date | null;
  resolvedAt: Date | null;
  onSite: boolean;
  escalated: boolean;
}

/** Every SQL statement of the reports capability: its fact tables, and the reads over them and the case tables. */
@Injectable()
export class ReportsRepository {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {}

  private get s(): string {
    return this.config.database.schema;
  }

  // --- facts from other services ------------------------------------------------------------

  async clock(m: EntityManager, d: EventData<'escalation.clock.started.v1'>) {
    await m.query(
      `INSERT INTO "${this.s}".report_clocks (clock_id, case_id, region, severity, target, started_at, due_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [d.clockId, d.caseId, d.region, d.severity, d.target, d.startedAt, d.dueAt],
    );
  }

  async breach(m: EntityManager, d: EventData<'escalation.target.breached.v1'>) {
    await m.query(
      `INSERT INTO "${this.s}".report_breaches (clock_id, target, case_id, region, severity, fired_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [d.clockId, d.target, d.caseId, d.region, d.severity, d.firedAt],
    );
  }

  async rung(m: EntityManager, d: EventData<'escalation.rung.reached.v1'>) {
    await m.query(
      `INSERT INTO "${this.s}".report_rungs (clock_id, rung_index, label, target, case_id, region, severity, fired_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [d.clockId, d.rungIndex, d.label, d.target, d.caseId, d.region, d.severity, d.firedAt],
    );
  }

  async delivery(
    m: EntityManager,
    d: {
      requestId: string;
      caseId: string | null;
      region: string;
      partClass: string;
      reservedAt?: string;
      neededBy?: string;
      deliveredAt?: string;
      late?: boolean;
    },
  ): Promise<{ reservedAt: Date | null; deliveredAt: Date | null }> {
    const row = await selectOne<{ reservedAt: Date | null; deliveredAt: Date | null }>(
      m,
      `INSERT INTO "${this.s}".report_deliveries (request_id, case_id, region, part_class, reserved_at, needed_by, delivered_at, late)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (request_id) DO UPDATE SET reserved_at = COALESCE(report_deliveries.reserved_at, EXCLUDED.reserved_at),
         needed_by = COALESCE(EXCLUDED.needed_by, report_deliveries.needed_by),
         delivered_at = COALESCE(EXCLUDED.delivered_at, report_deliveries.delivered_at), late = COALESCE(EXCLUDED.late, report_deliveries.late)
       RETURNING reserved_at AS "reservedAt", delivered_at AS "deliveredAt"`,
      [d.requestId, d.caseId, d.region, d.partClass, d.reservedAt ?? null, d.neededBy ?? null, d.deliveredAt ?? null, d.late ?? null],
    );
    if (!row) throw new Error(`delivery ${d.requestId}: the upsert returned no row`);
    return row;
  }

  async stockEvent(
    m: EntityManager,
    d: { eventId: string; kind: string; region: string; depotId: string; partNumber: string; partClass: string; at: string },
  ) {
    await m.query(
      `INSERT INTO "${this.s}".report_stock_events (event_id, kind, region, depot_id, part_number, part_class, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [d.eventId, d.kind, d.region, d.depotId, d.partNumber, d.partClass, d.at],
    );
  }

  async survey(m: EntityManager, d: EventData<'survey.answered.v1'>) {
    await m.query(
      `INSERT INTO "${this.s}".report_surveys (survey_id, case_id, region, scores, answered_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [d.surveyId, d.caseId, d.region, JSON.stringify(d.scores), d.answeredAt],
    );
  }

  async callback(
    m: EntityManager,
    d: { callbackId: string; caseId: string; region: string; requestedAt?: string; closedAt?: string; outcome?: string },
  ) {
    await m.query(
      `INSERT INTO "${this.s}".report_callbacks (callback_id, case_id, region, requested_at, closed_at, outcome) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (callback_id) DO UPDATE SET requested_at = COALESCE(report_callbacks.requested_at, EXCLUDED.requested_at),
         closed_at = COALESCE(EXCLUDED.closed_at, report_callbacks.closed_at), outcome = COALESCE(EXCLUDED.outcome, report_callbacks.outcome)`,
      [d.callbackId, d.caseId, d.region, d.requestedAt ?? null, d.closedAt ?? null, d.outcome ?? null],
    );
  }

  // --- reads -----------------------------------------------------------------------------------

  /** Incidents and complaints opened in the window with their milestones (first response, diagnosis, resolution) and path. */
  async cases(m: EntityManager, w: Window): Promise<CaseRow[]> {
    const s = this.s;
    return selectRows(
      m,
      `SELECT c.id, c.severity, c.region, c.case_type AS "caseType", c.tier, c.assignee_id AS "assigneeId", c.reopen_count AS "reopenCount",
              c.opened_at AS "openedAt",
              (SELECT min(w.at) FROM "${s}".case_worklog w WHERE w.case_id = c.id AND w.public AND w.actor_role IN ('engineer','agent','manager','admin')
                  AND (w.kind IN ('note','call') OR (w.kind = 'status' AND w.data->>'to' IN ('in-progress','waiting-customer')))) AS "respondedAt",
              (SELECT min(w.at) FROM "${s}".case_worklog w WHERE w.case_id = c.id AND w.kind = 'diagnosis') AS "diagnosedAt",
              (SELECT min(t.at) FROM "${s}".case_transitions t WHERE t.case_id = c.id AND t.to_status = 'resolved') AS "resolvedAt",
              (EXISTS (SELECT 1 FROM "${s}".field_visits v WHERE v.case_id = c.id)
                OR EXISTS (SELECT 1 FROM "${s}".case_transitions t WHERE t.case_id = c.id AND t.to_status = 'on-site')) AS "onSite",
              EXISTS (SELECT 1 FROM "${s}".case_transitions t WHERE t.case_id = c.id AND t.to_status IN ('escalated','vendor-case-open')) AS escalated
         FROM "${s}".cases c
        WHERE c.case_type <> 'inspection' AND c.opened_at >= $2 AND c.opened_at < $3 AND ($1::text IS NULL OR c.region = $1)
        ORDER BY c.opened_at, c.id`,
      [w.region, w.from, w.to],
    );
  }

  /** SLA clocks started in the window, and whether their target was breached. */
  async clocks(m: EntityManager, w: Window): Promise<Array<{ severity: string; target: string; startedAt: Date; breached: boolean }>> {
    return selectRows(
      m,
      `SELECT k.severity, k.target, k.started_at AS "startedAt",
              EXISTS (SELECT 1 FROM "${this.s}".report_breaches b WHERE b.clock_id = k.clock_id) AS breached
         FROM "${this.s}".report_clocks k
        WHERE k.started_at >= $2 AND k.started_at < $3 AND ($1::text IS NULL OR k.region = $1)`,
      [w.region, w.from, w.to],
    );
  }

  async rungs(
    m: EntityManager,
    w: Window,
  ): Promise<Array<{ severity: string; target: string; rungIndex: number; label: string; firedAt: Date }>> {
    return selectRows(
      m,
      `SELECT severity, target, rung_index AS "rungIndex", label, fired_at AS "firedAt" FROM "${this.s}".report_rungs
        WHERE fired_at >= $2 AND fired_at < $3 AND ($1::text IS NULL OR region = $1) ORDER BY fired_at`,
      [w.region, w.from, w.to],
    );
  }

  async backlog(m: EntityManager, region: string | null): Promise<Array<{ severity: string; region: string; openedAt: Date }>> {
    return selectRows(
      m,
      `SELECT severity, region, opened_at AS "openedAt" FROM "${this.s}".cases
        WHERE case_type <> 'inspection' AND status = ANY($2::text[]) AND ($1::text IS NULL OR region = $1)`,
      [region, OPEN],
    );
  }

  async deliveries(m: EntityManager, w: Window) {
    return selectRows<{ partClass: string; reservedAt: Date | null; deliveredAt: Date; late: boolean | null }>(
      m,
      `SELECT part_class AS "partClass", reserved_at AS "reservedAt", delivered_at AS "deliveredAt", late FROM "${this.s}".report_deliveries
        WHERE delivered_at >= $2 AND delivered_at < $3 AND ($1::text IS NULL OR region = $1)`,
      [w.region, w.from, w.to],
    );
  }

  async stockEvents(m: EntityManager, w: Window) {
    return selectRows<{ kind: string; partClass: string; at: Date }>(
      m,
      `SELECT kind, part_class AS "partClass", at FROM "${this.s}".report_stock_events
        WHERE at >= $2 AND at < $3 AND ($1::text IS NULL OR region = $1)`,
      [w.region, w.from, w.to],
    );
  }

  /** Answers in the window with the case's owner (the engineer the score is about). */
  async surveys(m: EntityManager, w: Window) {
    return selectRows<{
      region: string;
      scores: Record<string, number>;
      answeredAt: Date;
      engineerId: string | null;
      engineerName: string | null;
    }>(
      m,
      `SELECT s.region, s.scores, s.answered_at AS "answeredAt", c.assignee_id AS "engineerId", c.assignee_name AS "engineerName"
         FROM "${this.s}".report_surveys s LEFT JOIN "${this.s}".cases c ON c.id = s.case_id
        WHERE s.answered_at >= $2 AND s.answered_at < $3 AND ($1::text IS NULL OR s.region = $1)`,
      [w.region, w.from, w.to],
    );
  }

  async callbacks(m: EntityManager, w: Window) {
    return selectRows<{ requestedAt: Date | null; closedAt: Date | null; outcome: string | null }>(
      m,
      `SELECT requested_at AS "requestedAt", closed_at AS "closedAt", outcome FROM "${this.s}".report_callbacks
        WHERE COALESCE(requested_at, closed_at) >= $2 AND COALESCE(requested_at, closed_at) < $3 AND ($1::text IS NULL OR region = $1)`,
      [w.region, w.from, w.to],
    );
  }
}
