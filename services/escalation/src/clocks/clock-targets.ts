import { Channel, ServiceMode } from '@aftersales/contracts';
import { SeverityPolicy, TargetKind } from '../domain';

/**
 * One clock per case and target: the case's main clock (row target `ladder`) carries the ladder
 * and every target that runs from the report to resolution; a target in `SEPARATE_TARGETS` has a
 * row of its own, started and stopped by its own events:
 * - `onsite` exists only for cases served on site (or from the first dispatch) and stops when the
 *   engineer arrives;
 * - `response` (every case whose policy has it) and `email-reply` (cases that came in by e-mail)
 *   start with the case and stop at its first response to the customer
 *   (`case.customer-responded.v1`).
 */
export const MAIN_CLOCK_TARGET = 'ladder';
export const SEPARATE_TARGETS: ReadonlySet<string> = new Set<TargetKind>(['onsite', 'response', 'email-reply']);
/** Targets met by the case's first response to the customer. */
export const FIRST_RESPONSE_TARGETS: readonly TargetKind[] = ['response', 'email-reply'];

/** Does a clock row with this target fire this planned event? */
export function clockFires(clockTarget: string, e: { target?: TargetKind }): boolean {
  if (SEPARATE_TARGETS.has(clockTarget)) return e.target === clockTarget;
  return !(e.target && SEPARATE_TARGETS.has(e.target));
}

/**
 * The separate clocks a case starts with when it opens, besides the main one: those its severity's
 * policy has a target for and that apply to the case. A reopen starts none of them: the first
 * response is once per case (the customer has been answered), and on-site time starts again only
 * with a new dispatch.
 */
export function separateTargetsAtOpen(
  policy: SeverityPolicy | undefined,
  c: { serviceMode?: ServiceMode; channel?: Channel },
): TargetKind[] {
  const has = (k: TargetKind) => policy?.targets[k] !== undefined;
  const out: TargetKind[] = [];
  if (has('response')) out.push('response');
  if (has('email-reply') && c.channel === 'email') out.push('email-reply');
  if (has('onsite') && c.serviceMode === 'on-site') out.push('onsite');
  return out;
}
