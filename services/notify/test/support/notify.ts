import { InProcessBus } from '@aftersales/messaging';
import { ManualClock } from '@aftersales/platform';
import { EventData } from '@aftersales/contracts';
import { deliver, startTestService, TestService, upstreamEvent } from '@aftersales/testing';
import { randomUUID } from 'node:crypto';
import { DeliveryWorker } from '../../src/deliveries/delivery-worker';
import { notifyService } from '../../src/notify.service-definition';
import { channelEnv, HttpRecorder, SmtpListener, startHttpRecorder, startSmtpListener } from './peers';

/** Notify on a fixed clock with its e-mail and SMS adapters pointed at local listeners. */
export interface NotifyWithPeers {
  t: TestService;
  smtp: SmtpListener;
  sms: HttpRecorder;
  /** the loop is off (NOTIFY_DELIVERY_POLL_MS=0): a test steps the clock and calls tick() */
  worker: DeliveryWorker;
  stop(): Promise<void>;
}

export async function startNotifyWithPeers(clock: ManualClock, env: Record<string, string> = {}): Promise<NotifyWithPeers> {
  const smtp = await startSmtpListener();
  const sms = await startHttpRecorder();
  const t = await startTestService(notifyService, {
    bus: new InProcessBus(),
    clock,
    env: { ...channelEnv(smtp, sms), NOTIFY_DELIVERY_POLL_MS: '0', ...env },
  });
  return {
    t,
    smtp,
    sms,
    worker: t.service.app.get(DeliveryWorker),
    stop: async () => {
      await t.stop();
      await smtp.close();
      await sms.close();
    },
  };
}

/** Registers a person in the directory (admin), defaults: region north, English. */
export async function putPerson(t: TestService, id: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const r = await t.http('PUT', `/people/${id}`, {
    role: 'admin',
    body: { region: 'north', language: 'en', ...body, name: body.name ?? id },
  });
  if (r.status !== 200) throw new Error(`PUT /people/${id}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** `channel:recipient` of every delivery row of a case. */
export async function recipientsOf(t: TestService, caseId: string): Promise<string[]> {
  return (await t.http('GET', `/deliveries?caseId=${caseId}`, { role: 'manager' })).body.items.map(
    (d: { channel: string; recipient: string }) => `${d.channel}:${d.recipient}`,
  );
}

/** A ladder rung fired at `at` (ladder B, P1, diagnosis unless overridden). */
export function rungReached(caseId: string, at: Date, over: Record<string, unknown> = {}) {
  return upstreamEvent('escalation.rung.reached.v1', caseId, {
    clockId: randomUUID(),
    caseId,
    region: 'north',
    severity: 'P1',
    policyId: 'ladder-b',
    policyVersion: 1,
    eventKey: 'rung:1',
    dueAt: at.toISOString(),
    firedAt: at.toISOString(),
    target: 'diagnosis',
    rungIndex: 1,
    afterMinutes: 60,
    label: '1h: Manager2',
    notifyRoles: ['manager2'],
    ...over,
  });
}

/** A case opened (`opened`), assigned to `engineer`, then an SLA warning for its owner — at the clock's time. */
export async function warnOwnerOf(
  t: TestService,
  clock: ManualClock,
  opened: EventData<'case.opened.v1'>,
  engineer: { id: string; name: string },
  warning: { policyId: string; target: string; breachAt: Date },
): Promise<void> {
  const { caseId, caseNumber, customerId, severity } = opened;
  await deliver(t.bus, upstreamEvent('case.opened.v1', caseId, opened));
  const at = clock.now().toISOString();
  await deliver(
    t.bus,
    upstreamEvent('case.assigned.v1', caseId, {
      caseId,
      caseNumber,
      region: 'north',
      customerId,
      severity,
      tier: 'L2',
      engineerId: engineer.id,
      engineerName: engineer.name,
      actor: { subject: 'system:case', role: 'system' },
      reason: 'assignment policy',
      at,
    }),
  );
  await deliver(
    t.bus,
    upstreamEvent('escalation.warning.v1', caseId, {
      clockId: randomUUID(),
      caseId,
      region: 'north',
      severity,
      policyId: warning.policyId,
      policyVersion: 1,
      eventKey: `warning:${warning.target}`,
      dueAt: at,
      firedAt: at,
      target: warning.target,
      breachAt: warning.breachAt.toISOString(),
    }),
  );
}
