import { createContext, ReactNode, useContext, useEffect, useState } from 'react';
import { parseEvents } from './live-stream';

/** Case and clock changes pushed by the desk server (`GET /live`, server-sent events fed by the bus). */
interface Live {
  /** bumped (at most every 300 ms) when a case the user may see changed: pages reload on it */
  version: number;
  connected: boolean;
}

const Ctx = createContext<Live>({ version: 0, connected: false });

/**
 * Holds the stream open with the user's token (EventSource cannot send one), reconnecting after a
 * drop; while it is down, pages fall back to polling.
 */
export function LiveProvider({ token, enabled, children }: { token: string; enabled: boolean; children: ReactNode }) {
  const [state, setState] = useState<Live>({ version: 0, connected: false });
  useEffect(() => {
    if (!enabled) return;
    const ctl = new AbortController();
    let bump: ReturnType<typeof setTimeout> | undefined;
    const changed = () => {
      bump ??= setTimeout(() => {
        bump = undefined;
        setState((s) => ({ ...s, version: s.version + 1 }));
      }, 300);
    };
    const connect = async (): Promise<void> => {
      while (!ctl.signal.aborted) {
        try {
          const res = await fetch('/live', { headers: { authorization: `Bearer ${token}` }, signal: ctl.signal });
          if (!res.ok || !res.body) throw new Error(`live: ${res.status}`);
          setState((s) => ({ ...s, connected: true }));
          const reader = res.body.getReader();
          const decoder = new TextDecoder();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer = parseEvents(buffer + decoder.decode(value, { stream: true }), changed);
          }
        } catch {
          /* dropped or refused: poll meanwhile, try again shortly */
        }
        setState((s) => ({ ...s, connected: false }));
        if (!ctl.signal.aborted) await new Promise((r) => setTimeout(r, 5000));
      }
    };
    void connect();
    return () => {
      ctl.abort();
      if (bump) clearTimeout(bump);
    };
  }, [token, enabled]);
  return <Ctx.Provider value={state}>{children}</Ctx.Provider>;
}

export function useLive(): Live {
  return useContext(Ctx);
}

/** Poll slowly while pushed changes arrive, quickly while they do not. */
export function pollEvery(live: Live, fastMs: number): number {
  return live.connected ? Math.max(fastMs * 6, 30_000) : fastMs;
}
