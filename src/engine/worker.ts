/**
 * The engine worker: the house (./house.ts), which owns the shopper's data, the catalog and every capability. The
 * tfjs engine is a chunk of its own, imported on its first call, so the catalog and the store open without waiting
 * for tfjs to download and start.
 */
import { serveHouse } from './house';
import type { Engine } from './types';

/** The engine, loading: every call waits for the module, then runs in this thread. */
function lazyEngine(): Engine {
  // Imported on the first call (after the catalog has loaded: evaluating tfjs would hold up the catalog's reading).
  let engine: Promise<Engine> | null = null;
  const call =
    (name: string) =>
    async (...args: unknown[]) => {
      engine ??= import('./engine').then((m) => m.createEngine());
      return ((await engine) as unknown as Record<string, (...a: unknown[]) => unknown>)[name]?.(...args);
    };
  // Not a thenable: `then` is no engine method (awaiting the engine must not call it).
  return new Proxy({} as Engine, {
    get: (_target, key) => (typeof key === 'string' && key !== 'then' ? call(key) : undefined),
  });
}

serveHouse(lazyEngine);
