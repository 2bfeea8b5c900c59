/**
 * kafkajs 2.2.4 (its last release) re-arms a 1 ms timer on every broker connection for as long as
 * the connection lives, pending requests or not (tulios/kafkajs#1556; the fix proposed in #1667 was
 * never released): an idle service with its dozen consumer connections kept ~9 % of a core busy.
 * A check is only needed while requests wait (client-side throttling); `push` schedules one when a
 * request is queued and every answer runs the check, so nothing waits on the timer this skips.
 */
// kafkajs's request queue is internal: no types, not part of its API
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('kafkajs/package.json') as { version: string };

export const PATCHED_KAFKAJS = '2.2.4';

const patched = Symbol.for('aftersales.kafkajs.quietIdleRequestQueues');

interface RequestQueue {
  pending: unknown[];
  scheduleCheckPendingRequests: (this: RequestQueue) => void;
  [patched]?: true;
}

/** Installs the fix once; false (and nothing changed) under another kafkajs release. */
export function quietIdleRequestQueues(): boolean {
  if (version !== PATCHED_KAFKAJS) return false;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { prototype } = require('kafkajs/src/network/requestQueue') as { prototype: RequestQueue };
  if (prototype[patched]) return true;
  const schedule = prototype.scheduleCheckPendingRequests;
  prototype.scheduleCheckPendingRequests = function (this: RequestQueue) {
    if (this.pending.length > 0) schedule.call(this);
  };
  prototype[patched] = true;
  return true;
}
