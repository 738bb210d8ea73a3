/**
 * The widget's loader: `<script type="module" src="…/hushcart.js" data-catalog="/shop/pack.json">`. It defines
 * the custom elements at once (they show their loading state) and loads the rest (the API, the store, the engine
 * worker) as a chunk beside it, resolved from this script's own URL, so the folder works under any path and
 * nothing is fetched from another origin. tfjs loads only in the engine worker.
 */
import { defineElements, type WidgetHost } from './elements';

const self = new URL(import.meta.url);
const script = [...document.querySelectorAll<HTMLScriptElement>('script[src]')].find(
  (s) => new URL(s.src, location.href).href === self.href,
);

const host: WidgetHost = {
  api: (async () => {
    const catalog = script?.dataset.catalog;
    if (!catalog)
      throw new Error(
        'HushCart: the script tag needs data-catalog, the URL of your catalog pack (e.g. data-catalog="/shop/pack.json")',
      );
    const { startWidget } = await import('./start');
    return startWidget({
      base: self,
      catalog: new URL(catalog, location.href).href,
      train: script?.dataset.train !== 'off',
    });
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
