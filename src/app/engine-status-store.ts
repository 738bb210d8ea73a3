/** The engine's latest status and the recommender model's state, as external stores React reads. */
import { INITIAL_MODEL_STATE, type ModelState } from '../api/model-lifecycle';
import { MODEL_NAMES, type ModelName } from '../api/types';
import type { EngineStatus } from '../engine/types';

export interface EngineState {
  status: EngineStatus | null;
  error: string | null;
}

export function createStore<T>(initial: T) {
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

/** One store per model of the model table. */
export const modelStateStores = Object.fromEntries(
  MODEL_NAMES.map((name) => [name, createStore<ModelState>(INITIAL_MODEL_STATE)]),
) as Record<ModelName, ReturnType<typeof createStore<ModelState>>>;

/** Whether the store records the shopper's events (false: paused from My data; every page says so). */
export const recordingStore = createStore<boolean>(true);
