/**
 * The engine's typed boundary. The same `Engine` interface is served in-thread (unit tests) and from the
 * engine worker (the app) through comlink. Only structured-cloneable data crosses it: no tensors.
 */
import type { Pack } from '../catalog/schema';
import type { RankingRow } from '../eval/ranking';
import type { BprConfig, BprResult, BprWeights } from '../recommend/bpr';
import type { SequentialConfig, SequentialResult, SequentialWeights } from '../recommend/sequential';
import type { GloveUrls } from '../shared/word-vectors';
import type { CheckedImport } from '../store/profile';
import type { Recommendation } from '../recommend/recommender';
import type { BlendTuning, LoadedInteractions, RecommendRequest, Taste } from '../recommend/service';
import type { ShopperEvent } from '../recommend/recommender';
import type { SentimentDataUrls } from '../sentiment/data';
import type { SentimentConfig, SentimentTrainResult, SentimentWeights } from '../sentiment/model';
import type { SentimentEvaluation, SentimentResult, SentimentRow } from '../sentiment/service';
import type { EmbedderTrainResult, EmbedderWeights } from '../vision/cnn';
import type { EmbedderRecipe } from '../vision/cnn-config';
import type {
  CatalogEmbeddings,
  ImageMatch,
  ImageSearchResult,
  VisionEvaluation,
  VisionTrainUrls,
} from '../vision/service';

export type {
  BlendTuning,
  BprConfig,
  BprResult,
  BprWeights,
  SequentialConfig,
  SequentialResult,
  SequentialWeights,
  LoadedInteractions,
  RankingRow,
  Recommendation,
  RecommendRequest,
  CatalogEmbeddings,
  EmbedderRecipe,
  EmbedderTrainResult,
  EmbedderWeights,
  ImageMatch,
  ImageSearchResult,
  VisionEvaluation,
  VisionTrainUrls,
  SentimentConfig,
  SentimentDataUrls,
  SentimentEvaluation,
  SentimentResult,
  SentimentRow,
  SentimentTrainResult,
  SentimentWeights,
  ShopperEvent,
  Taste,
};

/**
 * Where the worker finds the catalog's pictures: tiles of a sprite (28x28, one per item), or each item's own
 * picture by URL (same origin, data: or blob:; any size and colour the browser decodes), or both.
 */
export interface VisionCatalogSource {
  itemIds: string[];
  /** Category index per item (into the training classes), -1 when unknown. */
  labels: number[];
  /** Per item: its sprite tile, or its picture's URL. */
  pictures: ({ tile: number } | { url: string })[];
  spriteUrl?: string;
  sprite?: { tileWidth: number; tileHeight: number; columns: number; count: number };
}

export * from '../runtime/types';
import type { SearchIndexInfo, SearchRequest, SearchResponse } from '../search/contract';
import type { SearchEvaluation } from '../search/evaluate';
export type { SearchIndexInfo, SearchRequest, SearchResponse, SearchEvaluation };
import type { AskRequest, AskResponse } from '../assistant/contract';
import type { AssistantEvaluation } from '../assistant/evaluate';
export type { AskRequest, AskResponse, AssistantEvaluation };
import type {
  BackendPreference,
  EmbeddingTrainConfig,
  EmbeddingTrainResult,
  EngineStatus,
  InitOptions,
  MatmulResult,
  ProgressCallback,
  RatingTriples,
} from '../runtime/types';

export interface Engine {
  init(options: InitOptions): Promise<EngineStatus>;
  status(): Promise<EngineStatus>;
  /** Switches backend (re-running selection for 'auto'). */
  setBackend(preference: BackendPreference): Promise<EngineStatus>;
  matmul(size: number, reps: number): Promise<MatmulResult>;
  trainEmbedding(
    jobId: string,
    train: RatingTriples,
    test: RatingTriples | null,
    config: EmbeddingTrainConfig,
    onProgress?: ProgressCallback,
  ): Promise<EmbeddingTrainResult>;
  /** Cancels a running job; its promise rejects with code 'engine/cancelled'. */
  cancel(jobId: string): Promise<void>;
  /**
   * Reads and checks a models file a shop ships with its pack (gzipped or not), here rather than on the host page:
   * parsing megabytes of JSON there is a long task. All of it is checked as an import is (store/profile.ts); a file
   * that carries events is refused (a shop ships models, never a shopper's data).
   */
  checkModelsFile(bytes: Uint8Array, catalogId: string): Promise<CheckedImport['models']>;
  /**
   * Loads the packs' interaction logs into the worker for recommendations (once). `packs`: the same packs, already
   * read and validated by the house in this thread (a shop's catalog), used as they are instead of read again.
   */
  loadInteractions(
    packUrls: string[],
    wordVectors?: GloveUrls,
    files?: Record<string, Uint8Array>,
    packs?: Pack[],
  ): Promise<LoadedInteractions[]>;
  /** Recommendations for the shopper's events (or similar to one item); computed in the worker. */
  recommend(request: RecommendRequest): Promise<Recommendation[]>;
  /** Runs the recommendation evaluation protocol on MovieLens (all models, one run; `peers`: EASE too). */
  evaluateRecommenders(
    jobId: string,
    onProgress?: ProgressCallback,
    options?: { peers?: boolean },
  ): Promise<RankingRow[]>;
  /**
   * Trains BPR-MF on MovieLens in the worker and starts serving it; returns the weights to save. The shopper's
   * liked movies in `events` join the training data as one more user.
   */
  trainRecommender(
    jobId: string,
    config: BprConfig,
    onProgress?: ProgressCallback,
    events?: ShopperEvent[],
  ): Promise<BprResult>;
  /** Serves saved BPR-MF weights (no training). */
  useRecommenderWeights(weights: BprWeights): Promise<void>;
  /**
   * Trains the sequential next-item model on MovieLens in the worker and starts serving it; the shopper's movie
   * sequence from `events` joins the training sequences.
   */
  trainSequential(
    jobId: string,
    config: SequentialConfig,
    onProgress?: ProgressCallback,
    events?: ShopperEvent[],
  ): Promise<SequentialResult>;
  /**
   * Chooses the served blend's weights on the validation split (BPR-MF trained again without the validation items,
   * the served sequential model): every combination tried, best first.
   */
  tuneBlend(jobId: string, onProgress?: ProgressCallback): Promise<BlendTuning>;
  /** Serves saved sequential weights (no training). */
  useSequentialWeights(weights: SequentialWeights): Promise<void>;
  /** Taste segments (k-means over the trained user vectors) and the shopper's segment. */
  taste(events: ShopperEvent[]): Promise<Taste>;
  /** Tells the worker where the labelled texts, lexicons and word vectors are (fetched only to train or evaluate). */
  loadSentimentData(urls: SentimentDataUrls, wordVectors: GloveUrls): Promise<void>;
  /** Trains the review sentiment network in the worker and starts serving it; returns the weights to save. */
  trainSentiment(jobId: string, config: SentimentConfig, onProgress?: ProgressCallback): Promise<SentimentTrainResult>;
  /** Serves saved sentiment weights (no training); the recommender starts using item sentiment. */
  useSentimentWeights(weights: SentimentWeights): Promise<void>;
  /** Scores texts: label, P(positive) and each token's share of the decision. */
  sentiment(texts: string[]): Promise<SentimentResult[]>;
  /** The sentiment evaluation: network, logistic regression and both lexicons on the same test sets. */
  evaluateSentiment(jobId: string, onProgress?: ProgressCallback): Promise<SentimentEvaluation>;
  /** P(positive) of each item's review text, null where an item has none or the model is not ready. */
  itemSentiment(itemIds: string[]): Promise<(number | null)[]>;
  /** Loads the catalog's pictures into the worker and notes where the training pictures are (fetched to train). */
  loadVisionData(train: VisionTrainUrls, catalog: VisionCatalogSource): Promise<{ catalog: number }>;
  /** Trains the image embedder by a recipe in the worker and starts serving it; returns the weights to save. */
  trainEmbedder(
    jobId: string,
    recipe: EmbedderRecipe,
    overrides: { epochs?: number },
    onProgress?: ProgressCallback,
  ): Promise<EmbedderTrainResult>;
  useEmbedderWeights(weights: EmbedderWeights): Promise<void>;
  /** Embeds every catalog picture (to cache on the device); the recommender gets them as content vectors. */
  embedCatalog(jobId: string, onProgress?: ProgressCallback): Promise<CatalogEmbeddings>;
  useCatalogEmbeddings(c: CatalogEmbeddings): Promise<void>;
  /** A photo (Blob or ImageBitmap): its category and the visually nearest catalog items. */
  searchImage(input: Blob | ImageBitmap, limit: number): Promise<ImageSearchResult>;
  /** The catalog items that look most like one item's picture. */
  moreLikeThis(itemId: string, limit: number): Promise<ImageMatch[]>;
  /** The predicted category of catalog items (null where unknown or not embedded yet). */
  imageCategories(itemIds: string[]): Promise<({ category: string; confidence: number } | null)[]>;
  /** Retrieval precision@10 (trained embedder vs raw pixels), accuracy, query latency. */
  evaluateVision(jobId: string, onProgress?: ProgressCallback): Promise<VisionEvaluation>;
  /** Indexes the catalog (loaded by loadInteractions) for search; `saved`: a keyword index this device kept. */
  buildSearch(saved?: Uint8Array): Promise<SearchIndexInfo & { bytes?: Uint8Array }>;
  /** Keyword + semantic search with typo tolerance, intent and facets; `events` personalise the order. */
  search(request: SearchRequest, events?: ShopperEvent[]): Promise<SearchResponse>;
  /** Known-item search evaluation: keyword, semantic and fused rankings per aisle and query kind. */
  evaluateSearch(jobId: string, onProgress?: ProgressCallback): Promise<SearchEvaluation>;
  /** The shopping assistant: a question (and the item it is asked on) to a retrieval-based answer. */
  ask(request: AskRequest): Promise<AskResponse>;
  /** Intent accuracy on the held-out questions; answerability on the demo store's questions. */
  evaluateAssistant(): Promise<AssistantEvaluation>;
  /** Test hook for the device-loss path: destroys the WebGPU device the way a driver reset would. */
  loseDevice(): Promise<boolean>;
  dispose(): Promise<void>;
}
