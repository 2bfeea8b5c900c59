import { EventEnvelope } from '@aftersales/contracts';
import { InProcessBus } from '@aftersales/messaging';
import { Clock } from '@aftersales/platform';
import { recordTopic, startTestService, TestService } from '@aftersales/testing';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the must-shows run the real case and escalation services beside intake
import { caseService } from '@aftersales/service-case';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { escalationService } from '@aftersales/service-escalation';
import { intakeService } from '../src/intake.service-definition';

/** Intake with its timed loops off: the test ticks them. */
export const INTAKE_LOOPS_OFF = { INTAKE_HANDOFF_SWEEP_MS: '0', INTAKE_MAINTENANCE_TICK_MS: '0' };

/** Intake beside the real case and escalation services on one bus, on one clock. */
export interface IntakeStack {
  bus: InProcessBus;
  intake: TestService;
  cs: TestService;
  esc: TestService;
  /** what intake publishes on its requests topic */
  intakeEvents: EventEnvelope[];
  /** what escalation publishes on its events topic */
  escEvents: EventEnvelope[];
  /** drains the three outboxes, stops `replicas` (e.g. a second intake on the same schema), then the three */
  stop(replicas?: (TestService | undefined)[]): Promise<void>;
}

export async function startIntakeStack(clock: Clock): Promise<IntakeStack> {
  const bus = new InProcessBus({ retryBackoffMs: [10] });
  const intakeEvents = await recordTopic(bus, 'aftersales.intake.requests.v1');
  const escEvents = await recordTopic(bus, 'aftersales.escalation.events.v1');
  const [intake, cs, esc] = await Promise.all([
    startTestService(intakeService, { bus, clock, env: INTAKE_LOOPS_OFF }),
    startTestService(caseService, { bus, clock, env: { CASE_ASSIGN_RETRY_MS: '0' } }),
    startTestService(escalationService, { bus, clock, env: { ESCALATION_DEADLINE_SWEEP_MS: '0', ESCALATION_FIRING_INTERVAL_MS: '50' } }),
  ]);
  return {
    bus,
    intake,
    cs,
    esc,
    intakeEvents,
    escEvents,
    async stop(replicas = []) {
      for (const s of [intake, cs, esc]) await s.service.runtime.relay.drain().catch(() => undefined);
      for (const s of replicas) await s?.stop();
      for (const s of [intake, cs, esc]) await s.stop();
    },
  };
}
