/**
 * Store entry point: builds the HushCart API (catalog + on-device store + engine worker), exposes it as
 * `window.HushCart`, and renders the store. tfjs is not imported here; it loads with the engine worker.
 */
// First: the house's worker starts before the UI's modules evaluate.
import './engine/prestart';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { INITIAL_MODEL_STATE } from './api/model-lifecycle';
import type { StoreApi, StoreSession } from './api/types';
import { App } from './app/App';
import { engineStatusStore, modelStateStores, recordingStore } from './app/engine-status-store';
import { clearItemSentiment } from './app/item-sentiment';
import { startOffline } from './app/sw-update';
import { notify } from './app/notifications';
import './app/styles.css';
import { startHushCart } from './engine/client';
import { BACKENDS, type BackendPreference } from './engine/types';

declare global {
  interface Window {
    HushCart: StoreApi;
  }
}

/** `?backend=wasm` (or webgpu, webgl, cpu, auto) forces a backend for this page load. */
function backendFromUrl(): BackendPreference | undefined {
  const v = new URLSearchParams(location.search).get('backend');
  if (v === 'auto') return 'auto';
  return BACKENDS.find((b) => b === v);
}

const override = backendFromUrl();
const params = new URLSearchParams(location.search);

/** The store's API for one catalog (the default packs, or a shop's pack by URL or file). */
function startStore(catalog?: string | Blob): StoreSession {
  // Its callbacks report only while it is the catalog shown (not while it opens, nor once closed).
  const session: StoreSession = startHushCart({
    manifestUrl: new URL(`${import.meta.env.BASE_URL}data/manifest.json`, location.href).href,
    ...(catalog !== undefined ? { catalog } : {}),
    // `?pretrain=0`: do not train the recommender on this visit (a saved one is still used; the Lab can train).
    pretrain: params.get('pretrain') !== '0',
    // `?shipped=0`: do not load the models shipped with the catalog (a first visit trains as if there were none).
    shippedModels: params.get('shipped') !== '0',
    // `?retrainAfter=N&retrainQuietMs=M`: background retraining after N new events and M ms of quiet
    // (`sequentialRetrainAfter`: the same for the sequential model).
    ...(params.has('retrainAfter') ? { retrainAfter: Number(params.get('retrainAfter')) } : {}),
    ...(params.has('sequentialRetrainAfter')
      ? { sequentialRetrainAfter: Number(params.get('sequentialRetrainAfter')) }
      : {}),
    ...(params.has('retrainQuietMs') ? { retrainQuietMs: Number(params.get('retrainQuietMs')) } : {}),
    ...(override ? { backendOverride: override } : {}),
    onModelState: (name, m) => {
      if (session !== current) return;
      if (name === 'sentiment' && m.phase === 'ready') clearItemSentiment();
      modelStateStores[name].set(m);
    },
    onStoreProblem: (message) => notify(message, 'error'),
    onRecording: (on) => {
      if (session === current) recordingStore.set(on);
    },
    onEngineStatus: (status, error) => {
      if (session !== current) return;
      engineStatusStore.set({ status, error });
      if (status) performance.mark('hushcart:engine-ready');
    },
  });
  return session;
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
const reactRoot = createRoot(root);
/** `?catalog=<same-origin URL of a pack manifest>` opens a shop's catalog instead of the demo store. */
let current: StoreSession = startStore(params.get('catalog') ?? undefined);
let generation = 0;

const render = () =>
  reactRoot.render(
    <StrictMode>
      <App key={generation} api={current} openCatalog={openCatalog} />
    </StrictMode>,
  );

/**
 * Opens another catalog in this page: read and validated completely first (a bad pack is rejected with its
 * message, and the catalog in use and everything stored stay as they were), then the old engine is closed and the
 * store shows the new one. No argument: back to the demo store. A URL is kept in the address (`?catalog=`) so a
 * reload reopens it; a file is read in this page only (a reload returns to the demo store).
 */
async function openCatalog(source?: string | Blob): Promise<void> {
  const next = startStore(source);
  try {
    await next.loaded;
  } catch (e) {
    await next.close();
    throw e;
  }
  const previous = current;
  current = next;
  generation++;
  engineStatusStore.set({ status: null, error: null });
  for (const store of Object.values(modelStateStores)) store.set(INITIAL_MODEL_STATE);
  clearItemSentiment();
  const url = new URL(location.href);
  if (typeof source === 'string') url.searchParams.set('catalog', source);
  else url.searchParams.delete('catalog');
  url.hash = '#/';
  history.replaceState(null, '', url);
  render();
  void next
    .storage()
    .then((st) => recordingStore.set(st.recording))
    .catch(() => undefined);
  await previous.close();
  await next.ready();
}

/** window.HushCart: the API of the catalog in use (it changes with openCatalog), plus openCatalog. */
window.HushCart = new Proxy({} as StoreApi, {
  get: (_target, key) => (key === 'openCatalog' ? openCatalog : Reflect.get(current, key)),
  has: (_target, key) => key === 'openCatalog' || Reflect.has(current, key),
});
void current.loaded.then(() => performance.mark('hushcart:catalog-ready')).catch(() => undefined);
render();
// Offline use: the service worker caches the store after first paint (vite.config.ts says what).
startOffline();
