/**
 * What the house is opened with and what it holds once open: the options a page (or the widget's house frame)
 * passes, the catalog and databases it opens, and the API it serves.
 */
import type { Catalog } from '../../catalog/catalog';
import type { Fetcher } from '../../catalog/fetch';
import type { DataManifest } from '../../catalog/load';
import type { BackendPreference, Engine, EngineStatus } from '../../engine/types';
import type { Database } from '../../store/db';
import type { EventLog } from '../../store/events';
import type { StoragePriorities } from '../../store/space';
import type { ModelState } from '../model-lifecycle';
import type { ConsentState, HushCartApi, ModelName, PageMethod } from '../types';

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
   * (../experiment.ts); `status().experiment` says which. The widget sets it from `data-experiment`.
   */
  experiment?: number;
  /** Days the shop proposes the shopper's events be kept (default 90); the shopper may shorten it. */
  retentionDays?: number;
}

/** How long events are kept unless the shop proposes otherwise. */
export const DEFAULT_RETENTION_DAYS = 90;

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

/** The catalog and the databases, once open. */
export interface Loaded {
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

/**
 * The API as the house serves it: all but what the page answers itself (../types.ts PageMethod), and close, which
 * the page also asks of the house before it ends the worker.
 */
export type HouseApi = Omit<HushCartApi, Exclude<PageMethod, 'close'>> & { loaded: Promise<Loaded> };
