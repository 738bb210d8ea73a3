/**
 * The engine worker: the house (./house.ts), which owns the shopper's data, the catalog and every capability. The
 * tfjs engine is a chunk of its own, imported on its first call, so the catalog and the store open without waiting
 * for tfjs to download and start.
 */
import { serveHouse } from './house';
import type { Engine } from './types';

/** The engine, loading: every call (`engine.<host>.<verb>(...)`) waits for the module, then runs in this thread. */
function lazyEngine(): Engine {
  // Imported on the first call (after the catalog has loaded: evaluating tfjs would hold up the catalog's reading).
  let engine: Promise<Engine> | null = null;
  const call =
    (host: string, verb: string) =>
    async (...args: unknown[]) => {
      engine ??= import('./engine').then((m) => m.createEngine());
      const hosts = (await engine) as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>;
      return hosts[host]?.[verb]?.(...args);
    };
  // Not thenables: `then` is no host and no verb (awaiting the engine or a host must not call it).
  const hostOf = (host: string) =>
    new Proxy({}, { get: (_t, verb) => (typeof verb === 'string' && verb !== 'then' ? call(host, verb) : undefined) });
  const hosts = new Map<string, object>();
  return new Proxy({} as Engine, {
    get: (_target, host) => {
      if (typeof host !== 'string' || host === 'then') return undefined;
      if (!hosts.has(host)) hosts.set(host, hostOf(host));
      return hosts.get(host);
    },
  });
}

serveHouse(lazyEngine);
