/**
 * The page's side of the house: starts the engine worker (which owns the shopper's data, the catalog and every
 * capability: ./house.ts) and returns the public API as a thin client. Each call is one message; the page keeps
 * only the read-only catalog it renders, built from the packs the house validated.
 * tfjs and IndexedDB are never imported here: they load with the worker, after first paint.
 */
import * as Comlink from 'comlink';
import { networkReport } from '../api/network';
import { API_VERSION, type HushCartApi, type StoreSession } from '../api/types';
import { Catalog } from '../catalog/catalog';
import { HushCartError } from '../errors';
import { seenRequests, watchViolations } from '../runtime/requests';
import { installErrorTransfer } from '../shared/comlink-errors';
import { wireArgs, type HouseEvents, type HouseOptions, type HouseRemote, type RemoteMethod } from './protocol';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/** Same-origin URLs of the wasm binaries (never a CDN), as this page's bundle placed them. */
const wasmPaths = (): Record<string, string> => ({
  'tfjs-backend-wasm.wasm': new URL(wasmUrl, location.href).href,
  'tfjs-backend-wasm-simd.wasm': new URL(wasmSimdUrl, location.href).href,
  'tfjs-backend-wasm-threaded-simd.wasm': new URL(wasmThreadedUrl, location.href).href,
});

/** Every method the house serves, by name: a method added to the API fails the typecheck until it is listed. */
const REMOTE = {
  ready: 1,
  status: 1,
  track: 1,
  events: 1,
  cart: 1,
  recommend: 1,
  taste: 1,
  models: 1,
  retrain: 1,
  cancelTraining: 1,
  sentiment: 1,
  searchImage: 1,
  moreLikeThis: 1,
  imageCategory: 1,
  itemSentiment: 1,
  search: 1,
  ask: 1,
  setBackend: 1,
  storage: 1,
  exportModels: 1,
  exportData: 1,
  importData: 1,
  deleteData: 1,
  setRecording: 1,
  setRetention: 1,
  interests: 1,
  setInterest: 1,
  retrySaving: 1,
} satisfies Record<RemoteMethod, 1>;
const DIAGNOSTICS = {
  matmul: 1,
  trainProbe: 1,
  cancel: 1,
  loseDevice: 1,
  memory: 1,
  evaluateVision: 1,
  evaluateSentiment: 1,
  evaluateAssistant: 1,
  evaluateSearch: 1,
  trainSequential: 1,
  tuneBlend: 1,
  evaluateRecommenders: 1,
} satisfies Record<keyof HushCartApi['diagnostics'], 1>;

export type ClientOptions = HouseOptions & Partial<Omit<HouseEvents, 'onChanged'>>;

/** Starts a house in a worker of its own for one catalog. */
export function startHushCart(options: ClientOptions): StoreSession {
  installErrorTransfer();
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'hushcart-engine' });
  return connectHouse(Comlink.wrap<HouseRemote>(worker), { wasmPaths: wasmPaths(), ...options }, () =>
    worker.terminate(),
  );
}

/** The public API over a house (`end` stops it once closed). Exported for tests, which run the house in-thread. */
export function connectHouse(
  remote: Comlink.Remote<HouseRemote>,
  options: ClientOptions,
  end: () => void,
): StoreSession {
  watchViolations();
  const listeners = new Set<() => void>();
  const noop = () => undefined;
  const { onModelState, onStoreProblem, onRecording, onEngineStatus, ...houseOptions } = options;
  const events: HouseEvents = {
    onModelState: onModelState ?? noop,
    onStoreProblem: onStoreProblem ?? noop,
    onRecording: onRecording ?? noop,
    onEngineStatus: onEngineStatus ?? noop,
    onChanged: () => listeners.forEach((l) => l()),
  };
  // A catalog named by URL is resolved here: the worker's own address is not the page's.
  const catalogSource =
    typeof houseOptions.catalog === 'string' ? new URL(houseOptions.catalog, location.href).href : houseOptions.catalog;
  const started = remote.start(
    { ...houseOptions, ...(catalogSource !== undefined ? { catalog: catalogSource } : {}) },
    Comlink.proxy(events),
  );
  let catalog: Catalog | null = null;
  const loaded = started.then(({ packs, info }) => {
    catalog = new Catalog(packs);
    return { catalog, info };
  });
  loaded.catch(() => undefined); // ready() and the app report it
  const requireCatalog = (): Catalog => {
    if (!catalog)
      throw new HushCartError('api/not-ready', 'the catalog is still loading: await HushCart.ready() first');
    return catalog;
  };

  const call =
    (path: string) =>
    async (...a: unknown[]) => {
      await started.catch(() => undefined); // a catalog that failed to open says so from the house
      const { args, fns } = wireArgs(a);
      const callbacks = fns.length
        ? Comlink.proxy({ invoke: (i: number, x: unknown[]) => void fns[i]?.(...x) })
        : undefined;
      return remote.call(path, args, callbacks);
    };
  const methods = Object.fromEntries(Object.keys(REMOTE).map((k) => [k, call(k)])) as Pick<HushCartApi, RemoteMethod>;
  const diagnostics = Object.fromEntries(
    Object.keys(DIAGNOSTICS).map((k) => [k, call(`diagnostics.${k}`)]),
  ) as HushCartApi['diagnostics'];

  let closed = false;
  return {
    version: API_VERSION,
    loaded,
    ...methods,
    diagnostics,
    catalog: {
      get: (id) => requireCatalog().get(id) ?? null,
      list: (o) => requireCatalog().list(o),
      aisles: () => requireCatalog().aisles.map((a) => ({ ...a })),
      reviews: (id) => requireCatalog().reviews(id),
    },
    subscribe(listener) {
      const l = () => listener();
      listeners.add(l);
      return () => listeners.delete(l);
    },
    async network() {
      const worker = await remote.requests().catch(() => ({ requests: [], violations: [] }));
      return networkReport(seenRequests(), worker, location.origin);
    },
    async requestPersistentStorage() {
      if (!navigator.storage?.persist) return false;
      return navigator.storage.persist();
    },
    async close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      await remote.call('close', []).catch(() => undefined);
      remote[Comlink.releaseProxy]();
      end();
    },
  };
}
