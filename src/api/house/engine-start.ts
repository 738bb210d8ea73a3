/**
 * The engine as the house holds it: started with the backend the shopper chose (or the one this device chose last
 * time), its status kept for status() to read without waiting, and its choice remembered.
 */
import type { BackendPreference, Engine, EngineStatus } from '../../engine/types';
import type { Database } from '../../store/db';
import { getSetting, setSetting } from '../../store/settings';
import type { HushCartStatus } from '../types';
import type { HushCartOptions, Loaded } from './types';

export interface EngineHandle {
  engine: Engine;
  /** Resolves once a backend is chosen and running (rejects, saying why, when none starts). */
  ready: Promise<EngineStatus>;
  /** The latest status read (null until the engine is up). */
  readonly status: EngineStatus | null;
  readonly error: string | null;
  /** Reads the engine's status again (memory, backend) and tells the page. */
  refresh(): Promise<EngineStatus>;
  /** Switches the backend and keeps the choice. */
  setBackend(preference: BackendPreference, db: Database): Promise<EngineStatus>;
}

const rememberSelection = async (db: Database, s: EngineStatus) => {
  if (s.selection && !s.fromMemory) await setSetting(db, 'engineSelection', s.selection).catch(() => undefined);
};

export function startEngine(
  options: HushCartOptions,
  loaded: Promise<Loaded>,
  timings: HushCartStatus['timings'],
  t0: number,
): EngineHandle {
  const engine = options.engine();
  let status: EngineStatus | null = null;
  let error: string | null = null;
  const ready: Promise<EngineStatus> = (async () => {
    const { db } = await loaded;
    const preference = options.backendOverride ?? (await getSetting(db, 'backend'));
    const remembered = await getSetting(db, 'engineSelection');
    try {
      status = await engine.runtime.init({
        preference,
        remembered,
        ...(options.wasmPaths ? { wasmPaths: options.wasmPaths } : {}),
      });
      await rememberSelection(db, status);
      timings.engineReadyMs = performance.now() - t0;
      options.onEngineStatus?.(status, null);
      return status;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      options.onEngineStatus?.(null, error);
      throw e;
    }
  })();
  // Consumers that never call ready() must not see an unhandled rejection; ready() still reports it.
  ready.catch(() => undefined);
  return {
    engine,
    ready,
    get status() {
      return status;
    },
    get error() {
      return error;
    },
    async refresh() {
      status = await engine.runtime.status();
      options.onEngineStatus?.(status, null);
      return status;
    },
    async setBackend(preference, db) {
      await ready.catch(() => undefined);
      status = await engine.runtime.setBackend(preference);
      await setSetting(db, 'backend', preference);
      await rememberSelection(db, status);
      options.onEngineStatus?.(status, null);
      return status;
    },
  };
}
