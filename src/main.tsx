/**
 * Store entry point: builds the HushCart API (catalog + on-device store + engine worker), exposes it as
 * `window.HushCart`, and renders the store. tfjs is not imported here; it loads with the engine worker.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createHushCart } from './api/hushcart';
import type { HushCartApi } from './api/types';
import { App } from './app/App';
import { engineStatusStore, modelStateStores } from './app/engine-status-store';
import { clearItemSentiment } from './app/item-sentiment';
import './app/styles.css';
import { startWorkerEngine, WASM_PATHS } from './engine/client';
import { BACKENDS, type BackendPreference } from './engine/types';

declare global {
  interface Window {
    HushCart: HushCartApi;
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
const api = createHushCart({
  manifestUrl: new URL(`${import.meta.env.BASE_URL}data/manifest.json`, location.href).href,
  engine: startWorkerEngine,
  wasmPaths: WASM_PATHS,
  // `?pretrain=0`: do not train the recommender on this visit (a saved one is still used; the Lab can train).
  pretrain: params.get('pretrain') !== '0',
  // `?retrainAfter=N&retrainQuietMs=M`: background retraining after N new movie events and M ms of quiet
  // (`sequentialRetrainAfter`: the same for the sequential model).
  ...(params.has('retrainAfter') ? { retrainAfter: Number(params.get('retrainAfter')) } : {}),
  ...(params.has('sequentialRetrainAfter')
    ? { sequentialRetrainAfter: Number(params.get('sequentialRetrainAfter')) }
    : {}),
  ...(params.has('retrainQuietMs') ? { retrainQuietMs: Number(params.get('retrainQuietMs')) } : {}),
  ...(override ? { backendOverride: override } : {}),
  onModelState: (name, m) => {
    if (name === 'sentiment' && m.phase === 'ready') clearItemSentiment();
    modelStateStores[name].set(m);
  },
  onEngineStatus: (status, error) => {
    engineStatusStore.set({ status, error });
    if (status) performance.mark('hushcart:engine-ready');
  },
});
window.HushCart = api;
void api.loaded.then(() => performance.mark('hushcart:catalog-ready')).catch(() => undefined);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App api={api} />
  </StrictMode>,
);
