import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EventData, EventEnvelope } from '@aftersales/contracts';
import { SERVICE_RUNTIME, ServiceRuntime } from '@aftersales/platform';
import { FIRST_RESPONSE_TARGETS } from './clock-targets';

/**
 * The case's first response to the customer (`case.customer-responded.v1`, once per case) meets
 * the response and e-mail-reply targets: their running clocks of the current episode stop at the
 * response's time (from the event, so a late or redelivered event gives the same clocks) and
 * fire nothing more. The main clock runs on.
 */
@Controller()
export class FirstResponseClocks {
  constructor(@Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime) {}

  @EventPattern('case.customer-responded.v1')
  async onResponded(@Payload() event: EventEnvelope<EventData<'case.customer-responded.v1'>>): Promise<void> {
    const r = event.data;
    const s = this.rt.config.database.schema;
    await this.rt.inbox.handleOnce('escalation.first-response', event, async (m) => {
      const at = new Date(r.at);
      const clocks: Array<{ id: string }> = await m.query(
        `SELECT id FROM "${s}".sla_clocks
          WHERE case_id = $1 AND target = ANY($2::text[]) AND state = 'running'
            AND episode = (SELECT max(episode) FROM "${s}".sla_clocks WHERE case_id = $1)
          FOR UPDATE`,
        [r.caseId, FIRST_RESPONSE_TARGETS],
      );
      if (clocks.length === 0) return; // none for this case (policy without these targets), or already stopped by resolution
      const ids = clocks.map((k) => k.id);
      await m.query(
        `UPDATE "${s}".sla_clocks SET state = 'stopped', stopped_at = $2, stop_reason = 'responded', next_due_at = NULL, paused_since = NULL
          WHERE id = ANY($1::uuid[])`,
        [ids, at],
      );
      // answered during a wait: the wait ends for these clocks where they stop (nothing would close it later)
      await m.query(`UPDATE "${s}".clock_pauses SET to_at = GREATEST(from_at, $2) WHERE clock_id = ANY($1::uuid[]) AND to_at IS NULL`, [
        ids,
        at,
      ]);
    });
  }
}
