/** Hooks over the API: the cart and event log (live across tabs), the engine status, event tracking. */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { CartLine, HushCartStatus, StoredEvent, TrackEvent } from '../api/types';
import { useApp } from './context';
import type { ModelName, ModelState } from '../api/types';
import { engineStatusStore, modelStateStores, type EngineState } from './engine-status-store';
import { notify } from './notifications';
import { HushCartError } from '../errors';

/** Events the store records by itself as the shopper browses (views, clicks, settled searches), not actions they take. */
const PASSIVE = new Set<TrackEvent['type']>(['view', 'click', 'search']);

/** Re-runs `load` on mount and whenever events are recorded (here or in another tab). */
function useLive<T>(load: () => Promise<T>, initial: T): T {
  const { api } = useApp();
  const [value, setValue] = useState<T>(initial);
  useEffect(() => {
    let alive = true;
    const refresh = () =>
      load()
        .then((v) => alive && setValue(v))
        .catch((e: unknown) =>
          notify(`Could not read your data: ${e instanceof Error ? e.message : String(e)}`, 'error'),
        );
    void refresh();
    const unsub = api.subscribe(() => void refresh());
    return () => {
      alive = false;
      unsub();
    };
  }, [api, load]);
  return value;
}

export function useCart(): CartLine[] {
  const { api } = useApp();
  const load = useCallback(() => api.cart(), [api]);
  return useLive(load, []);
}

export function useEvents(limit: number): StoredEvent[] {
  const { api } = useApp();
  const load = useCallback(() => api.events({ limit }), [api, limit]);
  return useLive(load, []);
}

/** Background retraining's thresholds and progress, live (re-read after each event and each model change). */
export function useAutoRetrain(): HushCartStatus['autoRetrain'] | null {
  const { api } = useApp();
  const recommender = useModelState('recommender').phase;
  const sequential = useModelState('sequential').phase;
  // A new load function when a model changes phase (a retrain starts or ends) makes useLive read the status again.
  const load = useCallback(
    () => api.status().then((s) => s.autoRetrain),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the phases are the refresh triggers
    [api, recommender, sequential],
  );
  return useLive<HushCartStatus['autoRetrain'] | null>(load, null);
}

export function useEngineState(): EngineState {
  return useSyncExternalStore(engineStatusStore.subscribe, engineStatusStore.get);
}

/** Records an event; failures are shown to the shopper, never swallowed. */
export function useTrack(): (e: TrackEvent) => Promise<StoredEvent | null> {
  const { api } = useApp();
  return useCallback(
    async (e: TrackEvent) => {
      try {
        return await api.track(e);
      } catch (err) {
        // While recording is paused every page says so; only what the shopper did on purpose gets a message.
        const paused = err instanceof HushCartError && err.code === 'store/paused';
        if (!paused || !PASSIVE.has(e.type))
          notify(
            paused ? 'Recording is paused, so this was not stored.' : err instanceof Error ? err.message : String(err),
            paused ? 'info' : 'error',
          );
        return null;
      }
    },
    [api],
  );
}

export function useModelState(model: ModelName = 'recommender'): ModelState {
  const store = modelStateStores[model];
  return useSyncExternalStore(store.subscribe, store.get);
}
