/** The widget's API: the store's own, over the shop's catalog, in databases of HushCart's own names. */
import type { HushCartApi } from '../api/types';
import { startHushCart } from '../engine/client';
import type { WidgetOptions } from './options';

/** The shopper's data in the host's origin: one database per catalog under this name, and the general models'. */
export const WIDGET_DB_NAME = 'hushcart-widget';

export function startWidget(base: URL, o: WidgetOptions): HushCartApi {
  const api = startHushCart({
    // The general models' training data ships in the widget's folder (data/), beside this script.
    manifestUrl: new URL('data/manifest.json', base).href,
    catalog: o.catalog,
    dbName: WIDGET_DB_NAME,
    pretrain: o.train,
    // A browser that stores nothing still gets the widget, from memory (the privacy element says so).
    memoryWhenUnavailable: true,
    ...(o.experiment !== undefined ? { experiment: o.experiment } : {}),
    ...(o.retentionDays !== undefined ? { retentionDays: o.retentionDays } : {}),
    ...(o.backend ? { backendOverride: o.backend } : {}),
    ...(o.consent ? { consent: o.consent } : {}),
    // The shop's page stays informed while models load or train: one event per change of any model's state.
    onModelState: (model, s) =>
      dispatchEvent(
        new CustomEvent('hushcart-progress', {
          detail: { model, phase: s.phase, fraction: s.fraction, message: s.message },
        }),
      ),
  });
  // What the pack's loader left out (links that are not http(s)) is the shop's to fix: said in its console.
  void api.loaded.then(
    ({ info }) => info.warnings.forEach((w) => console.warn(`HushCart: ${w}`)),
    () => undefined,
  );
  return api;
}
