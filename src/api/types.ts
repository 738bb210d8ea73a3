/**
 * The public contract: `window.HushCart`, the same object the store app and the embeddable widget expose.
 * Everything returned is plain data (no tensors, no live database handles).
 */
import type { AisleInfo, Catalog, ItemPage, ListOptions } from '../catalog/catalog';
import type { Item, MerchRule, Review } from '../catalog/schema';
import { SLOTS, type Fallback, type Slot } from '../catalog/slots';
import type { Interest } from './interests';
export type { Interest };
import type {
  BackendPreference,
  BlendTuning,
  EmbeddingTrainResult,
  EngineStatus,
  MatmulResult,
  ProgressCallback,
  RankingRow,
  Taste,
} from '../engine/types';
import type { EmbedderRecipe } from '../vision/contract';
import type { ProtocolReport, ProtocolRequest, SequentialConfig, SequentialRecipe } from '../recommend/contract';
export type { ProtocolReport, ProtocolRequest };
import type { CartLine } from '../store/cart';
import type { EventType, ModelRecord, StoredEvent } from '../store/schema';
import type { ImportPreview, Inventory } from '../store/profile';
import type { NotKept } from '../store/space';

import type {
  AskResponse,
  AssistantEvaluation,
  SearchEvaluation,
  SearchIndexInfo,
  SearchResponse,
} from '../engine/types';
export type { AskResponse, AssistantEvaluation };
export type { Evidence } from '../assistant/contract';
export type { SearchHit, Highlight, QueryIntent, FacetValue } from '../search/contract';
export type { BlendTuning, ProgressCallback, RankingRow, Taste, SearchEvaluation, SearchResponse };
export type { ModelState } from './model-lifecycle';
import type { ModelState } from './model-lifecycle';
import type {
  ImageMatch,
  ImageSearchResult,
  SentimentEvaluation,
  SentimentResult,
  VisionEvaluation,
} from '../engine/types';
import type { SentimentToken } from '../sentiment/contract';
export type { ImageMatch, ImageSearchResult, SentimentEvaluation, VisionEvaluation };

/**
 * The models trained and saved on this device, in the model table's boot order (src/api/model-table.ts; a test
 * checks that the table, this list and the status fields agree).
 */
export const MODEL_NAMES = ['recommender', 'sentiment', 'sequential', 'embedder'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

export type CapabilityName =
  | 'item-space'
  | 'item-knn'
  | 'bought-together'
  | 'matrix-factorisation'
  | 'sequential'
  | 'sentiment'
  | 'review-ranking'
  | 'photo-search'
  | 'search'
  | 'assistant';

/** A text as the sentiment model reads it: label, P(positive), each token's share of the decision. */
export type Sentiment = SentimentResult;
export type { SentimentToken };
export type { ImportPreview, Inventory };
export type {
  AisleInfo,
  CartLine,
  EngineStatus,
  EventType,
  Item,
  ItemPage,
  MerchRule,
  ModelRecord,
  Review,
  StoredEvent,
};

/** An interaction to record. `value`: rating 1-5 for `rate`, quantity for cart events; `text`: query or review. */
export interface TrackEvent {
  type: EventType;
  itemId?: string;
  value?: number;
  text?: string;
}

export interface HushCartStatus {
  /** The active tfjs backend, or null while the engine is starting. */
  backend: EngineStatus['backend'];
  /** Every backend considered, with whether it works and why it was chosen or passed over. */
  engine: EngineStatus | null;
  /** Why the engine could not start, if it could not. */
  engineError: string | null;
  /** The catalog in use: 'default' (the demo store's packs) or a shop's pack, with its data hash. */
  catalog: {
    id: string;
    name: string;
    source: string;
    dataHash: string;
    /** What loading the pack left out and why (item links that are not http(s)); empty when nothing. */
    warnings: string[];
    items: number;
    aisles: Record<string, number>;
  };
  /** What the catalog's data supports; an unavailable capability says why (the rest of the API works). */
  capabilities: Record<CapabilityName, { available: boolean; loading?: boolean; reason?: string }>;
  events: number;
  models: ModelRecord[];
  /** The trained recommender: loading, training (with progress and loss per epoch) or ready, and from where. */
  recommender: ModelState;
  /** The review sentiment model, the same way. */
  sentiment: ModelState;
  /** The image embedder, the same way. */
  embedder: ModelState;
  /** The sequential next-item model ("Up next"), the same way. */
  sequential: ModelState;
  timings: { catalogMs: number | null; engineReadyMs: number | null };
  /** The search index: items, whether it was built on this visit (else loaded from this device) and how long. */
  search: SearchIndexInfo | null;
  /** This browser stores nothing (IndexedDB unavailable): everything is kept in memory until the page closes. */
  storedInMemory: boolean;
  /**
   * The shopper's consent as the page last gave it (`data-consent="required"` on the widget's script tag):
   * pending and denied store nothing (the store is in memory, recording is off, lists are not personal), granted
   * works as usual; not-required where the page asks for none.
   */
  consent: ConsentState;
  /** This device's arm of the shop's on-device experiment (`data-experiment`), or null when there is none. */
  experiment: { arm: 'treatment' | 'control'; treatment: number } | null;
  /** The models shipped with the catalog's pack (null: it names none): which were loaded, which skipped and why. */
  shippedModels: ShippedModels | null;
  /**
   * What is still loading, by name: `interactions` (the catalog's interactions and item space), `search` (its index),
   * `factors` (the recommender's training data), `sentiment` and `vision` (the general models' training data),
   * `shipped` (the models shipped with the pack). Empty once everything has loaded (or failed: each model's state
   * says why).
   */
  loading: LoadingPart[];
  /**
   * Background retraining of the recommender: after `threshold` new events on the factor pack's items since it was trained, once the
   * shopper has been quiet for `quietMs`; `pending` counts those events so far. `sequential`: the same for the
   * sequential model.
   */
  autoRetrain: AutoRetrainStatus & { quietMs: number; sequential: AutoRetrainStatus };
}

export interface AutoRetrainStatus {
  threshold: number;
  pending: number;
  running: boolean;
}

export interface TrainProbeOptions {
  /** MovieLens users to train on (the first N by id); each user's last rating is the test set. */
  users?: number;
  epochs?: number;
  dim?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  /** Id to cancel the job with; one is made up when absent. */
  jobId?: string;
}

/** The lists `recommend()` serves (and `<hushcart-recs kind>` shows: the widget's kinds are these). */
/** The slots: for-you, similar, fbt, next, trending, recent (recently viewed), new (new arrivals). */
export const RECOMMEND_SLOTS = SLOTS;
export type RecommendSlot = Slot;

export interface RecommendOptions {
  /**
   * 'for-you': from the shopper's history (popular picks when there is none); 'similar': like `itemId`;
   * 'fbt': frequently bought together with `itemId` (association rules over order baskets).
   */
  slot?: RecommendSlot;
  itemId?: string;
  /** 1-50, default 10. */
  limit?: number;
  /** 0 (most relevant first) to 1 (most varied): maximal marginal relevance. Default 0. */
  diversity?: number;
  aisle?: string;
  /** Only items priced (at their sale price when they have one) from `minPrice` to `maxPrice`. */
  minPrice?: number;
  maxPrice?: number;
  /** Only items of this category. */
  category?: string;
  /** Rules for this call, after the pack's own (pin, boost, bury, exclude; see the pack format's `rules`). */
  rules?: MerchRule[];
  /** Also show items that are out of stock (never shown otherwise). */
  includeUnavailable?: boolean;
  /** What fills the list if it would be short, in order (instead of the pack's chain for this slot). */
  fallback?: Fallback[];
}

export interface RecommendedItem {
  itemId: string;
  score: number;
  /** Why, in words computed from the model (e.g. "Because you rated Alien 5★ and viewed Aliens"). */
  reasons: string[];
}

/** Everything HushCart keeps on this device for the catalog in use (`storage()`). */
export interface StorageReport extends Inventory {
  /** The general models, shared by every catalog on this device (sentiment, image embedder). */
  generalModels: Inventory['models'];
  /** The browser's own estimate for this origin (all of HushCart's databases and caches). */
  estimate: { usage: number; quota: number } | null;
  /** Whether the browser keeps this origin's data under storage pressure (null: not asked or unsupported). */
  persisted: boolean | null;
  recording: boolean;
  /**
   * How long events are kept: `days` (the shorter of the shop's proposal and the shopper's own choice); events
   * older are deleted when HushCart starts on a page and when the choice changes.
   */
  retention: { days: number; shopDays: number; shopperDays: number | null };
  /**
   * What could not be kept on this device, and why, newest first: when the browser's storage for the site runs
   * out, the shopper's events come first, then the models trained here, then the caches (store/space.ts).
   */
  notKept: NotKept[];
}

export interface ImportResult {
  /** What the file holds (a dry run returns this and changes nothing). */
  preview: ImportPreview;
  /** What was written: events added, models and settings written (0 on a dry run). */
  events: number;
  models: number;
  settings: number;
}

/** The parts of a catalog that load in the background (`status().loading`). */
export type LoadingPart = 'interactions' | 'search' | 'factors' | 'sentiment' | 'vision' | 'shipped';

/**
 * The API's methods the page's client answers itself, never the house in the worker: the network monitor (it reads
 * the page's own records), persistent storage (a window-only permission), closing (it also ends the worker), consent
 * (it starts another house).
 */
export type PageMethod = 'network' | 'requestPersistentStorage' | 'close' | 'consent';

/** The consent a page asked for (`data-consent`) and the shopper's answer so far. */
export type ConsentState = 'pending' | 'granted' | 'denied' | 'not-required';

/** Without the shopper's consent (pending or denied): nothing is stored, recorded or trained. */
export const withoutConsent = (c: ConsentState | null): boolean => c === 'pending' || c === 'denied';

/** Every request the page and the engine worker made, as the browser recorded them (`network()`). */
export interface NetworkReport {
  requests: { url: string; realm: 'page' | 'engine'; initiator: string; bytes: number; at: number; foreign: boolean }[];
  /** Requests the Content-Security-Policy blocked. */
  violations: { blocked: string; directive: string; realm: 'page' | 'engine'; at: number }[];
  /** The app's own origin, the only one allowed. */
  origin: string;
  foreign: number;
}

export interface ShippedModels {
  url: string;
  loaded: string[];
  skipped: { id: string; why: string }[];
  /** The file could not be used (it is named, and the models train on the device as without it). */
  error?: string;
  /** Still being read and checked: `loaded` and `skipped` are not known yet. */
  reading?: true;
}

/** The public API's version (`HushCart.version`). */
export const API_VERSION = '0.1.0';

/**
 * `window.HushCart` on a shop's page in the widget's isolated mode (the script served from another origin than the
 * page's): only what the page already knows goes in, and nothing personal comes out. No method reads the history,
 * the profile, the taste or a personal list; those live in frames of the widget's origin.
 */
export interface IsolatedHushCartApi {
  readonly version: string;
  readonly isolated: true;
  /** Resolves once the catalog and the store are loaded in the widget's frame; rejects with why they cannot. */
  ready(): Promise<void>;
  /** Records an event the page knows of (a view, an add to cart, a purchase); resolves once it is saved. */
  track(event: TrackEvent): Promise<void>;
  /** The shopper's answer to the page's consent banner (as `HushCartApi.consent`). */
  consent(granted: boolean): Promise<void>;
  /** An item of the shop's catalog (public data), or null when the catalog has none of that id. */
  item(id: string): Promise<Item | null>;
}

export interface HushCartApi {
  readonly version: string;
  /**
   * Resolves when the catalog, the store and the engine are ready; rejects with the reason if one fails.
   * `{engine: false}`: once the catalog and the store are (`catalog` is readable and every call works; a first visit
   * is still choosing the engine's backend, which only the calls that need it wait for).
   */
  ready(options?: { engine?: boolean }): Promise<void>;
  /** Stops the engine worker and closes the database (before another catalog is opened in this page). */
  close(): Promise<void>;
  status(): Promise<HushCartStatus>;
  /** Validates and records an event; resolves once it is saved on this device. */
  track(event: TrackEvent): Promise<StoredEvent>;
  /** Recorded events, newest first. */
  events(options?: { limit?: number; type?: EventType }): Promise<StoredEvent[]>;
  /** The cart, derived from the recorded cart events. */
  cart(): Promise<CartLine[]>;
  catalog: {
    get(id: string): Item | null;
    list(options?: ListOptions): ItemPage;
    aisles(): AisleInfo[];
    reviews(itemId: string): Review[];
  };
  /** Recommendations computed on this device from the recorded events; items in the cart or bought are left out. */
  recommend(options?: RecommendOptions): Promise<RecommendedItem[]>;
  /**
   * Taste segments: k-means over the trained MovieLens user vectors, each described by the genres its members
   * favour (lift), and `yours`, the segment nearest your folded-in taste (null without liked movies).
   */
  taste(): Promise<Taste>;
  /** Models saved on this device, with their metrics. */
  models(): Promise<ModelRecord[]>;
  /**
   * Trains a model ('recommender' by default) again on this device, saves it and serves it; the model in service
   * answers meanwhile. The image embedder and the sequential model take a recipe: 'quick' (what a first visit trains when the catalog ships none)
   * or 'full' (the embedder: a finer network on 57,600 training pictures, over three times as long; the sequential
   * model: cross-entropy over every movie, about 2.5 times as long); default, the recipe in service.
   */
  retrain(
    model?: ModelName,
    options?: { epochs?: number; recipe?: EmbedderRecipe | SequentialRecipe },
  ): Promise<ModelState>;
  /** Stops the model's training, if it is training; a model already in service stays in service. */
  cancelTraining(model: ModelName): Promise<void>;
  /**
   * Review sentiment on this device: label, P(positive) and each token's share of the decision. A string gives
   * one result, an array one per text (up to 10,000).
   */
  sentiment(text: string): Promise<Sentiment>;
  sentiment(texts: string[]): Promise<Sentiment[]>;
  /**
   * Visual search: a photo (any size the browser decodes: PNG, JPEG, WebP, GIF) to its predicted category and the
   * catalog items that look most like it. `processed` is the 28x28 image the model saw. Bad files reject with a
   * message for the shopper; nothing is stored for them (a good query records its category, never the photo).
   */
  searchImage(image: Blob | ImageBitmap, options?: { limit?: number }): Promise<ImageSearchResult>;
  /** "More like this": catalog items whose pictures look most like this item's. */
  moreLikeThis(itemId: string, options?: { limit?: number }): Promise<ImageMatch[]>;
  /** The image model's category for an item with a picture, with its confidence. */
  imageCategory(itemId: string): Promise<{ category: string; confidence: number } | null>;
  /** P(positive) of each item's review (null: no review, or the model is not ready). */
  itemSentiment(itemIds: string[]): Promise<(number | null)[]>;
  /**
   * Search over the catalog in use, on this device: keyword (BM25, typo-tolerant, prefix on the last word) fused
   * with semantic retrieval, the query's intent (aisle and category), highlights and facets. `personalised`
   * re-orders by the shopper's profile (off: the same order for everyone). Nothing is recorded by a search
   * itself; the store records the queries the shopper settles on and the results opened (`track`).
   */
  search(
    query: string,
    options?: { limit?: number; aisle?: string; category?: string; personalised?: boolean },
  ): Promise<SearchResponse>;
  /**
   * The shopping assistant, on this device and retrieval-based: similar items, what an item's reviews say about
   * something (quoted, with their sentiment), likes and dislikes, a comparison of two items, items in a price
   * range. `known: false` when it cannot answer from this catalog, with why. `itemId`: the item the question is
   * asked on ("is this coffee bitter?"). The question is recorded like a search (never while paused).
   */
  ask(question: string, options?: { itemId?: string }): Promise<AskResponse>;
  /** Chooses the backend ('auto' to let the engine decide); remembered on this device. */
  setBackend(preference: BackendPreference): Promise<EngineStatus>;
  /** Calls `listener` after events are recorded (here or in another tab). Returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Everything stored on this device for this catalog, with sizes and dates, and the browser's estimate. */
  storage(): Promise<StorageReport>;
  /** Asks the browser to keep this origin's data under storage pressure; resolves to its answer. */
  requestPersistentStorage(): Promise<boolean>;
  /**
   * The models trained on this device for this catalog (and the general ones), as a file a shop ships beside its
   * pack (named by the manifest's `models`): no events, no settings. Each model is stamped with the data hash it was
   * trained on; a visitor's first visit loads those that still match instead of training them.
   */
  exportModels(): Promise<Blob>;
  /** One versioned JSON file of the events and settings (and the trained models when asked). */
  exportData(options?: { models?: boolean }): Promise<Blob>;
  /**
   * Reads an export file and checks all of it before anything changes; a bad file is rejected with what is
   * wrong. replace: the file's events and settings take the place of the stored ones; merge (default): events
   * not already here are added. dryRun: only the preview.
   */
  importData(file: Blob, options?: { mode?: 'replace' | 'merge'; dryRun?: boolean }): Promise<ImportResult>;
  /** Deletes one category of stored data, or everything (no argument) for this catalog. */
  deleteData(what?: 'events' | 'models' | 'caches'): Promise<void>;
  /**
   * The shopper's answer to the page's consent banner. true: HushCart stores and learns as usual from now on. false:
   * everything HushCart stored on this device for this site is deleted (its databases included), and it goes on
   * from memory, storing nothing, with lists that are not personal. Resolves once the change is done.
   */
  consent(granted: boolean): Promise<void>;
  /** Pauses (false) or resumes (true) recording; while paused, track() stores nothing and says so. */
  setRecording(on: boolean): Promise<void>;
  /**
   * Keeps events for at most `days` (shorter than the shop proposes; null: as the shop proposes); deletes older ones
   * at once. Returns how many were deleted.
   */
  setRetention(days: number | null): Promise<number>;
  /**
   * The categories the shopper's own activity makes their lists lean to, each with the items behind it and whether
   * they asked to see less of it (hidden ones listed last).
   */
  interests(): Promise<Interest[]>;
  /** "Show me less of this" (true), or as before (false): a hidden category's items sink in every list. */
  setInterest(category: string, hidden: boolean): Promise<void>;
  /**
   * Tries again now to save the models that were not kept for lack of space (after the shopper freed some); resolves
   * with how many are still not kept. Otherwise they are tried again every two minutes.
   */
  retrySaving(): Promise<number>;
  /** The network monitor: every request made so far by the page and the engine, any to another origin flagged. */
  network(): Promise<NetworkReport>;
  /** Engine measurements, used by the Lab page, the benchmarks and the browser tests. */
  diagnostics: {
    matmul(size?: number, reps?: number): Promise<MatmulResult>;
    /** Trains the reference embedding model (matrix factorisation) on MovieLens ratings on the device. */
    trainProbe(
      options?: TrainProbeOptions,
      onProgress?: ProgressCallback,
    ): Promise<EmbeddingTrainResult & { jobId: string }>;
    cancel(jobId: string): Promise<void>;
    /** Destroys the WebGPU device (as a driver reset would) to exercise recovery. False if not on WebGPU. */
    loseDevice(): Promise<boolean>;
    memory(): Promise<EngineStatus['memory']>;
    /** Visual search evaluation: precision@10 (trained embedder vs raw pixels), accuracy, query latency. */
    evaluateVision(onProgress?: ProgressCallback, jobId?: string): Promise<VisionEvaluation>;
    /** The sentiment evaluation: the network, logistic regression and both lexicons on the same test sets. */
    evaluateSentiment(onProgress?: ProgressCallback, jobId?: string): Promise<SentimentEvaluation>;
    /** The assistant: intent accuracy on held-out questions; answerability on the demo store's questions. */
    evaluateAssistant(): Promise<AssistantEvaluation>;
    /** Known-item search evaluation: keyword, semantic and fused rankings per aisle and query kind. */
    evaluateSearch(onProgress?: ProgressCallback, jobId?: string): Promise<SearchEvaluation>;
    /**
     * Trains the sequential model with these settings (the others as served; the epoch kept is the one with the best
     * validation NDCG@10, on each user's last training item) and serves it in this page only, unsaved: the
     * benchmark's training-budget curve, followed by `evaluateRecommenders` for the test numbers.
     */
    trainSequential(
      config: Partial<SequentialConfig>,
      onProgress?: ProgressCallback,
      jobId?: string,
    ): Promise<SequentialTrainRecord>;
    /**
     * Tries every weight combination of the served For you blend on the validation split (each user's last training
     * item), with the sequential model being served and BPR-MF trained again without the validation items: the search
     * each sequential training runs to choose its weights, with every combination and the best one's test score.
     * Nothing served changes.
     */
    tuneBlend(onProgress?: ProgressCallback, jobId?: string): Promise<BlendTuning>;
    /**
     * Runs the recommendation evaluation protocol (MovieLens, leave-last-out); all models in one table. `peers`:
     * EASE too, its lambda chosen on the validation split (a minute or more of solving on WASM).
     */
    evaluateRecommenders(
      onProgress?: ProgressCallback,
      jobId?: string,
      options?: { peers?: boolean },
    ): Promise<RankingRow[]>;
    /**
     * The recommendation quality protocol (docs/models.md "Quality protocol"): the sequential recipe's epochs from
     * validation curves over seeds, For you's weights cross-fitted over users, then each test protocol over fresh
     * seeds beside EASE and SASRec-CE, with paired intervals. The defaults (3 + 5 seeds, every test, both peers) take
     * hours on a 2-core CPU; fewer seeds and tests take minutes. Nothing served changes. Cancellable by `jobId`.
     */
    runProtocol(options?: ProtocolRequest, onProgress?: ProgressCallback, jobId?: string): Promise<ProtocolReport>;
  };
}

/** The store page's `window.HushCart`: the API of the catalog in use, and a way to open another. */
export interface StoreApi extends HushCartApi {
  /**
   * Opens a catalog: the same-origin URL of a pack manifest, or a single-file pack (File/Blob, read in this
   * browser, never uploaded). Resolves once it is loaded and the engine is ready; rejects with the pack's problem
   * (naming the file, the item and the field), leaving the catalog in use as it was. No argument: the demo store.
   */
  openCatalog(source?: string | Blob): Promise<void>;
}

/** One catalog's API as the store page holds it (with the loaded catalog for the UI). */
export type StoreSession = HushCartApi & {
  loaded: Promise<{
    catalog: Catalog;
    info: { id: string; name: string; source: string; warnings: string[] };
  }>;
};

/** One training of the sequential model (`diagnostics.trainSequential`). */
export interface SequentialTrainRecord {
  config: SequentialConfig;
  /** Mean training loss per epoch. */
  epochLoss: number[];
  /** Validation NDCG@10 after each epoch (each user's last training item against all items). */
  validation: number[];
  /** The epoch served (1-based): the best validation NDCG@10. */
  chosenEpoch: number;
  /** Wall time of the whole job, validation included. */
  seconds: number;
  examplesPerSec: number;
  backend: string;
}
