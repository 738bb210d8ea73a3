/**
 * Builds the `HushCart` API object over the catalog, the on-device store and the engine. A thin facade:
 * validation and orchestration only; the work is done by the modules it wires together.
 */
import { Catalog, type Picture } from '../catalog/catalog';
import { memoryFetcher, type Fetcher } from '../catalog/fetch';
import { loadDataManifest, loadPack, type DataManifest } from '../catalog/load';
import { ratingTriples } from '../catalog/ratings';
import type { Interactions } from '../catalog/schema';
import type { BackendPreference, Engine, EngineStatus } from '../engine/types';
import { isBackendName } from '../engine/types';
import { HushCartError } from '../errors';
import { cartFromEvents } from '../store/cart';
import { DEFAULT_DB_NAME, isMemoryStore, openDatabase, useMemoryStore, type Database } from '../store/db';
import { EventLog, MAX_TEXT_LENGTH } from '../store/events';
import { listModels } from '../store/models';
import { EVENT_TYPES } from '../store/schema';
import { getSetting, setSetting } from '../store/settings';
import {
  type ShopperEvent,
  DEFAULT_SEQUENTIAL,
  chooseFactorPack,
  FACTOR_MIN_ITEMS_PER_USER,
  interactionCounts,
} from '../recommend/contract';
import { catalogDbName, loadShopCatalog } from './catalog-source';
import { reasonText } from './reasons';
import { steeringOf } from './steering';
import { experimentArm } from './experiment';
import { interestsOf, lessOf } from './interests';
import { dataControls, expireEvents } from './my-data';
import { exportProfile } from '../store/profile';
import { httpFetcher } from '../catalog/fetch';
import { withTrainingLock } from './train-lock';
import { watchViolations } from '../runtime/requests';
import type { StoredEvent } from '../store/schema';
import { INITIAL_MODEL_STATE, type ModelState, type PrepareOptions } from './model-lifecycle';
import { MODEL_TABLE, type DataFeed, type ModelContext, type ModelDefinition } from './model-table';
import { idleRetrainer } from './idle-retrain';
import { EMBEDDER_MODEL_ID } from './embedder-model';
import { loadCache, loadCacheBytes, saveCache } from '../store/caches';
import { StoragePriorities, TRAINING_DATA_CACHE } from '../store/space';
import { MAX_QUERY_CHARS, SEARCH_INDEX_VERSION } from '../search/contract';
import { MAX_QUESTION_CHARS } from '../assistant/contract';
import { EMBEDDER_VERSION, type CatalogEmbeddings } from '../vision/contract';
import { namedRecipe } from '../shared/recipes';
import type { GloveUrls } from '../shared/word-vectors';
import {
  API_VERSION,
  MODEL_NAMES,
  RECOMMEND_SLOTS,
  withoutConsent,
  type HushCartApi,
  type HushCartStatus,
  type ConsentState,
  type LoadingPart,
  type PageMethod,
  type ModelName,
  type ShippedModels,
  type TrackEvent,
} from './types';

/** Events the models read at most (the newest). */
const HISTORY = 5000;

/** What the engine needs of stored events (no ids, times or texts cross to the worker). */
function toShopperEvents(events: readonly StoredEvent[]): ShopperEvent[] {
  return events.map((e) => ({
    type: e.type,
    ...(e.itemId ? { itemId: e.itemId } : {}),
    ...(e.value !== undefined ? { value: e.value } : {}),
  }));
}

export interface HushCartOptions {
  /** URL of the data manifest listing the catalog packs. */
  manifestUrl: string;
  /** Starts the engine (a worker in the app; in-thread in tests). */
  engine: () => Engine;
  /** Forces a backend for this page (e.g. from `?backend=wasm`), over the saved setting. */
  backendOverride?: BackendPreference;
  dbName?: string;
  fetcher?: Fetcher;
  /** Wasm binary URLs for the engine. */
  wasmPaths?: Record<string, string>;
  /**
   * The consent the page asks for and the shopper's answer so far (default not-required). Pending or denied: the
   * store is in memory from the start (IndexedDB is never opened), nothing is recorded, nothing trains.
   */
  consent?: ConsentState;
  /** The page's address: a catalog's URL is resolved against it (the worker's own address is not the page's). */
  pageUrl?: string;
  /** Train the recommender on first visit when no saved model exists (default true; `?pretrain=0` turns it off). */
  pretrain?: boolean;
  /**
   * Load the models shipped with the catalog (default true; `?shipped=0` turns it off, so a first visit trains as if
   * there were none).
   */
  shippedModels?: boolean;
  /** Retrain the recommender in the background after this many new events on the factor pack's items (MovieLens in the demo store) (default 20; 0 = never). */
  retrainAfter?: number;
  /**
   * Retrain the sequential model in the background after this many new events on the factor pack's items (MovieLens in the demo store) (default 100; 0 = never): it
   * takes minutes on WASM, against seconds for the recommender.
   */
  sequentialRetrainAfter?: number;
  /** ...once the shopper has been quiet this long (ms, default 30,000). */
  retrainQuietMs?: number;
  /** Called as a model (recommender, sentiment, embedder) loads or trains (the UI's progress bars listen). */
  onModelState?: (model: ModelName, s: ModelState) => void;
  /** Called when the on-device store cannot go on as it is (another tab upgraded it, or blocks its upgrade). */
  onStoreProblem?: (message: string) => void;
  /** Called with whether events are recorded, at load and whenever the shopper pauses or resumes. */
  onRecording?: (on: boolean) => void;
  /** Called when the engine becomes ready or fails (the UI's badge listens). */
  onEngineStatus?: (s: EngineStatus | null, error: string | null) => void;
  /**
   * A shop's own catalog instead of the data manifest's packs: the URL of a pack manifest (same origin), or a
   * single-file pack (a File or Blob holding everything inline, pictures as data: URLs), read here and never
   * uploaded. Its history, models and settings live in a database of their own. The data manifest still supplies
   * the general models' training data.
   */
  catalog?: string | Blob;
  /**
   * When this browser will not store anything (IndexedDB unavailable), run from memory instead of failing: the
   * API works and nothing is kept after the page closes (`status().storedInMemory`). The widget turns it on.
   */
  memoryWhenUnavailable?: boolean;
  /**
   * The shop's on-device experiment: this share (0-100) of devices in the treatment arm, the rest in control
   * (./experiment.ts); `status().experiment` says which. The widget sets it from `data-experiment`.
   */
  experiment?: number;
  /** Days the shop proposes the shopper's events be kept (default 90); the shopper may shorten it. */
  retentionDays?: number;
}

/** How long events are kept unless the shop proposes otherwise. */
export const DEFAULT_RETENTION_DAYS = 90;

/**
 * The API as the house serves it: all but what the page answers itself (api/types.ts PageMethod), and close, which
 * the page also asks of the house before it ends the worker.
 */
export type HouseApi = Omit<HushCartApi, Exclude<PageMethod, 'close'>> & { loaded: Promise<Loaded> };

/** The catalog in use, as `status().catalog` names it. */
export interface CatalogInfo {
  /** 'default' for the data manifest's packs, else the pack's id. */
  id: string;
  name: string;
  /** Where it came from: the manifest URL, the pack's URL, or the file's name. */
  source: string;
  dataHash: string;
  /** What loading the pack left out and why (item links that are not http(s)); empty when nothing. */
  warnings: string[];
}

interface Loaded {
  catalog: Catalog;
  manifest: DataManifest;
  /** The catalog's own database: its events, its per-pack models, caches and settings. */
  db: Database;
  /**
   * Where the general models (sentiment, image embedder) are kept: trained on the data manifest's training sets,
   * not on a catalog, so every catalog on this device shares them (the default store's database).
   */
  generalDb: Database;
  log: EventLog;
  /** What gives way when storage runs out (events first, models next, caches last), and what was not kept. */
  space: StoragePriorities;
  info: CatalogInfo;
  /** Pack files read on the page (a local catalog file), by the pseudo-URL the packs are loaded from. */
  files: Record<string, Uint8Array>;
  /** The models the shop ships with its pack (the manifest's `models`), if any. */
  shippedModels?: string;
}

type Capability = { available: boolean; loading?: boolean; reason?: string };
/** The capabilities a model of the model table provides. */
type ModelCapabilityName = 'matrix-factorisation' | 'sequential' | 'sentiment' | 'photo-search';
interface Outcome<T = unknown> {
  state: 'pending' | 'fulfilled' | 'rejected';
  value?: T;
  reason: string;
}
/** Follows a promise's settlement, so that it can be read synchronously. */
function track<T>(p: Promise<T>): Outcome<T> {
  const o: Outcome<T> = { state: 'pending', reason: '' };
  p.then(
    (value) => Object.assign(o, { state: 'fulfilled', value }),
    (e: unknown) => Object.assign(o, { state: 'rejected', reason: e instanceof Error ? e.message : String(e) }),
  );
  return o;
}

/** A capability whose data is missing: its model shows `unavailable` with this reason; the rest of the API works. */
class Unavailable extends Error {}

/** Ids of the models trained on the general training data, shared by every catalog on this device. */
const GENERAL_MODEL_IDS: readonly string[] = MODEL_TABLE.filter((d) => d.scope === 'general').map((d) => d.modelId(''));

export function createHushCart(options: HushCartOptions): HouseApi {
  const consent = options.consent ?? 'not-required';
  const storesNothing = withoutConsent(consent);
  const t0 = performance.now();
  const timings: HushCartStatus['timings'] = { catalogMs: null, engineReadyMs: null };
  let engineStatus: EngineStatus | null = null;
  let engineError: string | null = null;
  let interactionsCache: Promise<{ x: Interactions; items: number }> | null = null;

  /** A data file named in the manifest, as an absolute URL (the worker fetches with these). */
  const dataUrl = (file: string) => new URL(file, new URL(options.manifestUrl, location.href)).href;
  const gloveUrls = (m: DataManifest): GloveUrls | undefined => {
    const g = m.embeddings?.glove;
    return g && { vocab: dataUrl(g.vocab), vectors: dataUrl(g.vectors), scales: dataUrl(g.scales), dims: g.dims };
  };

  const loaded: Promise<Loaded> = (async () => {
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
    // Without the shopper's consent the device's storage is not touched at all: memory from the start.
    if (storesNothing) await useMemoryStore();
    const databases = openBoth().catch(async (e: unknown) => {
      // Storage blocked (some private windows, a shop's iframe policy): in memory for this page, when allowed.
      if (!(options.memoryWhenUnavailable && e instanceof HushCartError && e.code === 'store/unavailable')) throw e;
      await useMemoryStore();
      return openBoth();
    });
    const [[db, generalDb], packs] = await Promise.all([
      databases,
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
  })();

  const rememberSelection = async (db: Database, s: EngineStatus) => {
    if (s.selection && !s.fromMemory) await setSetting(db, 'engineSelection', s.selection).catch(() => undefined);
  };

  const engine = options.engine();
  const engineReady: Promise<EngineStatus> = (async () => {
    const { db } = await loaded;
    const preference = options.backendOverride ?? (await getSetting(db, 'backend'));
    const remembered = await getSetting(db, 'engineSelection');
    try {
      engineStatus = await engine.init({
        preference,
        remembered,
        ...(options.wasmPaths ? { wasmPaths: options.wasmPaths } : {}),
      });
      await rememberSelection(db, engineStatus);
      timings.engineReadyMs = performance.now() - t0;
      options.onEngineStatus?.(engineStatus, null);
      return engineStatus;
    } catch (e) {
      engineError = e instanceof Error ? e.message : String(e);
      options.onEngineStatus?.(null, engineError);
      throw e;
    }
  })();
  // Consumers that never call ready() must not see an unhandled rejection; ready() still reports it.
  engineReady.catch(() => undefined);

  /**
   * The worker loads the interaction logs itself. It does not wait for the engine's backend: loading, the item space
   * and the recommendations that need no trained model are plain arrays, so they are ready while a first visit is
   * still probing the backends (the widget's first cards).
   */
  const interactionsReady = (async () => {
    const { catalog, manifest, files, info } = await loaded;
    return engine.loadInteractions(
      catalog.packs.map((p) => p.baseUrl),
      gloveUrls(manifest),
      Object.keys(files).length ? files : undefined,
      // A shop's catalog was read and validated whole here (the demo store's packs without their interactions).
      info.id === 'default' ? undefined : catalog.packs,
    );
  })();
  interactionsReady.catch(() => undefined);
  /**
   * The search index, built in the worker over the loaded catalog, kept on the device with the catalog's data hash
   * (a return visit loads it instead of building it).
   */
  const searchReady = (async () => {
    await interactionsReady;
    const { db, info, space } = await loaded;
    const saved = await loadCacheBytes(db, 'search-index', SEARCH_INDEX_VERSION, info.dataHash).catch(() => undefined);
    const built = await engine.buildSearch(saved);
    const bytes = built.bytes;
    if (bytes)
      await space
        .keepCache('search-index', 'The search index', () =>
          saveCache(db, 'search-index', SEARCH_INDEX_VERSION, info.dataHash, [bytes.length], bytes),
        )
        .catch(() => undefined);
    return { items: built.items, built: built.built, buildMs: built.buildMs, semantic: built.semantic };
  })();
  searchReady.catch(() => undefined);

  /**
   * The models a shop ships with its pack: read and checked completely (the export format's own checks), and those
   * still stamped with this catalog's data hash (the general ones: with the data manifest's) that this device does not
   * have yet are written where the models are kept, so the models below load them instead of training. A model
   * trained here is never replaced by a shipped one. A bad file trains as if there were none, and says why.
   */
  const shippedReady: Promise<ShippedModels | null> = (async () => {
    const { shippedModels: url, db, generalDb, info, manifest, space } = await loaded;
    if (!url || options.shippedModels === false) return null;
    try {
      // Read and checked in the worker (megabytes of JSON would be a long task on the shop's page).
      const models = await engine.checkModelsFile(await (options.fetcher ?? httpFetcher)(url), info.id);
      const general = (id: string) => GENERAL_MODEL_IDS.includes(id);
      const have = new Set([...(await listModels(db)), ...(await listModels(generalDb))].map((m) => m.id));
      const skipped: ShippedModels['skipped'] = [];
      const fresh = models.filter(({ meta }) => {
        const want = general(meta.id) ? manifest.dataHash : info.dataHash;
        if (meta.dataHash !== want) skipped.push({ id: meta.id, why: 'stale: trained on other data' });
        else if (have.has(meta.id)) skipped.push({ id: meta.id, why: 'this device has its own' });
        else return true;
        return false;
      });
      // Each with the caches giving way if need be; one that still does not fit serves from memory on this visit.
      for (const { meta, weights } of fresh) await space.keepModel(general(meta.id) ? generalDb : db, meta, weights);
      return { url, loaded: fresh.map((m) => m.meta.id), skipped };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      options.onStoreProblem?.(`The models shipped with this catalog were not used (${url}): ${message}`);
      return { url, loaded: [], skipped: [], error: message };
    }
  })();
  shippedReady.catch(() => undefined);

  /** The pack the factor models are trained on (decided by its data in the worker), or why there is none. */
  const factorPack = (async () => {
    const info = await interactionsReady;
    const chosen = info.find((i) => i.factors);
    if (chosen) return chosen.packId;
    const withInteractions = info.filter((i) => i.users > 0);
    throw new Unavailable(
      withInteractions.length
        ? `needs a pack whose users have ${FACTOR_MIN_ITEMS_PER_USER}+ items each (median); ${withInteractions
            .map((i) => `${i.packId} has ${i.medianItemsPerUser}`)
            .join(', ')}: recommendations come from item-kNN and the item space`
        : 'this catalog has no interactions (ratings, purchases or views): recommendations come from the item space',
    );
  })();
  factorPack.catch(() => undefined);

  /** The worker learns where the sentiment data (labelled reviews, lexicons) is, once the engine is up. */
  const sentimentDataReady = (async () => {
    const { manifest } = await loaded;
    const fineFoods = manifest.train?.fineFoodsReviews;
    const uci = manifest.train?.uciSentences;
    const glove = gloveUrls(manifest);
    const missing = [
      !fineFoods && 'labelled reviews (train.fineFoodsReviews)',
      !uci && 'labelled sentences (train.uciSentences)',
      !manifest.lexicons && 'lexicons',
      !glove && 'word vectors (embeddings.glove)',
    ].filter(Boolean);
    if (!fineFoods || !uci || !manifest.lexicons || !glove)
      throw new Unavailable(`the data manifest has no ${missing.join(', ')} to train the sentiment model on`);
    await engineReady;
    return engine.loadSentimentData(
      {
        fineFoods: dataUrl(fineFoods),
        uci: dataUrl(uci),
        afinn: dataUrl(manifest.lexicons.afinn),
        vader: dataUrl(manifest.lexicons.vader),
      },
      glove,
    );
  })();
  sentimentDataReady.catch(() => undefined);

  /** The image training set and the catalog's pictures go to the worker the same way. */
  const visionDataReady = (async () => {
    const { manifest, catalog } = await loaded;
    const fi = manifest.train?.fashionImages;
    if (!fi) throw new Unavailable('the data manifest has no training pictures (train.fashionImages)');
    const items = catalog.pictured();
    if (!items.length) throw new Unavailable('no item of this catalog has a picture');
    await engineReady;
    const classes = fi.classes;
    const pictures = items.map((i) => catalog.pictureOf(i.id) as Picture);
    const sprite = pictures.find((p): p is Extract<Picture, { sprite: unknown }> => 'sprite' in p)?.sprite;
    return engine.loadVisionData(
      {
        images: dataUrl(fi.images),
        labels: dataUrl(fi.labels),
        classes,
        ...(fi.extra ? { extra: { images: dataUrl(fi.extra.images), labels: dataUrl(fi.extra.labels) } } : {}),
      },
      {
        itemIds: items.map((i) => i.id),
        labels: items.map((i) => classes.indexOf(i.category ?? '')),
        pictures: pictures.map((p) => ('url' in p ? { url: p.url } : { tile: p.index })),
        ...(sprite ? { spriteUrl: sprite.spriteUrl, sprite } : {}),
      },
    );
  })();
  visionDataReady.catch(() => undefined);

  /** How each data feed settled, read without waiting (status() must not block on the worker). */
  const outcomes = {
    interactions: track(interactionsReady),
    search: track(searchReady),
    factors: track(factorPack),
    sentiment: track(sentimentDataReady),
    vision: track(visionDataReady),
    shipped: track(shippedReady),
  } satisfies Record<LoadingPart, Outcome<unknown>>;

  /** The shopper's latest events, oldest first: what the models read (recommend, taste, BPR retraining). */
  const recentEvents = async (): Promise<StoredEvent[]> => (await (await loaded).log.all()).slice(-HISTORY);
  const shopperEvents = async () => toShopperEvents(await recentEvents());

  interface ModelEntry {
    def: ModelDefinition;
    state: ModelState;
    ready: Promise<ModelState>;
    /** The running training job, to cancel it. */
    jobId?: string;
    /** The model's id once known (its saved record's, and its note's when it is not kept). */
    modelId?: string;
  }
  const context: ModelContext = { engine, factorPack: () => factorPack, shopperEvents };
  const models = Object.fromEntries(
    MODEL_TABLE.map((def) => [
      def.name,
      { def, state: INITIAL_MODEL_STATE, ready: Promise.resolve(INITIAL_MODEL_STATE) } satisfies ModelEntry,
    ]),
  ) as Record<ModelName, ModelEntry>;
  /** The data each feed of the model table stands for (rejected with Unavailable where the catalog lacks it). */
  const feeds: Record<DataFeed, Promise<unknown>> = {
    factors: factorPack,
    sentiment: sentimentDataReady,
    vision: visionDataReady,
  };
  /** `boot`: the first visit's own preparation (a model the catalog does not use unasked is not trained then). */
  const prepare = (name: ModelName, after: Promise<unknown>, o: PrepareOptions & { boot?: boolean }) => {
    const m = models[name];
    const setState = (s: ModelState) => {
      m.state = s;
      options.onModelState?.(name, s);
    };
    m.ready = (async () => {
      try {
        await feeds[m.def.feed];
      } catch (e) {
        if (!(e instanceof Unavailable)) throw e;
        const s: ModelState = { phase: 'unavailable', fraction: 0, message: e.message, losses: [] };
        setState(s);
        return s;
      }
      await after;
      // Loading or training a model needs the engine's backend; the feeds may be ready before it is chosen (the
      // interactions load while a first visit is still probing the backends).
      await engineReady;
      await shippedReady; // a model the shop shipped is loaded, not trained
      const { db, generalDb, info, manifest, catalog, space } = await loaded;
      const [where, hash] = m.def.scope === 'general' ? [generalDb, manifest.dataHash] : [db, info.dataHash];
      const { boot, ...prepareOptions } = o;
      if (boot && m.def.trainsUnasked && !m.def.trainsUnasked(catalog)) prepareOptions.train = false;
      const model = await m.def.model(context);
      m.modelId = model.id;
      // Another tab training the same model: wait for it, then load what it saved (prepare looks first).
      return withTrainingLock(
        `${where.name}/${model.id}`,
        () =>
          setState({
            ...m.state,
            phase: m.state.phase === 'ready' ? 'ready' : 'waiting',
            message: 'another tab is training this model; this one will use it when it is done',
          }),
        () =>
          model.prepare(where, hash, setState, {
            ...prepareOptions,
            space,
            previous: m.state,
            onJob: (id) => (m.jobId = id),
          }),
      );
    })();
    m.ready.catch(() => undefined);
    return m.ready;
  };
  const train = options.pretrain !== false && !storesNothing;
  // One model at a time, in the table's order; each waits for the one before it, whatever that one's outcome.
  MODEL_TABLE.reduce<Promise<unknown>>(
    (before, def) =>
      prepare(def.name, Promise.allSettled([before]), {
        train,
        boot: true,
        ...(def.recipes ? { recipe: def.recipes[0] } : {}),
      }),
    interactionsReady,
  );
  const modelReady = () => models.recommender.ready;
  // A model saved, or given way, since: the UI hears its note (status() reads it too).
  void loaded
    .then(({ space }) =>
      space.subscribe(() => {
        for (const name of MODEL_NAMES) options.onModelState?.(name, stateOf(name, space));
      }),
    )
    .catch(() => undefined);
  /** A model's state as status() reports it: a copy, with a note when its trained copy is not kept on this device. */
  const stateOf = (name: ModelName, space: StoragePriorities): ModelState => {
    const m = models[name];
    const note = m.state.phase === 'ready' && m.modelId ? space.modelNote(m.modelId) : undefined;
    return { ...m.state, losses: [...m.state.losses], ...(note ? { note } : {}) };
  };

  // Background retraining: the shopper's events on the factor models' pack join the training data (BPR: as one
  // more user, see trainBpr; the sequential model: as one more sequence), trained for as many epochs as the model
  // in service was.
  const quietMs = options.retrainQuietMs ?? 30_000;
  const savedMeta = async (modelId: string) => (await listModels((await loaded).db)).find((m) => m.id === modelId);
  /** New events on the factor pack's items since the model was trained (0 when the capability is unavailable). */
  const pendingSince = async (modelId: (packId: string) => string): Promise<number> => {
    const packId = await factorPack.catch(() => null);
    if (packId === null) return 0;
    const trained = (await savedMeta(modelId(packId)))?.createdAt;
    if (trained === undefined) return 0; // never trained here: the first training will take everything in
    const { log, catalog } = await loaded;
    const onPack = (itemId?: string) => !!itemId && catalog.packOfItem(itemId)?.id === packId;
    return (await log.all()).filter((e) => e.ts > trained && onPack(e.itemId)).length;
  };
  const retrainers = Object.fromEntries(
    MODEL_TABLE.flatMap((def) => {
      if (!def.retrainAfter) return [];
      const threshold = def.retrainAfter(options);
      const retrainer = idleRetrainer({
        threshold: threshold > 0 ? threshold : Infinity,
        quietMs,
        pending: () => pendingSince(def.modelId),
        canStart: () =>
          models[def.name].state.phase === 'ready' && Object.values(models).every((m) => m.state.phase !== 'training'),
        retrain: async () => {
          const epochs = (await savedMeta(def.modelId(await factorPack)))?.metrics.epochs;
          return prepare(def.name, interactionsReady, { force: true, ...(epochs ? { epochs } : {}) });
        },
      });
      return [[def.name, { threshold, modelId: def.modelId, retrainer }]];
    }),
  ) as Record<
    'recommender' | 'sequential',
    { threshold: number; modelId: (packId: string) => string; retrainer: ReturnType<typeof idleRetrainer> }
  >;
  const pokeRetrainers = () => Object.values(retrainers).forEach((r) => r.retrainer.poke());
  const retrainStatus = async (r: (typeof retrainers)['recommender']) => ({
    threshold: r.threshold,
    pending: await pendingSince(r.modelId),
    running: r.retrainer.running,
  });

  /**
   * The catalog's image embeddings: from the device cache when they were made by the saved embedder, else
   * computed in the worker (batched) and cached. Also gives Fashion items to the recommender.
   */
  let imagesReady: Promise<void> | null = null;
  const catalogImages = (): Promise<void> => {
    imagesReady ??= (async () => {
      const state = await models.embedder.ready;
      if (state.phase !== 'ready')
        throw new HushCartError('api/not-ready', `the image model is ${state.phase}: ${state.message}`);
      const { db, generalDb, info } = await loaded;
      const meta = (await listModels(generalDb)).find((m) => m.id === EMBEDDER_MODEL_ID);
      const stamp = `${info.dataHash}:${meta?.createdAt ?? 0}`;
      const [e, p] = await Promise.all([
        loadCache(db, 'image-embeddings', EMBEDDER_VERSION, stamp).catch(() => undefined),
        loadCache(db, 'image-category-probs', EMBEDDER_VERSION, stamp).catch(() => undefined),
      ]);
      const { catalog } = await loaded;
      const itemIds = catalog.pictured().map((i) => i.id);
      if (e && p && e.shape[0] === itemIds.length) {
        try {
          await engine.useCatalogEmbeddings({ itemIds, embeddings: e.data, probs: p.data, dims: e.shape[1] ?? 0 });
          return;
        } catch {
          // A cache that no longer fits is computed again below.
        }
      }
      const c: CatalogEmbeddings = await engine.embedCatalog(`embed-catalog-${Date.now().toString(36)}`);
      const n = c.itemIds.length;
      const { space } = await loaded;
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
    })();
    imagesReady.catch(() => (imagesReady = null));
    return imagesReady;
  };
  // Embedded at once when that is cheap (a shop's few hundred pictures: a second or two), else when first needed: a
  // photo search, More like this, or a pictured item viewed or asked about (the store's 10,000 pictures take about 20 s
  // of the worker on WASM, which a visit that never looks at pictures should not spend).
  const EAGER_PICTURES = 2000;
  void Promise.all([models.embedder.ready, loaded])
    .then(([s, { catalog }]) =>
      s.phase === 'ready' && catalog.pictured().length <= EAGER_PICTURES ? catalogImages() : undefined,
    )
    .catch(() => undefined); // the image model's own state says what went wrong
  /** Starts embedding the catalog's pictures when an item with a picture comes up (nothing when it has none). */
  const picturesNeeded = (catalog: Catalog, itemId: string | undefined) => {
    if (imagesReady || itemId === undefined || !catalog.get(itemId)?.image) return;
    void models.embedder.ready.then((s) => (s.phase === 'ready' ? catalogImages() : undefined)).catch(() => undefined);
  };

  const refreshEngineStatus = async (): Promise<EngineStatus> => {
    engineStatus = await engine.status();
    options.onEngineStatus?.(engineStatus, null);
    return engineStatus;
  };

  /**
   * The factor pack's interactions (MovieLens in the default store), loaded on the page on first use (the store UI
   * never needs them), chosen by the same rule as the worker's, without waiting for the worker.
   */
  const factorInteractions = (): Promise<{ x: Interactions; items: number }> => {
    interactionsCache ??= (async () => {
      const { catalog, files } = await loaded;
      const full = await Promise.all(
        catalog.packs.map((p) =>
          p.interactions
            ? p
            : loadPack(p.baseUrl, { include: { reviews: false }, fetcher: memoryFetcher(files, options.fetcher) }),
        ),
      );
      const counts = full.flatMap((p) =>
        p.interactions ? [{ pack: p, ...interactionCounts(p.id, p.interactions) }] : [],
      );
      const chosen = counts.find((c) => c.packId === chooseFactorPack(counts))?.pack;
      if (!chosen?.interactions)
        throw new HushCartError(
          'api/not-ready',
          `no pack of this catalog has ${FACTOR_MIN_ITEMS_PER_USER}+ items per user (median) for matrix factorisation`,
        );
      return { x: chosen.interactions, items: chosen.items.length };
    })();
    interactionsCache.catch(() => (interactionsCache = null));
    return interactionsCache;
  };

  /** Jobs cancelled before they reached the engine (still loading their data): they stop as they would have. */
  const cancelledEarly = new Set<string>();

  let catalogSync: Catalog | null = null;
  void loaded.then((l) => (catalogSync = l.catalog)).catch(() => undefined);
  const requireCatalog = (): Catalog => {
    if (!catalogSync)
      throw new HushCartError('api/not-ready', 'the catalog is still loading: await HushCart.ready() first');
    return catalogSync;
  };

  /** The catalog's own models and the general ones it shares with every catalog on this device. */
  const allModels = async () => {
    const { db, generalDb } = await loaded;
    const own = await listModels(db);
    if (generalDb === db) return own;
    const general = (await listModels(generalDb)).filter((m) => GENERAL_MODEL_IDS.includes(m.id));
    return [...own, ...general];
  };

  /**
   * What this catalog's data supports, each capability with why not where it is unavailable (decided by the data:
   * interactions, baskets, reviews, pictures, and the general models' training data in the data manifest).
   */
  const capabilities = async (): Promise<HushCartStatus['capabilities']> => {
    const { catalog } = await loaded;
    const loading = { available: false, loading: true, reason: "still reading the catalog's data" };
    /** A capability decided by what a promise of its data settled to (loading until it settles). */
    const by = (p: Outcome, available: boolean, reason: string): Capability =>
      p.state === 'pending'
        ? loading
        : p.state === 'rejected'
          ? { available: false, reason: p.reason }
          : available
            ? { available: true }
            : { available: false, reason };
    const info = outcomes.interactions.value ?? [];
    const hasReviews = catalog.packs.some((p) => p.reviews?.length);
    // Each model's capabilities are available exactly when its data feed is (the model table says which).
    const fromModels = Object.fromEntries(
      MODEL_TABLE.flatMap((d) => d.provides.map((c) => [c, by(outcomes[d.feed], true, '')])),
    ) as Record<ModelCapabilityName, Capability>;
    return {
      ...fromModels,
      'item-space': { available: true },
      'item-knn': by(
        outcomes.interactions,
        info.some((i) => i.users > 0),
        'this catalog has no interactions (ratings, purchases or views)',
      ),
      'bought-together': by(
        outcomes.interactions,
        info.some((i) => i.baskets),
        'this catalog has no baskets (orders grouping the lines bought together)',
      ),
      'review-ranking': hasReviews ? fromModels.sentiment : { available: false, reason: 'this catalog has no reviews' },
      search: by(outcomes.search, true, ''),
      // Retrieval over the search index; answers about reviews need reviews, and sentiment when trained.
      assistant: by(outcomes.search, true, ''),
    };
  };

  /** Whether track() stores events (the shopper can pause it); read once at load, then told of each switch. */
  let recording = true;
  const setRecordingState = (on: boolean) => {
    recording = on;
    options.onRecording?.(on);
  };
  void loaded
    .then(async ({ db }) => setRecordingState(storesNothing ? false : await getSetting(db, 'recording')))
    .catch(() => undefined);
  const refuseWithoutConsent = () => {
    if (storesNothing)
      throw new HushCartError(
        'store/no-consent',
        consent === 'pending'
          ? 'waiting for your consent: nothing is stored or learned until you accept (HushCart.consent(true))'
          : 'you declined: nothing is stored or learned on this site (HushCart.consent(true) if you change your mind)',
      );
  };
  // Events older than the retention are deleted as HushCart starts on a page (and when the shopper shortens it).
  const retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
  void expireEvents(loaded, retentionDays).catch(() => undefined);
  // What the shopper asked to see less of: read once, then kept here as they change it.
  let hiddenInterests: string[] = [];
  const interestsRead = loaded.then(async ({ db }) => (hiddenInterests = await getSetting(db, 'hiddenInterests')));
  interestsRead.catch(() => undefined);
  const experiment =
    options.experiment === undefined ? null : loaded.then(({ db }) => experimentArm(db, options.experiment as number));
  experiment?.catch(() => undefined);

  watchViolations();

  const controls = dataControls({
    loaded,
    generalModelIds: GENERAL_MODEL_IDS,
    onRecording: setRecordingState,
    retentionDays,
  });
  const api: HouseApi = {
    version: API_VERSION,
    loaded,
    async exportModels() {
      const { db, generalDb, info } = await loaded;
      const file = await exportProfile(
        db,
        { id: info.id, dataHash: info.dataHash },
        { models: true, generalDb, generalModelIds: GENERAL_MODEL_IDS },
      );
      // Models only: no shopper's events or settings go into a file a shop publishes.
      return new Blob([JSON.stringify({ ...file, events: [], settings: {} })], { type: 'application/json' });
    },
    ...controls,
    async storage() {
      const report = await controls.storage();
      return storesNothing ? { ...report, recording: false } : report;
    },
    async setRecording(on) {
      refuseWithoutConsent();
      return controls.setRecording(on);
    },
    async interests() {
      const { catalog } = await loaded;
      await interestsRead.catch(() => undefined);
      return interestsOf(await recentEvents(), catalog, hiddenInterests);
    },
    async setInterest(category, hidden) {
      if (typeof category !== 'string' || typeof hidden !== 'boolean')
        throw new HushCartError('api/invalid-argument', 'setInterest needs a category and true (show less) or false');
      const { db, log } = await loaded;
      await interestsRead.catch(() => undefined);
      hiddenInterests = hidden
        ? [...new Set([...hiddenInterests, category])]
        : hiddenInterests.filter((c) => c !== category);
      await setSetting(db, 'hiddenInterests', hiddenInterests);
      log.changed(); // every list that follows the shopper's activity renders again
    },
    async close() {
      await Promise.allSettled(Object.values(models).map((m) => (m.jobId ? engine.cancel(m.jobId) : null)));
      await engine.dispose().catch(() => undefined);
      const l = await loaded.catch(() => null);
      l?.log.close();
      l?.space.close();
      l?.db.close();
      l?.generalDb.close();
    },
    async ready(o = {}) {
      await loaded;
      if (o.engine !== false) await engineReady;
    },
    async status() {
      const { catalog, info, log, shippedModels, space } = await loaded;
      if (engineStatus) await refreshEngineStatus().catch(() => undefined);
      return {
        backend: engineStatus?.backend ?? null,
        engine: engineStatus,
        engineError,
        catalog: { ...info, items: catalog.size, aisles: catalog.counts() },
        capabilities: await capabilities(),
        events: await log.count(),
        models: await allModels(),
        ...(Object.fromEntries(MODEL_NAMES.map((name) => [name, stateOf(name, space)])) as Record<
          ModelName,
          ModelState
        >),
        timings: { ...timings },
        search: outcomes.search.value ?? null,
        storedInMemory: isMemoryStore(),
        loading: (Object.keys(outcomes) as LoadingPart[]).filter((k) => outcomes[k].state === 'pending'),
        consent,
        experiment: experiment ? await experiment.catch(() => null) : null,
        // Not awaited: the file is read and checked in the worker, and status() does not wait on the worker.
        shippedModels:
          outcomes.shipped.value ??
          (shippedModels ? { url: shippedModels, loaded: [], skipped: [], reading: true } : null),
        autoRetrain: {
          ...(await retrainStatus(retrainers.recommender)),
          quietMs,
          sequential: await retrainStatus(retrainers.sequential),
        },
      };
    },
    async track(event: TrackEvent) {
      const { catalog, log } = await loaded;
      refuseWithoutConsent();
      if (!recording)
        throw new HushCartError(
          'store/paused',
          'recording is paused: nothing is stored until you switch it back on (My data, or HushCart.setRecording(true))',
        );
      if (typeof event !== 'object' || event === null)
        throw new HushCartError(
          'store/invalid-event',
          `invalid event: expected an object like {type: 'view', itemId: '...'}; types are ${EVENT_TYPES.join(', ')}`,
        );
      if (typeof event.itemId === 'string' && !catalog.get(event.itemId))
        throw new HushCartError(
          'store/invalid-event',
          `invalid event: 'itemId' '${event.itemId}' is not in the catalog`,
        );
      picturesNeeded(catalog, event.itemId);
      // A review counts as feedback by what it says: the sentiment model's P(positive) becomes its value.
      if (
        event.type === 'review' &&
        event.value === undefined &&
        typeof event.text === 'string' &&
        event.text.trim() &&
        event.text.length <= MAX_TEXT_LENGTH &&
        models.sentiment.state.phase === 'ready'
      ) {
        const [r] = await engine.sentiment([event.text]);
        if (r) {
          const stored = await log.record({ ...event, value: Math.round(r.score * 1000) / 1000 });
          pokeRetrainers();
          return stored;
        }
      }
      const stored = await log.record(event);
      pokeRetrainers();
      return stored;
    },
    async events({ limit = 100, type } = {}) {
      const { log } = await loaded;
      if (!Number.isInteger(limit) || limit < 1 || limit > 100_000)
        throw new HushCartError('api/invalid-argument', 'limit must be an integer from 1 to 100000');
      if (type !== undefined && !EVENT_TYPES.includes(type))
        throw new HushCartError(
          'api/invalid-argument',
          `unknown event type '${String(type)}'; types are ${EVENT_TYPES.join(', ')}`,
        );
      return log.list(type ? { limit, type } : { limit });
    },
    async cart() {
      const { log } = await loaded;
      return cartFromEvents(await log.all({ fresh: true }));
    },
    catalog: {
      get: (id) => requireCatalog().get(id) ?? null,
      list: (o) => requireCatalog().list(o),
      aisles: () => requireCatalog().aisles.map((a) => ({ ...a })),
      reviews: (id) => requireCatalog().reviews(id),
    },
    async recommend(o = {}) {
      const { catalog } = await loaded;
      const slot = o.slot ?? 'for-you';
      const limit = o.limit ?? 10;
      const diversity = o.diversity ?? 0;
      if (!(RECOMMEND_SLOTS as readonly string[]).includes(slot))
        throw new HushCartError(
          'api/invalid-argument',
          `unknown slot '${String(slot)}'; slots are ${RECOMMEND_SLOTS.join(', ')}`,
        );
      if (!Number.isInteger(limit) || limit < 1 || limit > 50)
        throw new HushCartError('api/invalid-argument', 'limit must be an integer from 1 to 50');
      if (!(diversity >= 0 && diversity <= 1))
        throw new HushCartError('api/invalid-argument', 'diversity must be a number from 0 to 1');
      if (o.aisle !== undefined && !catalog.aisle(o.aisle))
        throw new HushCartError(
          'api/invalid-argument',
          `no aisle '${o.aisle}'; aisles are: ${catalog.aisles.map((a) => a.id).join(', ')}`,
        );
      picturesNeeded(catalog, o.itemId);
      if (o.itemId !== undefined && !catalog.get(o.itemId))
        throw new HushCartError('api/invalid-argument', `no item '${o.itemId}' in the catalog`);
      const asked = steeringOf(o, catalog);
      await interestsRead.catch(() => undefined);
      // The shopper's "show me less of this" joins the call's rules in every list.
      const steering = hiddenInterests.length
        ? { ...asked, rules: [...lessOf(hiddenInterests), ...(asked?.rules ?? [])] }
        : asked;
      await interactionsReady;
      const events = await recentEvents();
      const cartLines = cartFromEvents(events); // other event types do not touch the cart
      const exclude = [
        ...cartLines.map((l) => l.itemId),
        ...events.filter((e) => e.type === 'purchase').map((e) => e.itemId ?? ''),
      ];
      const recs = await engine.recommend({
        slot,
        events: toShopperEvents(events),
        limit,
        diversity,
        exclude,
        ...(o.itemId ? { itemId: o.itemId } : {}),
        ...(o.aisle ? { aisle: o.aisle } : {}),
        ...(steering ? { steering } : {}),
      });
      return recs.map((r) => ({
        itemId: r.itemId,
        score: r.score,
        reasons: r.reasons.map((x) => reasonText(x, catalog, r.itemId)),
      }));
    },
    async search(query, o = {}) {
      if (typeof query !== 'string')
        throw new HushCartError('api/invalid-argument', 'search needs the query as a string');
      const limit = o.limit ?? 20;
      if (!Number.isInteger(limit) || limit < 1 || limit > 100)
        throw new HushCartError('api/invalid-argument', 'limit must be an integer from 1 to 100');
      const { catalog } = await loaded;
      if (o.aisle !== undefined && !catalog.aisle(o.aisle))
        throw new HushCartError(
          'api/invalid-argument',
          `no aisle '${o.aisle}'; aisles are: ${catalog.aisles.map((a) => a.id).join(', ')}`,
        );
      await searchReady;
      const personalised = o.personalised === true;
      return engine.search(
        {
          // Past MAX_QUERY_CHARS nothing more is read (the engine searches the first MAX_QUERY_WORDS words).
          query: query.slice(0, MAX_QUERY_CHARS),
          limit,
          personalised,
          ...(o.aisle ? { aisle: o.aisle } : {}),
          ...(o.category ? { category: o.category } : {}),
        },
        personalised ? await shopperEvents() : undefined,
      );
    },
    async ask(question, o = {}) {
      if (typeof question !== 'string' || !question.trim())
        throw new HushCartError('api/invalid-argument', 'ask needs the question as a non-empty string');
      const { catalog, log } = await loaded;
      if (o.itemId !== undefined && !catalog.get(o.itemId))
        throw new HushCartError('api/invalid-argument', `no item '${o.itemId}' in the catalog`);
      await searchReady;
      const text = question.slice(0, MAX_QUESTION_CHARS);
      const r = await engine.ask({ question: text, ...(o.itemId ? { itemId: o.itemId } : {}) });
      // Kept on this device like a search (and not at all while recording is paused).
      if (recording)
        await log.record({ type: 'question', text, ...(o.itemId ? { itemId: o.itemId } : {}) }).catch(() => undefined);
      return r;
    },
    async taste() {
      const state = await modelReady();
      if (state.phase !== 'ready')
        throw new HushCartError(
          'api/not-ready',
          `taste segments need the trained recommender, which is ${state.phase}: ${state.message}`,
        );
      return engine.taste(toShopperEvents(await recentEvents()));
    },
    async models() {
      return allModels();
    },
    async retrain(model = 'recommender', o = {}) {
      if (o.epochs !== undefined && !(Number.isInteger(o.epochs) && o.epochs >= 1 && o.epochs <= 50))
        throw new HushCartError('api/invalid-argument', 'epochs must be an integer from 1 to 50');
      if (!Object.hasOwn(models, model))
        throw new HushCartError(
          'api/invalid-argument',
          `unknown model '${String(model)}'; models are ${Object.keys(models).join(', ')}`,
        );
      const m = models[model];
      const withRecipes = MODEL_TABLE.filter((d) => d.recipes).map((d) => d.name);
      if (o.recipe !== undefined && !m.def.recipes)
        throw new HushCartError(
          'api/invalid-argument',
          `'${model}' has no recipes (models with recipes: ${withRecipes.join(', ')})`,
        );
      const asked =
        o.recipe === undefined ? undefined : namedRecipe(m.def.recipes ?? [], o.recipe, `the ${model} model's`);
      await m.ready.catch(() => undefined);
      // A model with recipes trains by the one asked for, else the one in service, else its first.
      const recipe = m.def.recipes ? { recipe: asked ?? m.state.recipe ?? m.def.recipes[0] } : {};
      // Its data feed is awaited by prepare itself (and says why when the catalog lacks it).
      const s = await prepare(model, Promise.resolve(), {
        force: true,
        ...recipe,
        ...(o.epochs ? { epochs: o.epochs } : {}),
      });
      if (model === 'embedder' && s.phase === 'ready') {
        imagesReady = null; // new weights: the catalog is embedded again
        await catalogImages();
      }
      return s;
    },
    async cancelTraining(model) {
      if (!Object.hasOwn(models, model))
        throw new HushCartError(
          'api/invalid-argument',
          `unknown model '${String(model)}'; models are ${Object.keys(models).join(', ')}`,
        );
      const m = models[model];
      if (m.state.phase === 'training' && m.jobId) await engine.cancel(m.jobId);
    },
    async searchImage(input, o = {}) {
      const limit = o.limit ?? 12;
      if (!Number.isInteger(limit) || limit < 1 || limit > 100)
        throw new HushCartError('api/invalid-argument', 'limit must be an integer from 1 to 100');
      const isBitmap = typeof ImageBitmap !== 'undefined' && input instanceof ImageBitmap;
      if (!(input instanceof Blob) && !isBitmap)
        throw new HushCartError('api/invalid-argument', 'searchImage needs an image File, Blob or ImageBitmap');
      await catalogImages();
      const r = await engine.searchImage(input, limit);
      const { log } = await loaded;
      // Only the predicted category is recorded: the photo itself is never stored.
      await log.record({ type: 'photo-query', text: r.category }).catch(() => undefined);
      return r;
    },
    async moreLikeThis(itemId, o = {}) {
      const limit = o.limit ?? 12;
      const { catalog } = await loaded;
      if (!catalog.pictureOf(itemId))
        throw new HushCartError('api/invalid-argument', `item '${itemId}' has no picture to compare`);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100)
        throw new HushCartError('api/invalid-argument', 'limit must be an integer from 1 to 100');
      await catalogImages();
      return engine.moreLikeThis(itemId, limit);
    },
    async imageCategory(itemId) {
      await catalogImages();
      return (await engine.imageCategories([itemId]))[0] ?? null;
    },
    async sentiment(text) {
      const many = Array.isArray(text);
      const texts: unknown[] = many ? text : [text];
      if (texts.length === 0 || texts.length > 10_000 || !texts.every((t) => typeof t === 'string'))
        throw new HushCartError('api/invalid-argument', 'sentiment needs a string or an array of 1 to 10000 strings');
      const state = await models.sentiment.ready;
      if (state.phase !== 'ready')
        throw new HushCartError('api/not-ready', `the sentiment model is ${state.phase}: ${state.message}`);
      const results = await engine.sentiment(texts as string[]);
      // One overload returns one result, the other the array; the implementation serves both.
      return (many ? results : results[0]) as never;
    },
    async itemSentiment(itemIds) {
      if (!Array.isArray(itemIds) || !itemIds.every((t) => typeof t === 'string'))
        throw new HushCartError('api/invalid-argument', 'itemSentiment needs an array of item ids');
      await models.sentiment.ready;
      await interactionsReady;
      return engine.itemSentiment(itemIds);
    },
    async setBackend(preference) {
      if (preference !== 'auto' && !isBackendName(preference))
        throw new HushCartError(
          'api/invalid-argument',
          `unknown backend '${String(preference)}'; use auto, webgpu, webgl, wasm or cpu`,
        );
      const { db } = await loaded;
      await engineReady.catch(() => undefined);
      engineStatus = await engine.setBackend(preference);
      await setSetting(db, 'backend', preference);
      await rememberSelection(db, engineStatus);
      options.onEngineStatus?.(engineStatus, null);
      return engineStatus;
    },
    subscribe(listener) {
      let unsub: (() => void) | null = null;
      let cancelled = false;
      loaded.then(
        ({ log }) => {
          if (!cancelled) unsub = log.subscribe(() => listener());
        },
        () => undefined, // a catalog that failed to open has no events to follow
      );
      return () => {
        cancelled = true;
        unsub?.();
      };
    },
    diagnostics: {
      async matmul(size = 1024, reps = 3) {
        await engineReady;
        return engine.matmul(size, reps);
      },
      async trainProbe(o = {}, onProgress) {
        await engineReady;
        const jobId = o.jobId ?? `train-probe-${Date.now().toString(36)}`;
        const { x, items } = await factorInteractions();
        if (cancelledEarly.delete(jobId)) throw new HushCartError('engine/cancelled', `job '${jobId}' was cancelled`);
        const { train, test } = ratingTriples(x, items, { maxUsers: o.users ?? 200 });
        const result = await engine.trainEmbedding(
          jobId,
          train,
          test,
          {
            dim: o.dim ?? 32,
            epochs: o.epochs ?? 3,
            batchSize: o.batchSize ?? 1024,
            learningRate: o.learningRate ?? 0.01,
            seed: o.seed ?? 42,
            l2: 1e-4,
          },
          onProgress,
        );
        await refreshEngineStatus().catch(() => undefined);
        return { ...result, jobId };
      },
      async cancel(jobId) {
        cancelledEarly.add(jobId); // in case the job has not reached the engine yet
        await engine.cancel(jobId);
        setTimeout(() => cancelledEarly.delete(jobId), 60_000);
      },
      async loseDevice() {
        await engineReady;
        return engine.loseDevice();
      },
      async memory() {
        return (await engine.status()).memory;
      },
      async evaluateSentiment(onProgress, jobId = `eval-sentiment-${Date.now().toString(36)}`) {
        const state = await models.sentiment.ready;
        if (state.phase !== 'ready')
          throw new HushCartError('api/not-ready', `the sentiment model is ${state.phase}: ${state.message}`);
        return engine.evaluateSentiment(jobId, onProgress);
      },
      async evaluateVision(onProgress, jobId = `eval-vision-${Date.now().toString(36)}`) {
        await catalogImages();
        return engine.evaluateVision(jobId, onProgress);
      },
      async evaluateAssistant() {
        await searchReady;
        await models.sentiment.ready.catch(() => undefined); // answers about opinions read the sentiment model
        return engine.evaluateAssistant();
      },
      async evaluateSearch(onProgress, jobId = `eval-search-${Date.now().toString(36)}`) {
        await searchReady;
        return engine.evaluateSearch(jobId, onProgress);
      },
      async trainSequential(config, onProgress, jobId = `train-sequential-${Date.now().toString(36)}`) {
        await engineReady;
        await interactionsReady;
        await factorPack; // rejects, saying why, for a catalog without sequences
        const full = { ...DEFAULT_SEQUENTIAL, ...config };
        const validation: number[] = [];
        const r = await engine.trainSequential(jobId, full, (p) => {
          const v = p.metrics?.validationAccuracy;
          if (v !== undefined) validation.push(v);
          onProgress?.(p);
        });
        return {
          config: full,
          epochLoss: r.epochLoss,
          validation,
          chosenEpoch: validation.indexOf(Math.max(...validation)) + 1,
          seconds: r.ms / 1000,
          examplesPerSec: r.examplesPerSec,
          backend: (await engine.status()).backend ?? 'unknown',
        };
      },
      async tuneBlend(onProgress, jobId = `tune-blend-${Date.now().toString(36)}`) {
        await engineReady;
        await interactionsReady;
        await factorPack;
        await models.sequential.ready.catch(() => undefined); // it says so below when there is none
        return engine.tuneBlend(jobId, onProgress);
      },
      async evaluateRecommenders(onProgress, jobId = `eval-${Date.now().toString(36)}`, options = {}) {
        await interactionsReady;
        await modelReady().catch(() => undefined); // the table includes the trained model when there is one
        return engine.evaluateRecommenders(jobId, onProgress, options);
      },
    },
  };
  return api;
}
