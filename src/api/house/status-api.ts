/** The house's own state: status(), ready(), the catalog's synchronous reads, and closing. */
import type { Catalog } from '../../catalog/catalog';
import { HushCartError } from '../../errors';
import { isMemoryStore } from '../../store/db';
import { MODEL_NAMES, type LoadingPart, type ModelName } from '../types';
import type { ModelState } from '../model-lifecycle';
import { capabilitiesOf } from './capabilities';
import type { Methods } from './context';
import { allModels } from './models-api';

export const statusApi: Methods<'status' | 'ready' | 'close' | 'catalog'> = (h) => {
  let catalogSync: Catalog | null = null;
  void h.loaded.then((l) => (catalogSync = l.catalog)).catch(() => undefined);
  const requireCatalog = (): Catalog => {
    if (!catalogSync)
      throw new HushCartError('api/not-ready', 'the catalog is still loading: await HushCart.ready() first');
    return catalogSync;
  };
  const { outcomes } = h.feeds;
  return {
    async status() {
      const { catalog, info, log, shippedModels, space } = await h.loaded;
      if (h.rt.status) await h.rt.refresh().catch(() => undefined);
      return {
        backend: h.rt.status?.backend ?? null,
        engine: h.rt.status,
        engineError: h.rt.error,
        catalog: { ...info, items: catalog.size, aisles: catalog.counts() },
        capabilities: capabilitiesOf(catalog, outcomes),
        events: await log.count(),
        models: await allModels(h),
        ...(Object.fromEntries(MODEL_NAMES.map((name) => [name, h.models.stateOf(name, space)])) as Record<
          ModelName,
          ModelState
        >),
        timings: { ...h.timings },
        search: outcomes.search.value ?? null,
        storedInMemory: isMemoryStore(),
        loading: (Object.keys(outcomes) as LoadingPart[]).filter((k) => outcomes[k].state === 'pending'),
        consent: h.shopper.consent,
        experiment: await h.shopper.experiment(),
        // Not awaited: the file is read and checked in the worker, and status() does not wait on the worker.
        shippedModels:
          outcomes.shipped.value ??
          (shippedModels ? { url: shippedModels, loaded: [], skipped: [], reading: true } : null),
        autoRetrain: await h.models.retrainStatus(),
      };
    },
    async ready(o = {}) {
      await h.loaded;
      if (o.engine !== false) await h.rt.ready;
    },
    async close() {
      await Promise.allSettled(
        Object.values(h.models.entries).map((m) => (m.jobId ? h.engine.runtime.cancel(m.jobId) : null)),
      );
      await h.engine.runtime.dispose().catch(() => undefined);
      const l = await h.loaded.catch(() => null);
      l?.log.close();
      l?.space.close();
      l?.db.close();
      l?.generalDb.close();
    },
    catalog: {
      get: (id) => requireCatalog().get(id) ?? null,
      list: (o) => requireCatalog().list(o),
      aisles: () => requireCatalog().aisles.map((a) => ({ ...a })),
      reviews: (id) => requireCatalog().reviews(id),
    },
  };
};
