import { HandledEvent, HandledMatch, HandlerOutcome, HandlerSpy } from '@aftersales/messaging';
import { RunningService } from '@aftersales/platform';

/**
 * Waits until a service's event handler has committed (or skipped as a duplicate) the event with
 * this id, or the first one matching the predicate: no sleeping, no polling.
 */
export function waitForHandled(
  on: HandlerSpy | RunningService | { service: RunningService },
  match: HandledMatch,
  opts: { timeoutMs?: number; outcomes?: HandlerOutcome[] } = {},
): Promise<HandledEvent> {
  const spy = on instanceof HandlerSpy ? on : 'handlers' in on ? on.handlers : on.service.handlers;
  return spy.waitFor(match, opts);
}

/** A predicate for `waitForHandled`: an event of this type whose data has these fields. */
export function eventOf(type: string, fields: Record<string, unknown> = {}): (e: HandledEvent) => boolean {
  return (e) => e.type === type && Object.entries(fields).every(([k, v]) => (e.data as Record<string, unknown> | null)?.[k] === v);
}
