import { DependencyList, useCallback, useEffect, useRef, useState } from 'react';

/** The current time, ticking (countdowns). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  at: number | null;
  reload: () => void;
}

/**
 * Loads with `fn`, again when `deps` change and every `pollMs` (queues update without a reload);
 * a slow answer never overwrites a newer one.
 */
export function useLoad<T>(fn: () => Promise<T>, deps: DependencyList, pollMs?: number): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean; at: number | null }>({ loading: true, at: null });
  const seq = useRef(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const run = useCallback(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    fnRef.current().then(
      (data) => mine === seq.current && setState({ data, loading: false, at: Date.now() }),
      (e: unknown) =>
        mine === seq.current && setState((s) => ({ ...s, error: e instanceof Error ? e : new Error(String(e)), loading: false })),
    );
  }, []);
  useEffect(() => {
    run();
    if (!pollMs) return;
    const id = setInterval(() => {
      if (document.visibilityState !== 'hidden') run();
    }, pollMs);
    return () => clearInterval(id);
  }, [...deps, pollMs]);
  return { data: state.data, error: state.error, loading: state.loading, at: state.at, reload: run };
}

/** Runs a write, then reloads what it changed; the error stays next to the form that caused it. */
export function useAction() {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<unknown>, after: () => void) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
      after();
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}
