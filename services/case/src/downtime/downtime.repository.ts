import { Inject, Injectable } from '@nestjs/common';
import { DowntimeCause } from '@aftersales/contracts';
import { ServiceConfig } from '@aftersales/config';
import { SERVICE_CONFIG } from '@aftersales/platform';
import { selectOne } from '@aftersales/persistence';
import { EntityManager } from 'typeorm';

export interface Classification {
  id: string;
  caseId: string;
  cause: DowntimeCause;
  previousCause: DowntimeCause | null;
  reason: string;
  periods: Array<{ from: string; to: string }> | null;
  actor: { subject: string; role: string };
  at: Date;
}

/** The SQL of a case's downtime cause and its audit trail. */
@Injectable()
export class DowntimeRepository {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {}

  private get s(): string {
    return this.config.database.schema;
  }

  async causeOf(m: EntityManager, caseId: string): Promise<DowntimeCause | null> {
    const row = await selectOne<{ cause: DowntimeCause | null }>(m, `SELECT downtime_cause AS cause FROM "${this.s}".cases WHERE id = $1`, [
      caseId,
    ]);
    return row?.cause ?? null;
  }

  async record(m: EntityManager, c: Classification): Promise<void> {
    await m.query(`UPDATE "${this.s}".cases SET downtime_cause = $2 WHERE id = $1`, [c.caseId, c.cause]);
    await m.query(
      `INSERT INTO "${this.s}".case_downtime_classifications
         (id, case_id, cause, previous_cause, reason, periods, actor_subject, actor_role, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        c.id,
        c.caseId,
        c.cause,
        c.previousCause,
        c.reason,
        c.periods ? JSON.stringify(c.periods) : null,
        c.actor.subject,
        c.actor.role,
        c.at,
      ],
    );
  }

  async history(m: EntityManager, caseId: string): Promise<Classification[]> {
    const rows: Array<Record<string, unknown>> = await m.query(
      `SELECT id, case_id, cause, previous_cause, reason, periods, actor_subject, actor_role, at
         FROM "${this.s}".case_downtime_classifications WHERE case_id = $1 ORDER BY at, seq`,
      [caseId],
    );
    return rows.map((r) => ({
      id: r.id as string,
      caseId: r.case_id as string,
      cause: r.cause as DowntimeCause,
      previousCause: (r.previous_cause as DowntimeCause | null) ?? null,
      reason: r.reason as string,
      periods: (r.periods as Classification['periods']) ?? null,
      actor: { subject: r.actor_subject as string, role: r.actor_role as string },
      at: r.at as Date,
    }));
  }
}
