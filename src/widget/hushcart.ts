/**
 * The widget's loader: `<script type="module" src="…/hushcart.js" data-catalog="/shop/pack.json">`. Its mode is
 * chosen by how it is served:
 * - **same origin** (the script comes from the page's own origin): the custom elements render on the page, from the
 *   full API at `window.HushCart`; the store lives in the page origin's IndexedDB.
 * - **isolated** (the script comes from another origin, one of the shop's own for HushCart): the store, the engine
 *   and every personal list live in frames of that origin, and the page gets only a narrow `window.HushCart`
 *   (./isolated/host.ts).
 * Everything else loads as chunks beside this script, resolved from its own URL, so the folder works under any path.
 * tfjs loads only in the engine worker.
 */
// First: the house's worker starts while the loader and its elements are still setting up (same origin only).
import '../engine/prestart';
import type { HushCartApi } from '../api/types';
import { Attribution, deviceArm, toPage } from './attribution';
import { defineElements, type WidgetHost } from './elements';
import { readScriptOptions, type WidgetOptions } from './options';

const self = new URL(import.meta.url);
const script = [...document.querySelectorAll<HTMLScriptElement>('script[src]')].find(
  (s) => new URL(s.src, location.href).href === self.href,
);
const read = (): WidgetOptions => readScriptOptions(script?.dataset ?? {}, location.href);

if (self.origin !== location.origin) void import('./isolated/host').then((m) => m.startIsolated(self, read));
else startSameOrigin();

function startSameOrigin(): void {
  let options: WidgetOptions | null = null;
  try {
    options = read();
  } catch {
    // said by the elements, once the API rejects with it
  }
  const attribution = new Attribution(toPage(options?.dataLayer ?? false));
  let resolveApi: (api: HushCartApi) => void = () => undefined;
  const started = new Promise<HushCartApi>((r) => (resolveApi = r));
  const host: WidgetHost = {
    attribution,
    // This device's arm, read once (null without an experiment, or if the store cannot say).
    arm: deviceArm(started, options?.experiment),
    control: options?.control ?? null,
    api: (async () => {
      const o = read();
      const { startWidget } = await import('./start');
      const api = startWidget(self, o);
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
}
