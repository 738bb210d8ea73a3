/**
 * Opens a house: the data manifest, the catalog (the manifest's packs without their interaction logs, or a shop's
 * own pack) and the shopper's databases (in memory without consent, or where the browser stores nothing).
 */
import { Catalog } from '../../catalog/catalog';
import { loadDataManifest, loadPack, type DataManifest } from '../../catalog/load';
import { HushCartError } from '../../errors';
import { DEFAULT_DB_NAME, openDatabase, switchToMemoryStore } from '../../store/db';
import { EventLog } from '../../store/events';
import { StoragePriorities, TRAINING_DATA_CACHE } from '../../store/space';
import type { GloveUrls } from '../../shared/word-vectors';
import { catalogDbName, loadShopCatalog } from '../catalog-source';
import type { HushCartStatus } from '../types';
import type { CatalogInfo, HushCartOptions, Loaded } from './types';

/** A data file named in the manifest, as an absolute URL (the worker fetches with these). */
export const dataUrlOf = (options: Pick<HushCartOptions, 'manifestUrl'>) => (file: string) =>
  new URL(file, new URL(options.manifestUrl, location.href)).href;

/** The word vectors the manifest names, as absolute URLs. */
export function gloveUrls(m: DataManifest, dataUrl: (file: string) => string): GloveUrls | undefined {
  const g = m.embeddings?.glove;
  return g && { vocab: dataUrl(g.vocab), vectors: dataUrl(g.vectors), scales: dataUrl(g.scales), dims: g.dims };
}

/**
 * Reads the catalog and opens the databases; `timings.catalogMs` is set when the packs are read. `storesNothing`:
 * without the shopper's consent the device's storage is not touched at all (memory from the start).
 */
export async function openHouse(
  options: HushCartOptions,
  storesNothing: boolean,
  timings: HushCartStatus['timings'],
  t0: number,
): Promise<Loaded> {
  const dataUrl = dataUrlOf(options);
  const manifest = await loadDataManifest(options.manifestUrl, options.fetcher);
  const shop =
    options.catalog === undefined
      ? null
      : await loadShopCatalog(options.catalog, manifest, options.fetcher, options.pageUrl ?? location.href);
  const info: CatalogInfo = shop
    ? {
        id: shop.pack.id,
        name: shop.pack.name,
        source: shop.label,
        dataHash: shop.dataHash,
        warnings: shop.pack.warnings ?? [],
      }
    : {
        id: 'default',
        name: 'HushCart demo store',
        source: options.manifestUrl,
        dataHash: manifest.dataHash,
        warnings: [],
      };
  const generalDbName = options.dbName ?? DEFAULT_DB_NAME;
  const dbName = catalogDbName(info.id, generalDbName);
  const [[db, generalDb], packs] = await Promise.all([
    openDatabases(options, dbName, generalDbName, storesNothing),
    shop
      ? [shop.pack]
      : Promise.all(
          manifest.packs.map((p) =>
            loadPack(dataUrl(p), {
              include: { interactions: false },
              ...(options.fetcher ? { fetcher: options.fetcher } : {}),
            }),
          ),
        ),
  ]);
  timings.catalogMs = performance.now() - t0;
  // A shop's own models, or the demo store's (never the store's for a shop: they are stamped with other data).
  const shippedModels = shop ? shop.pack.models : manifest.models && dataUrl(manifest.models);
  // A full quota: the caches give way first (computed again), then the models (trained again), never the events.
  const space = new StoragePriorities(generalDb ? [db, generalDb] : [db], undefined, [TRAINING_DATA_CACHE]);
  return {
    catalog: new Catalog(packs),
    manifest,
    db,
    generalDb: generalDb ?? db,
    // Tabs hear of each other's events per catalog: a shop's tab does not stir the demo store's.
    log: new EventLog(db, `hushcart-events:${dbName}`, space),
    space,
    info,
    files: shop?.files ?? {},
    ...(shippedModels ? { shippedModels } : {}),
  };
}

/** The catalog's database and, when it is not the same, the general one (where the shared models are kept). */
async function openDatabases(options: HushCartOptions, dbName: string, generalDbName: string, storesNothing: boolean) {
  // Another tab upgrading the database closes ours; an older tab that keeps it open blocks our upgrade: both
  // are said to the shopper rather than leaving a page that silently stops saving or never opens.
  const storeEvents = {
    onVersionChange: () =>
      options.onStoreProblem?.('HushCart was updated in another tab: reload this page to keep saving your activity.'),
    onBlocked: () =>
      options.onStoreProblem?.(
        'Another HushCart tab is still open on an older version: close it (or reload it) so this one can open.',
      ),
  };
  const openBoth = () =>
    Promise.all([
      openDatabase({ name: dbName, ...storeEvents }),
      dbName === generalDbName ? null : openDatabase({ name: generalDbName, ...storeEvents }),
    ]);
  if (storesNothing) await switchToMemoryStore();
  return openBoth().catch(async (e: unknown) => {
    // Storage blocked (some private windows, a shop's iframe policy): in memory for this page, when allowed.
    if (!(options.memoryWhenUnavailable && e instanceof HushCartError && e.code === 'store/unavailable')) throw e;
    await switchToMemoryStore();
    return openBoth();
  });
}
