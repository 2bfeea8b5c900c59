/** A state machine as data: for each state, the actions allowed and where each leads. */
export type Machine<S extends string, A extends string> = Record<S, Partial<Record<A, S>>>;

export type MoveCheck<S extends string, A extends string> = { ok: true; to: S } | { ok: false; reason: string; allowed: A[] };

export function allowedActions<S extends string, A extends string>(machine: Machine<S, A>, state: S): A[] {
  return Object.keys(machine[state] ?? {}) as A[];
}

/** Is `action` allowed in `state`? The refusal names what is allowed instead. */
export function checkMove<S extends string, A extends string>(machine: Machine<S, A>, what: string, state: S, action: A): MoveCheck<S, A> {
  const to = machine[state]?.[action];
  if (to) return { ok: true, to };
  const allowed = allowedActions(machine, state);
  return {
    ok: false,
    reason: `a ${state} ${what} cannot ${action}${allowed.length ? `; allowed: ${allowed.join(', ')}` : '; nothing more can happen to it'}`,
    allowed,
  };
}
