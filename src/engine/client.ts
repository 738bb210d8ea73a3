/**
 * The page's side of the house: starts the engine worker (which owns the shopper's data, the catalog and every
 * capability: ./house.ts) and returns the public API as a thin client. Each call is one message; the page keeps
 * only the read-only catalog it renders, built from the packs the house validated.
 * tfjs and IndexedDB are never imported here: they load with the worker, after first paint.
 */
import * as Comlink from 'comlink';
import { networkReport } from '../api/network';
import { API_VERSION, type ConsentState, type HushCartApi, type StoreSession } from '../api/types';
import { Catalog } from '../catalog/catalog';
import { HushCartError } from '../errors';
import { seenRequests, watchViolations } from '../runtime/requests';
import { installErrorTransfer } from '../shared/comlink-errors';
import { takeHouseWorker } from './prestart';
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
  runProtocol: 1,
} satisfies Record<keyof HushCartApi['diagnostics'], 1>;

export type ClientOptions = HouseOptions & Partial<Omit<HouseEvents, 'onChanged'>>;

/** One house's API as the page holds it (consent is answered above it, by starting another house). */
export type HouseSession = Omit<StoreSession, 'consent'> & {
  /** The name every database of the house begins with, once it has opened. */
  databases: Promise<string>;
};

/** Starts a house in a worker of its own for one catalog, and another when the shopper's consent changes. */
export function startHushCart(options: ClientOptions): StoreSession {
  installErrorTransfer();
  const paths = wasmPaths();
  return withConsent((o) => {
    const worker = takeHouseWorker();
    return connectHouse(Comlink.wrap<HouseRemote>(worker), { wasmPaths: paths, ...o }, () => worker.terminate());
  }, options);
}

/**
 * The public API over a house (`end` stops it once closed). Exported for tests, which run the house in-thread.
 */
export function connectHouse(
  remote: Comlink.Remote<HouseRemote>,
  options: ClientOptions,
  end: () => void,
): HouseSession {
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
  // A catalog named by URL is resolved against the page's address: the worker's own is not the page's.
  const started = remote.start({ pageUrl: location.href, ...houseOptions }, Comlink.proxy(events));
  let catalog: Catalog | null = null;
  const loaded = started.then(({ packs, info }) => {
    catalog = new Catalog(packs);
    return { catalog, info };
  });
  loaded.catch(() => undefined); // ready() and the app report it
  const databases = started.then((o) => o.databases);
  databases.catch(() => undefined);
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
    databases,
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

/** Deletes every database whose name begins with `base` (the general one and each catalog's). */
async function deleteDatabases(base: string): Promise<void> {
  const all = (await indexedDB.databases?.()) ?? [{ name: base }];
  const ours = all.flatMap((d) => (d.name && (d.name === base || d.name.startsWith(`${base}-`)) ? [d.name] : []));
  await Promise.all(
    ours.map(
      (name) =>
        new Promise<void>((resolve, reject) => {
          const r = indexedDB.deleteDatabase(name);
          r.onsuccess = () => resolve();
          r.onerror = () => reject(new HushCartError('store/unavailable', `could not delete ${name}: ${r.error}`));
        }),
    ),
  );
}

/**
 * The API across the shopper's consent: the house in use answers every call; consent(true) starts one that stores,
 * consent(false) closes the one in use, deletes every database HushCart keeps here, and starts one in memory. A
 * call made while the house changes waits for the new one; listeners hear the change (lists render again).
 */
export function withConsent(open: (o: ClientOptions) => HouseSession, options: ClientOptions): StoreSession {
  let state: ConsentState = options.consent ?? 'not-required';
  let current = open({ ...options, consent: state });
  const listeners = new Set<() => void>();
  const tell = () => listeners.forEach((l) => l());
  let unfollow = current.subscribe(tell);
  let switching: Promise<void> = Promise.resolve();
  const house = async () => {
    await switching.catch(() => undefined);
    return current;
  };

  const change = async (granted: boolean) => {
    const next: ConsentState = granted ? 'granted' : 'denied';
    if (granted && (state === 'granted' || state === 'not-required')) return; // it already stores
    const previous = current;
    const base = await previous.databases.catch(() => options.dbName ?? 'hushcart');
    unfollow();
    // Declined: the house in use lets go of the databases before they are deleted. Accepted: it answers (from
    // memory) until the new one is ready.
    if (!granted) {
      await previous.close();
      await deleteDatabases(base);
    }
    const opened = open({ ...options, consent: next });
    // A house that failed to open still takes over: its calls say why (the one before may be closed already).
    const failed: unknown = await opened.loaded.then(
      () => null,
      (e: unknown) => e ?? new Error('the catalog could not be opened'),
    );
    // Only now: the page's catalog view (read synchronously as lists render) is the new house's once it has one.
    current = opened;
    state = next;
    unfollow = current.subscribe(tell);
    if (granted) await previous.close();
    tell();
    if (failed) throw failed;
  };

  const forward =
    (name: string, owner: (s: HouseSession) => Record<string, unknown>) =>
    async (...a: unknown[]) => {
      const method = owner(await house())[name] as (...x: unknown[]) => Promise<unknown>;
      return method(...a);
    };
  const methods = Object.fromEntries(
    [...Object.keys(REMOTE), 'network', 'requestPersistentStorage'].map((k) => [
      k,
      forward(k, (s) => s as unknown as Record<string, unknown>),
    ]),
  ) as Pick<HushCartApi, RemoteMethod | 'network' | 'requestPersistentStorage'>;
  const diagnostics = Object.fromEntries(
    Object.keys(DIAGNOSTICS).map((k) => [k, forward(k, (s) => s.diagnostics as unknown as Record<string, unknown>)]),
  ) as HushCartApi['diagnostics'];

  return {
    version: API_VERSION,
    loaded: current.loaded,
    ...methods,
    diagnostics,
    catalog: {
      get: (id) => current.catalog.get(id),
      list: (o) => current.catalog.list(o),
      aisles: () => current.catalog.aisles(),
      reviews: (id) => current.catalog.reviews(id),
    },
    subscribe(listener) {
      const l = () => listener();
      listeners.add(l);
      return () => listeners.delete(l);
    },
    async consent(granted) {
      if (typeof granted !== 'boolean')
        throw new HushCartError('api/invalid-argument', 'consent needs true (the shopper agreed) or false');
      switching = switching.catch(() => undefined).then(() => change(granted));
      return switching;
    },
    async close() {
      await switching.catch(() => undefined);
      listeners.clear();
      unfollow();
      await current.close();
    },
  };
}
