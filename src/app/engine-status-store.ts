/** The engine's latest status, as an external store React reads with useSyncExternalStore. */
import type { EngineStatus } from '../engine/types';

export interface EngineState {
  status: EngineStatus | null;
  error: string | null;
}

function createStore<T>(initial: T) {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(v: T) {
      value = v;
      for (const l of listeners) l();
    },
    subscribe(l: () => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

export const engineStatusStore = createStore<EngineState>({ status: null, error: null });
