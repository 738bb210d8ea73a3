/**
 * The catalog's image embeddings: from the device cache when they were made by the saved embedder, else computed
 * in the worker (batched) and cached. Embedded at once when that is cheap (a shop's few hundred pictures: a second
 * or two), else when first needed: a photo search, More like this, or a pictured item viewed or asked about (the
 * store's 10,000 pictures take about 20 s of the worker on WASM, which a visit that never looks at pictures should
 * not spend).
 */
import type { Catalog } from '../../catalog/catalog';
import { HushCartError } from '../../errors';
import { loadCache, saveCache } from '../../store/caches';
import { listModels } from '../../store/models';
import { EMBEDDER_VERSION, type CatalogEmbeddings } from '../../vision/contract';
import { EMBEDDER_MODEL_ID } from '../embedder-model';
import type { ModelState } from '../model-lifecycle';
import type { Engine } from '../../engine/types';
import type { Loaded } from './types';

/** Up to this many pictures, the catalog is embedded as soon as the image model is ready. */
const EAGER_PICTURES = 2000;

export interface CatalogPictures {
  /** Resolves once the catalog's pictures are embedded in the worker (rejects while the image model is not ready). */
  ensure(): Promise<void>;
  /** New image model weights: the catalog is embedded again on the next ensure(). */
  reset(): void;
  /** Starts embedding when an item with a picture comes up (nothing when it has none). */
  needed(catalog: Catalog, itemId: string | undefined): void;
}

export function catalogPictures(
  loaded: Promise<Loaded>,
  engine: Engine,
  embedder: () => Promise<ModelState>,
): CatalogPictures {
  let ready: Promise<void> | null = null;
  const ensure = (): Promise<void> => {
    if (ready) return ready;
    const p = embedCatalog(loaded, engine, embedder);
    ready = p;
    p.catch(() => (ready = ready === p ? null : ready));
    return p;
  };
  void Promise.all([embedder(), loaded])
    .then(([s, { catalog }]) =>
      s.phase === 'ready' && catalog.pictured().length <= EAGER_PICTURES ? ensure() : undefined,
    )
    .catch(() => undefined); // the image model's own state says what went wrong
  return {
    ensure,
    reset: () => (ready = null),
    needed(catalog, itemId) {
      if (ready || itemId === undefined || !catalog.get(itemId)?.image) return;
      void embedder()
        .then((s) => (s.phase === 'ready' ? ensure() : undefined))
        .catch(() => undefined);
    },
  };
}

async function embedCatalog(loaded: Promise<Loaded>, engine: Engine, embedder: () => Promise<ModelState>) {
  const state = await embedder();
  if (state.phase !== 'ready')
    throw new HushCartError('api/not-ready', `the image model is ${state.phase}: ${state.message}`);
  const { db, generalDb, info, catalog, space } = await loaded;
  const meta = (await listModels(generalDb)).find((m) => m.id === EMBEDDER_MODEL_ID);
  const stamp = `${info.dataHash}:${meta?.createdAt ?? 0}`;
  const [e, p] = await Promise.all([
    loadCache(db, 'image-embeddings', EMBEDDER_VERSION, stamp).catch(() => undefined),
    loadCache(db, 'image-category-probs', EMBEDDER_VERSION, stamp).catch(() => undefined),
  ]);
  const itemIds = catalog.pictured().map((i) => i.id);
  if (e && p && e.shape[0] === itemIds.length) {
    try {
      await engine.vision.useCatalogEmbeddings({ itemIds, embeddings: e.data, probs: p.data, dims: e.shape[1] ?? 0 });
      return;
    } catch {
      // A cache that no longer fits is computed again below.
    }
  }
  const c: CatalogEmbeddings = await engine.vision.embedCatalog(`embed-catalog-${Date.now().toString(36)}`);
  const n = c.itemIds.length;
  await space
    .keepCache('image-embeddings', "The catalog's image embeddings", () =>
      saveCache(db, 'image-embeddings', EMBEDDER_VERSION, stamp, [n, c.dims], c.embeddings),
    )
    .catch(() => undefined);
  await space
    .keepCache('image-category-probs', "The catalog's picture categories", () =>
      saveCache(db, 'image-category-probs', EMBEDDER_VERSION, stamp, [n, c.probs.length / n], c.probs),
    )
    .catch(() => undefined);
}
