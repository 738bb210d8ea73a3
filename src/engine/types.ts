/**
 * The engine's typed boundary. The same `Engine` interface is served in-thread (unit tests) and from the
 * engine worker (the app) through comlink. Only structured-cloneable data crosses it: no tensors.
 */
import type { RankingRow } from '../eval/ranking';
import type { BprConfig, BprResult, BprWeights } from '../recommend/bpr';
import type { SequentialConfig, SequentialResult, SequentialWeights } from '../recommend/sequential';
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

export type { VisionCatalogSource } from '../vision/contract';

export * from '../runtime/types';
import type { SearchIndexInfo, SearchRequest, SearchResponse } from '../search/contract';
import type { SearchEvaluation } from '../search/evaluate';
export type { SearchIndexInfo, SearchRequest, SearchResponse, SearchEvaluation };
import type { AskRequest, AskResponse } from '../assistant/contract';
import type { AssistantEvaluation } from '../assistant/evaluate';
export type { AskRequest, AskResponse, AssistantEvaluation };
import type { RuntimeHost } from '../runtime/types';
import type { RecommendHost, SequentialHost } from '../recommend/host';
import type { SentimentHost } from '../sentiment/host';
import type { VisionHost } from '../vision/host';
import type { SearchHost } from '../search/host';
import type { AssistantHost } from '../assistant/host';

/**
 * The engine as the house calls it: `{ runtime } & { [capability]: host }`. Each host is its capability's own
 * (`src/<capability>/host.ts`); every trained model has the same verbs (load its data, train, use saved weights,
 * evaluate). The ports between capabilities are wired in ./engine.ts.
 */
export interface Engine {
  runtime: RuntimeHost & {
    /**
     * Reads and checks a models file a shop ships with its pack (gzipped or not). All of it is checked as an import
     * is (store/profile.ts); a file that carries events is refused (a shop ships models, never a shopper's data).
     */
    checkModelsFile(bytes: Uint8Array, catalogId: string): Promise<CheckedImport['models']>;
  };
  recommend: RecommendHost;
  sequential: SequentialHost;
  sentiment: SentimentHost;
  vision: VisionHost;
  search: Omit<SearchHost, 'search'> & {
    /** Keyword + semantic search; `events` personalise the order (the recommender's affinity, wired in the engine). */
    search(request: SearchRequest, events?: ShopperEvent[]): Promise<SearchResponse>;
  };
  assistant: Omit<AssistantHost, 'reset'>;
}
