/**
 * The house: everything HushCart keeps and computes, in the engine worker. The shopper's store (IndexedDB), the
 * catalog and every capability live here, with the engine in the same thread: a `track()` or `recommend()` is one
 * message from the page carrying no history, a trained model is saved where it was trained, and a pack is read and
 * validated once. The page holds a thin client (./client.ts) and the read-only catalog it renders.
 */
import * as Comlink from 'comlink';
import { createHushCart } from '../api/hushcart';
import type { Fetcher } from '../catalog/fetch';
import { noteRequest } from '../runtime/jobs';
import { seenRequests } from '../runtime/requests';
import { installErrorTransfer } from '../shared/comlink-errors';
import { HushCartError } from '../errors';
import { DEFAULT_DB_NAME } from '../store/db';
import { unwireArgs, type HouseRemote } from './protocol';
import type { Engine } from './types';

/**
 * API calls that are jobs (trainings, evaluations): every other call is the page waiting for an answer, and the
 * trainings let it through first (runtime/jobs.ts: it is noted as it starts and as it ends).
 */
const PAGE_JOBS = /^(retrain|diagnostics\.)/;

/** The house for one catalog: `start` once, then calls by path. `fetcher` serves files in tests. */
export function createHouse(makeEngine: () => Engine, fetcher?: Fetcher): HouseRemote {
  let api: ReturnType<typeof createHushCart> | null = null;
  return {
    async start(options, events) {
      if (api) throw new HushCartError('api/invalid-argument', 'this house already holds a catalog');
      const report =
        <A extends unknown[]>(f: (...a: A) => unknown) =>
        (...a: A) => {
          // The page may be gone (closed, navigated): nothing to tell it then.
          void Promise.resolve(f(...a)).catch(() => undefined);
        };
      api = createHushCart({
        ...options,
        engine: makeEngine,
        ...(fetcher ? { fetcher } : {}),
        onModelState: report(events.onModelState),
        onStoreProblem: report(events.onStoreProblem),
        onRecording: report(events.onRecording),
        onEngineStatus: report(events.onEngineStatus),
      });
      api.subscribe(report(events.onChanged));
      const { catalog, info } = await api.loaded;
      // The page renders items: the interaction logs and the released counts stay here.
      const packs = catalog.packs.map(({ interactions: _i, aggregates: _a, ...pack }) => pack);
      return { packs, info, databases: options.dbName ?? DEFAULT_DB_NAME };
    },
    async call(path, args, callbacks) {
      if (!api) throw new HushCartError('api/not-ready', 'the house has no catalog yet: start it first');
      const [first, second] = path.split('.');
      const owner: unknown = second === undefined ? api : (api as unknown as Record<string, unknown>)[first ?? ''];
      const name = second ?? first ?? '';
      const method = (owner as Record<string, unknown> | undefined)?.[name];
      if (typeof method !== 'function' || !Object.hasOwn(owner as object, name))
        throw new HushCartError('api/invalid-argument', `HushCart has no method '${path}'`);
      // Every call the page waits on holds the trainings back while it runs (a track's commit) and just after (the
      // For you that follows it): serving first.
      const serving = !PAGE_JOBS.test(path);
      if (serving) noteRequest();
      try {
        return await (method as (...a: unknown[]) => Promise<unknown>).apply(owner, unwireArgs(args, callbacks));
      } finally {
        if (serving) noteRequest();
        (callbacks as Partial<Record<typeof Comlink.releaseProxy, () => void>> | undefined)?.[Comlink.releaseProxy]?.();
      }
    },
    requests: () => seenRequests(),
  };
}

/** Serves the house over comlink in this worker (tfjs and the store load here, never on the page). */
export function serveHouse(makeEngine: () => Engine): void {
  installErrorTransfer();
  Comlink.expose(createHouse(makeEngine));
}
