/**
 * The recommendation capability's host in the engine: the packs' interactions loaded once, every slot's list, taste
 * segments, the evaluation and the blend's tuning; and its two trained models with the verbs every model has
 * (`recommend.train/use`: BPR-MF; `sequential.train/use`: the sequential model), each training surviving a lost
 * device (the runtime trains it again on the next backend).
 */
import type { Pack } from '../catalog/schema';
import { memoryFetcher } from '../catalog/fetch';
import type { RankingRow } from '../eval/ranking';
import type { BackendRuntime } from '../runtime/backend-runtime';
import type { ModelHost, ProgressCallback } from '../runtime/types';
import type { GloveUrls } from '../shared/word-vectors';
import type { BprConfig, BprResult, BprWeights } from './bpr';
import type { ShopperEvent } from './contract';
import type { LoadedInteractions } from './pack-data';
import type { Recommendation } from './pack-view';
import type { SequentialConfig, SequentialResult, SequentialWeights } from './sequential';
import type { BlendTuning, RecommendRequest, RecommendService, Taste } from './service';
import type { ProtocolOptions, ProtocolReport } from './protocol-config';

export interface RecommendHost extends ModelHost<BprConfig, BprResult, BprWeights, [events?: ShopperEvent[]]> {
  /**
   * Loads the packs' interaction logs (once). `files`: packs read on the page, served by their pseudo-URL;
   * `packs`: the same packs, already read and validated in this thread (a shop's catalog), used as they are.
   */
  load(
    packUrls: string[],
    wordVectors?: GloveUrls,
    files?: Record<string, Uint8Array>,
    packs?: Pack[],
  ): Promise<LoadedInteractions[]>;
  /** Recommendations for the shopper's events (or similar to one item). */
  recommend(request: RecommendRequest): Promise<Recommendation[]>;
  /** Taste segments (k-means over the trained user vectors) and the shopper's segment. */
  taste(events: ShopperEvent[]): Promise<Taste>;
  /** P(positive) of each item's review text, null where an item has none or the model is not ready. */
  itemSentiment(itemIds: string[]): Promise<(number | null)[]>;
  /** The evaluation protocol on MovieLens (all models, one run; `peers`: EASE too). */
  evaluate(jobId: string, onProgress?: ProgressCallback, options?: { peers?: boolean }): Promise<RankingRow[]>;
  /** For you's weights tried on the validation split with the served models: every combination, best first. */
  tuneBlend(jobId: string, onProgress?: ProgressCallback): Promise<BlendTuning>;
  /** The quality protocol (./protocol.ts): trains and scores many models; nothing served changes. */
  protocol(jobId: string, options: ProtocolOptions, onProgress?: ProgressCallback): Promise<ProtocolReport>;
}

/** The sequential next-item model (Up next, and a part of For you). */
export type SequentialHost = ModelHost<
  SequentialConfig,
  SequentialResult,
  SequentialWeights,
  [events?: ShopperEvent[]]
>;

export function recommendHosts(
  service: RecommendService,
  rt: BackendRuntime,
): { recommend: RecommendHost; sequential: SequentialHost } {
  return {
    recommend: {
      load: async (packUrls, wordVectors, files, packs) =>
        service.load(packUrls, wordVectors, files ? memoryFetcher(files) : undefined, packs),
      recommend: async (request) => service.recommend(request),
      taste: async (events) => service.taste(events),
      itemSentiment: async (itemIds) => service.itemSentiment(itemIds),
      evaluate: async (jobId, onProgress, options = {}) =>
        rt.job(jobId, (signal) =>
          service.evaluate(
            (fraction, model) => onProgress?.({ jobId, fraction, message: `evaluating ${model}` }),
            { jobId, signal },
            options,
          ),
        ),
      tuneBlend: (jobId, onProgress) => rt.training(jobId, onProgress, (ctx) => service.tuneBlend(ctx)),
      protocol: (jobId, options, onProgress) =>
        rt.training(jobId, onProgress, (ctx) => service.runProtocol(options, ctx)),
      train: (jobId, config, onProgress, events) =>
        rt.training(jobId, onProgress, (ctx) => service.trainBpr(config, ctx, events)),
      use: (weights) => service.useBpr(weights),
    },
    sequential: {
      train: (jobId, config, onProgress, events) =>
        rt.training(jobId, onProgress, (ctx) => service.trainSequential(config, ctx, events)),
      use: async (weights) => service.useSequential(weights),
    },
  };
}
