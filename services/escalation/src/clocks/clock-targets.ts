import { TargetKind } from '../domain';

/**
 * One clock per case and target: the case's main clock (row target `ladder`) carries the ladder and every target that runs from the report to resolution; a target in
 * `SEPARATE_TARGETS` has a row of its own, started and stopped by its own events — the on-site
 * target exists only for cases served on site and stops when the engineer arrives.
 */
export const MAIN_CLOCK_TARGET = 'ladder';
export const SEPARATE_TARGETS: ReadonlySet<string> = new Set<TargetKind>(['onsite']);

/** Does a clock row with this target fire this planned event? */
export function clockFires(clockTarget: string, e: { target?: TargetKind }): boolean {
  if (SEPARATE_TARGETS.has(clockTarget)) return e.target === clockTarget;
  return !(e.target && SEPARATE_TARGETS.has(e.target));
}
