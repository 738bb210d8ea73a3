/**
 * The widget's loader: `<script type="module" src="…/hushcart.js" data-catalog="/shop/pack.json">`. It defines
 * the custom elements at once (they show their loading state) and loads the rest (the API, the store, the engine
 * worker) as a chunk beside it, resolved from this script's own URL, so the folder works under any path and
 * nothing is fetched from another origin. tfjs loads only in the engine worker.
 */
// First: the house's worker starts while the loader and its elements are still setting up.
import '../engine/prestart';
import { Attribution } from './attribution';
import { defineElements, type WidgetHost } from './elements';
import { RECOMMEND_SLOTS, type HushCartApi, type RecommendSlot } from '../api/types';

const self = new URL(import.meta.url);
const script = [...document.querySelectorAll<HTMLScriptElement>('script[src]')].find(
  (s) => new URL(s.src, location.href).href === self.href,
);

/** `data-experiment="50"`: the share of devices in the treatment arm; `data-control`: the control arm's list. */
const experiment = script?.dataset.experiment === undefined ? undefined : Number(script.dataset.experiment);
/** `data-backend="wasm"`: the compute backend for this page (auto, webgpu, webgl, wasm, cpu; default auto). */
const backend = script?.dataset.backend;
const BACKENDS = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
/** `data-retention="30"`: the days the shop proposes a shopper's events be kept (default 90). */
const retention = script?.dataset.retention === undefined ? undefined : Number(script.dataset.retention);
/** `data-consent="required"`: nothing stored or learned until the page calls `HushCart.consent(true)`. */
const consent = script?.dataset.consent;
const controlSlot = (script?.dataset.control ?? 'trending') as RecommendSlot;
const attribution = new Attribution(script?.dataset.datalayer !== undefined);

let resolveApi: (api: HushCartApi) => void = () => undefined;
const started = new Promise<HushCartApi>((r) => (resolveApi = r));

const host: WidgetHost = {
  attribution,
  // This device's arm, read once (null without an experiment, or if the store cannot say).
  arm:
    experiment === undefined
      ? Promise.resolve(null)
      : started
          .then((api) => api.status())
          .then(
            (s) => s.experiment?.arm ?? null,
            () => null,
          ),
  control: experiment === undefined ? null : RECOMMEND_SLOTS.includes(controlSlot) ? controlSlot : 'trending',
  api: (async () => {
    const catalog = script?.dataset.catalog;
    if (!catalog)
      throw new Error(
        'HushCart: the script tag needs data-catalog, the URL of your catalog pack (e.g. data-catalog="/shop/pack.json")',
      );
    const { startWidget } = await import('./start');
    if (backend !== undefined && !(BACKENDS as readonly string[]).includes(backend))
      throw new Error(`HushCart: data-backend is one of ${BACKENDS.join(', ')} (got '${backend}')`);
    if (retention !== undefined && !(Number.isInteger(retention) && retention >= 1))
      throw new Error(
        `HushCart: data-retention is the number of days events are kept, a whole number of at least 1 (got '${script?.dataset.retention}')`,
      );
    if (consent !== undefined && consent !== 'required')
      throw new Error(`HushCart: data-consent is 'required' or left out (got '${consent}')`);
    if (experiment !== undefined && !(experiment >= 0 && experiment <= 100))
      throw new Error(
        `HushCart: data-experiment is the share of devices in the treatment arm, 0 to 100 (got '${script?.dataset.experiment}')`,
      );
    const api = startWidget({
      base: self,
      catalog: new URL(catalog, location.href).href,
      train: script?.dataset.train !== 'off',
      ...(consent === 'required' ? { consent: 'pending' as const } : {}),
      ...(experiment !== undefined ? { experiment } : {}),
      ...(retention !== undefined ? { retentionDays: retention } : {}),
      ...(backend ? { backend: backend as (typeof BACKENDS)[number] } : {}),
    });
    // An add to cart or a purchase the host reports of an item a list showed is attributed to that list.
    const track = api.track.bind(api);
    api.track = async (event) => {
      const result = await track(event);
      if ((event.type === 'add-to-cart' || event.type === 'purchase') && event.itemId)
        attribution.emit(event.type, event.itemId);
      return result;
    };
    resolveApi(api);
    return api;
  })(),
};
host.api.then(
  (api) => {
    (window as unknown as { HushCart: typeof api }).HushCart = api;
    // Once the catalog and the store are loaded: the host can read the catalog and record events at once, while a
    // first visit is still choosing the engine's backend.
    return api
      .ready({ engine: false })
      .then(() => dispatchEvent(new CustomEvent('hushcart-ready', { detail: { version: api.version } })));
  },
  (e: unknown) => console.error(e instanceof Error ? e.message : e),
);
defineElements(host);
