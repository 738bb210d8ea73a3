/**
 * The recommendation side of the engine: loads the packs' interaction logs in the worker (the UI never parses
 * them), builds the matrices once, answers recommend requests, and runs the evaluation protocol.
 */
import { loadPack } from '../catalog/load';
import type { Fallback, Pack, Slot } from '../catalog/schema';
import type { Fetcher } from '../catalog/fetch';
import {
  evaluateRankers,
  leaveLastOut,
  validationSplit,
  type Ranker,
  type RankingRow,
  type RankingSplit,
} from '../eval/ranking';
import { trainBpr, type BprConfig, type BprResult, type BprWeights } from './bpr';
import { readPacks, type EvalData, type LoadedInteractions, type OtherEvalData } from './pack-data';
import { loadWordVectors } from '../catalog/word-vectors-file';
import type { GloveUrls, WordVectors } from '../shared/word-vectors';
import { bprRankers, evaluateAll, forYouBlend, sequentialRanker } from './evaluation';
import { imageBlock, itemSpace, type SpaceBlock } from './item-space';
import { contentFeatures, hybridItems, type ItemFeatures } from './hybrid-items';
import { foldIn } from './fold-in';
import type { Steering } from './merchandising';
import { nearest, segmentUsers, type Segment, type Segmentation } from './segments';
import type { ProgressCallback } from '../runtime/types';
import { HushCartError } from '../errors';
import { knnRecentRanker } from './baselines';
import { withUser, type InteractionMatrix } from '../shared/interactions';
import { searchBlend, weightGrid, type BlendTrial } from './blend-search';
import { BLEND_GRID, servedWeights, weightList, weightsOf } from './blend-config';
import { DEFAULT_BPR } from './bpr-config';
import {
  trainEnsemble,
  trainSequential,
  type SequentialConfig,
  type SequentialResult,
  type SequentialWeights,
} from './sequential';
import { scorerOf, type NextItemScorer } from './sequential-scorer';
import { runProtocol, type ProtocolOptions, type ProtocolReport } from './protocol';
import { keepBestEpoch, type TrainContext } from '../runtime/epochs';
import { throwIfCancelled } from '../runtime/jobs';
import { Recommender, RECENT_KNN, type RecommendOptions, type Recommendation, type ShopperEvent } from './recommender';

/** A job run in this worker: its id, its cancel signal, its progress. */
type TrainJob = { jobId: string; signal: AbortSignal; onProgress?: ProgressCallback };

export interface RecommendRequest {
  slot: Slot;
  /** Filters, the call's own rules, and whether unavailable items may be shown (./merchandising.ts). */
  steering?: Omit<Steering, 'slot'>;
  itemId?: string;
  events: ShopperEvent[];
  limit: number;
  diversity: number;
  aisle?: string;
  exclude: string[];
}

/** Number of taste segments the MovieLens users are split into. */
export const TASTE_SEGMENTS = 8;

export interface Taste {
  segments: Segment[];
  /** The segment nearest the shopper's folded-in vector; null without positive movie history. */
  yours: number | null;
  /** Movies in the shopper's history that it is based on. */
  basedOn: number;
}

export type { LoadedInteractions } from './pack-data';

export { meanRow, HYBRID_NAME, forYouName } from './evaluation';

export class RecommendService {
  private recommender: Recommender | null = null;
  private evalData: EvalData | null = null;
  private otherEval: OtherEvalData[] = [];
  private split: RankingSplit | null = null;
  private validation: RankingSplit | null = null;
  /** BPR-MF (hybrid item vectors) trained on the validation split's training part, for the weight search. */
  private validationBpr: Promise<BprWeights> | null = null;
  private bpr: BprWeights | null = null;
  private sequential: NextItemScorer | null = null;
  private words: Promise<WordVectors> | null = null;
  private features: Promise<ItemFeatures> | null = null;
  /** BPR-MF with hybrid item vectors (content for the rarely rated movies): what the store serves. */
  private bprHybrid: BprWeights | null = null;
  private segmentation: Segmentation | null = null;
  private loading: Promise<LoadedInteractions[]> | null = null;
  private loadedPacks: Promise<Pack[]> | null = null;
  /** The same packs once loaded (their fallback chains are read per request). */
  private packsLoaded: Pack[] = [];
  private sentimentScorer: ((texts: string[]) => Promise<number[]>) | null = null;
  /** Each pack's item-space blocks, to add the picture block when it comes. */
  private readonly spaceBlocks = new Map<string, SpaceBlock[]>();

  /**
   * Loads every pack (once; later calls share the first load): its interactions when it has them, and its item space.
   */
  load(packUrls: string[], wordVectors?: GloveUrls, fetcher?: Fetcher, given?: Pack[]): Promise<LoadedInteractions[]> {
    this.loading ??= (async () => {
      const wv = wordVectors ? loadWordVectors(wordVectors, fetcher) : null;
      wv?.catch(() => undefined); // its error surfaces below
      this.words = wv;
      // Packs read and validated already in this thread (a shop's catalog, by the house) are not read again.
      const loadingPacks = given
        ? Promise.resolve(given)
        : Promise.all(packUrls.map((url) => loadPack(url, fetcher ? { fetcher } : {})));
      this.loadedPacks = loadingPacks;
      const packs = await loadingPacks;
      this.packsLoaded = packs;
      const words = wv ? await wv : null;
      const read = readPacks(packs, words);
      for (const [id, blocks] of read.spaceBlocks) this.spaceBlocks.set(id, blocks);
      this.evalData = read.evalData;
      this.otherEval = read.otherEval;
      const { data, info, shopTransitions } = read;
      this.recommender = new Recommender(data);
      for (const [id, t] of shopTransitions) this.recommender.useTransitions(id, t);
      await this.scoreReviews();
      return info;
    })();
    this.loading.catch(() => (this.loading = null));
    return this.loading;
  }

  /** The packs as loaded here (for the other capabilities of the worker: search indexes them), and the word vectors. */
  async catalog(): Promise<{ packs: Pack[]; words: WordVectors | null }> {
    if (!this.loadedPacks) throw new HushCartError('api/not-ready', 'the catalog has not been loaded into the engine');
    const packs = await this.loadedPacks;
    return { packs, words: this.words ? await this.words.catch(() => null) : null };
  }

  /** How much the shopper's profile likes each item (0..1; see Recommender.affinity). */
  affinity(events: ShopperEvent[], itemIds: string[]): number[] {
    return this.recommender ? this.recommender.affinity(events, itemIds) : itemIds.map(() => 0);
  }

  /** Weighs content-pack items by their reviews' sentiment (P(positive) from the trained model). */
  async useSentiment(scorer: (texts: string[]) => Promise<number[]>): Promise<void> {
    this.sentimentScorer = scorer;
    if (this.recommender) await this.scoreReviews();
  }

  private async scoreReviews(): Promise<void> {
    const score = this.sentimentScorer;
    if (!score || !this.recommender) return;
    for (const pack of this.recommender.packs) {
      const texts = pack.reviewTexts;
      if (!texts) continue;
      const withText = texts.flatMap((t, j) => (t ? [j] : []));
      const scores = await score(withText.map((j) => texts[j] as string));
      const sentiment = new Float32Array(texts.length).fill(NaN);
      withText.forEach((j, k) => (sentiment[j] = scores[k] as number));
      this.recommender.useSentiment(pack, sentiment);
    }
  }

  /**
   * Items with pictures (Fashion) are compared by how they look too: their image embeddings join their pack's item
   * space as one more block (replacing an earlier one).
   */
  async useImageVectors(itemIds: string[], vectors: Float32Array, dims: number): Promise<void> {
    await this.loading;
    if (!this.recommender) throw new HushCartError('api/not-ready', 'recommendations are still loading');
    const row = new Map(itemIds.map((id, k) => [id, k]));
    for (const pack of this.recommender.packs) {
      const blocks = this.spaceBlocks.get(pack.packId);
      if (!blocks || !pack.itemIds.some((id) => row.has(id))) continue;
      const rows = new Float32Array(pack.itemIds.length * dims);
      pack.itemIds.forEach((id, j) => {
        const k = row.get(id);
        if (k !== undefined) rows.set(vectors.subarray(k * dims, (k + 1) * dims), j * dims);
      });
      const withImages = [...blocks.filter((b) => b.basis !== 'image'), imageBlock(rows, dims)];
      this.spaceBlocks.set(pack.packId, withImages);
      this.recommender.useSpace(pack.packId, itemSpace(pack.itemIds.length, withImages));
    }
  }

  itemSentiment(itemIds: string[]): (number | null)[] {
    return itemIds.map((id) => {
      const v = this.recommender?.sentimentOf(id);
      return v === undefined || !Number.isFinite(v) ? null : v;
    });
  }

  /** The evaluation split of MovieLens (each user's last rating held out); models are trained on its train part. */
  private movieSplit(): RankingSplit {
    const d = this.evalData;
    if (!d) throw new HushCartError('api/not-ready', 'the MovieLens interactions are not loaded');
    this.split ??= leaveLastOut(d.user, d.item, d.timestamp, d.numUsers, d.tags.length);
    return this.split;
  }

  /** The validation split inside the MovieLens training split (each training sequence's last item held out). */
  private movieValidation(): RankingSplit {
    this.validation ??= validationSplit(this.movieSplit());
    return this.validation;
  }

  /**
   * Trains BPR-MF on the MovieLens training split in this worker, and keeps it for serving. The shopper's movies
   * (those with a positive net weight in `events`) join as one more user, so a retrain learns from them too.
   */
  async trainBpr(
    config: BprConfig,
    ctx: { jobId: string; signal: AbortSignal; onProgress?: ProgressCallback },
    events: ShopperEvent[] = [],
  ): Promise<BprResult> {
    const d = this.evalData;
    const mine = d
      ? (this.recommender?.movieHistory(events, d.packId) ?? []).filter((h) => h.weight > 0).map((h) => h.item)
      : [];
    const train = this.movieSplit().train;
    const result = await trainBpr(mine.length ? withUser(train, mine) : train, config, ctx);
    await this.useBpr(result.weights);
    return result;
  }

  /**
   * Serves BPR weights (just trained, or loaded from IndexedDB by the caller), with hybrid item vectors: the
   * rarely rated movies lean on what their genres, decade and title predict (./hybrid-items.ts).
   */
  async useBpr(w: BprWeights): Promise<void> {
    const d = this.evalData;
    if (!d || w.numItems !== d.tags.length)
      throw new HushCartError('api/invalid-argument', 'the BPR weights do not fit the loaded MovieLens items');
    this.bpr = w;
    this.segmentation = null;
    this.bprHybrid = hybridItems(w, this.movieSplit().train.itemCount, await this.movieFeatures());
    this.recommender?.useFactors(d.packId, this.bprHybrid);
  }

  /** Content features of the movies (with the title's word vectors when they load). */
  private movieFeatures(): Promise<ItemFeatures> {
    const d = this.evalData;
    if (!d) throw new HushCartError('api/not-ready', 'the MovieLens interactions are not loaded');
    this.features ??= (async () => contentFeatures(d.content, await this.words?.catch(() => null)))();
    return this.features;
  }

  /**
   * Trains the sequential model on the MovieLens training sequences less each one's last item, which is kept to
   * pick the epoch (NDCG@10 over all items, the evaluation's own measure); then serves it. A recipe the quality
   * protocol chose (`config.chosen`) trains its epochs on the whole training split instead and serves the weights it
   * chose, as the protocol's test trainings do. The shopper's movie sequence (from `events`) joins the training
   * sequences as one more (not the validation: it has no held-out item).
   */
  async trainSequential(
    config: SequentialConfig,
    ctx: Omit<TrainContext<SequentialWeights>, 'afterEpoch'>,
    events: ShopperEvent[] = [],
  ): Promise<SequentialResult> {
    const d = this.evalData;
    const mine = d ? (this.recommender?.movieSequence(events, d.packId) ?? []) : [];
    const split = this.movieSplit();
    const withMine = (sequences: number[][]) => (mine.length >= 2 ? [...sequences, mine] : sequences);
    if (config.chosen) {
      // A recipe the quality protocol chose: its epochs on the whole training split (each of its ensemble's models),
      // its weights, as measured there.
      const r = await trainEnsemble(withMine(split.sequences), split.train.numItems, config, ctx);
      const weights: SequentialWeights = { ...r.weights, blend: config.chosen.blend };
      this.useSequential(weights);
      return { ...r, weights };
    }
    const valid = this.movieValidation();
    const keep = keepBestEpoch(async (w: SequentialWeights) => {
      const [row] = await evaluateRankers([sequentialRanker(scorerOf(w))], valid, {
        seed: 2024,
        distance: () => 0,
      });
      return row?.ndcg10 ?? 0;
    });
    const r = await trainSequential(withMine(valid.sequences), split.train.numItems, config, {
      ...ctx,
      afterEpoch: keep.afterEpoch,
    });
    const chosen = keep.chosen(r.weights);
    // For you's weights for this model, on the same validation split (seconds: BPR-MF without the validation items
    // is trained once per worker, then every combination is ranked).
    const { trials } = await this.searchWeights(scorerOf(chosen), {
      ...ctx,
      ...(ctx.onProgress
        ? { onProgress: (p: Parameters<ProgressCallback>[0]) => ctx.onProgress?.({ ...p, fraction: 1 }) }
        : {}),
    });
    const best = trials[0]?.weights;
    const weights: SequentialWeights = best ? { ...chosen, blend: weightsOf(best) } : chosen;
    this.useSequential(weights);
    return { ...r, weights };
  }

  /**
   * For you's weights on the validation split: every combination of BLEND_GRID ranked with the parts as served, best
   * first. BPR-MF trained again without the validation items (the served one has learnt them; the same settings;
   * once per worker), with hybrid item vectors and folded in from the history; item-kNN over the recent items on the
   * validation split's own matrix; the sequential model `seq` (its training never sees the validation items).
   */
  private async searchWeights(
    seq: NextItemScorer,
    ctx: { jobId: string; signal: AbortSignal; onProgress?: ProgressCallback },
  ): Promise<{ parts: Ranker[]; trials: BlendTrial[] }> {
    const valid = this.movieValidation();
    this.validationBpr ??= (async () => {
      const r = await trainBpr(valid.train, DEFAULT_BPR, { jobId: ctx.jobId, signal: ctx.signal });
      return hybridItems(r.weights, valid.train.itemCount, await this.movieFeatures());
    })();
    this.validationBpr.catch(() => (this.validationBpr = null));
    const parts = [
      knnRecentRanker(RECENT_KNN.n, RECENT_KNN.decay),
      bprRankers(await this.validationBpr)[1] as Ranker,
      sequentialRanker(seq),
    ];
    const trials = await searchBlend(parts, valid, weightGrid(BLEND_GRID), {
      seed: 2024,
      checkCancelled: () => throwIfCancelled(ctx.signal, ctx.jobId),
      ...(ctx.onProgress
        ? {
            onProgress: (fraction: number) =>
              ctx.onProgress?.({ jobId: ctx.jobId, fraction, message: "choosing For you's weights on validation" }),
          }
        : {}),
    });
    return { parts, trials };
  }

  /**
   * The weight search for the sequential model being served (`diagnostics.tuneBlend()`), with the weights it serves,
   * and the best combination measured once on the test items with the served models.
   */
  async tuneBlend(ctx: { jobId: string; signal: AbortSignal; onProgress?: ProgressCallback }): Promise<BlendTuning> {
    const t0 = performance.now();
    if (!this.evalData) throw new HushCartError('api/not-ready', 'the MovieLens interactions are not loaded');
    const seq = this.sequential;
    if (!seq) throw new HushCartError('api/not-ready', 'the blend is tuned with the sequential model: train it first');
    const { parts, trials } = await this.searchWeights(seq, ctx);
    const served = weightList(servedWeights(seq));
    const best = trials[0];
    const wh = this.bprHybrid;
    const test =
      best && wh
        ? ((
            await evaluateRankers(
              [
                forYouBlend(
                  `For you, weights chosen on validation (${best.weights.join(' / ')})`,
                  weightsOf(best.weights),
                  {
                    knn: parts[0] as Ranker,
                    bpr: bprRankers(wh)[1] as Ranker,
                    sequential: parts[2] as Ranker,
                  },
                ),
              ],
              this.movieSplit(),
              { seed: 2024, distance: () => 0 },
            )
          )[0] ?? null)
        : null;
    return {
      parts: parts.map((p) => p.name),
      trials,
      served: trials.find((t) => t.weights.every((v, k) => v === served[k])) ?? null,
      test,
      seconds: (performance.now() - t0) / 1000,
    };
  }

  /** The quality protocol (./protocol.ts) on MovieLens in this worker: hours for the full one; nothing served changes. */
  async runProtocol(options: ProtocolOptions, ctx: TrainJob): Promise<ProtocolReport> {
    const d = this.evalData;
    if (!d) throw new HushCartError('api/not-ready', 'the MovieLens interactions are not loaded');
    const trainHybridBpr = hybridBprTrainer(await this.movieFeatures(), ctx);
    return runProtocol(options, { ...ctx, log: d, numItems: d.tags.length, trainBpr: trainHybridBpr });
  }

  /** Serves saved sequential weights (loaded from IndexedDB by the caller). */
  useSequential(w: SequentialWeights): void {
    const d = this.evalData;
    if (!d || w.numItems !== d.tags.length)
      throw new HushCartError('api/invalid-argument', 'the sequential weights do not fit the loaded MovieLens items');
    this.sequential = scorerOf(w);
    this.recommender?.useSequence(d.packId, this.sequential);
  }

  /** Taste segments of the MovieLens users (k-means on BPR user vectors) and the shopper's nearest one. */
  taste(events: ShopperEvent[]): Taste {
    const w = this.bpr;
    const d = this.evalData;
    if (!w || !d)
      throw new HushCartError(
        'api/not-ready',
        'taste segments need the trained recommender: it is still loading or training',
      );
    this.segmentation ??= segmentUsers(w.user, w.dim, this.movieSplit().train, d.tags, TASTE_SEGMENTS, 5);
    const seg = this.segmentation;
    const history = this.recommender?.movieHistory(events, d.packId) ?? [];
    const yours = history.some((h) => h.weight > 0)
      ? nearest(seg.centres, seg.k, seg.dim, foldIn(w.item, w.dim, history).user)
      : null;
    return { segments: seg.segments, yours, basedOn: history.length };
  }

  recommend(r: RecommendRequest): Recommendation[] {
    if (!this.recommender) throw new HushCartError('api/not-ready', 'recommendations are still loading');
    const o: RecommendOptions = {
      limit: r.limit,
      diversity: r.diversity,
      exclude: new Set(r.exclude),
      ...(r.aisle ? { aisle: r.aisle } : {}),
      steering: { ...r.steering, slot: r.slot },
    };
    // A short list is filled by the call's fallbacks, else the chain the pack of its item (or the first pack with
    // one) declares for this slot.
    const packOf = r.itemId ? this.recommender.packOf(r.itemId) : undefined;
    const declared = (packs: Pack[]): Fallback[] | undefined =>
      (packs.find((p) => p.id === packOf) ?? packs.find((p) => p.fallbacks?.[r.slot]))?.fallbacks?.[r.slot];
    const fallback = r.steering?.fallback ?? declared(this.packsLoaded);
    if (fallback?.length) o.steering = { ...o.steering, fallback };
    return this.recommender.fill(this.slotList(r, o), o, r.itemId);
  }

  private slotList(r: RecommendRequest, o: RecommendOptions): Recommendation[] {
    const recommender = this.recommender as Recommender;
    if (r.slot === 'trending') return recommender.trending(o);
    if (r.slot === 'new') return recommender.newArrivals(o);
    if (r.slot === 'recent') return recommender.recentlyViewed(r.events, o);
    if (r.slot === 'next') {
      // A shop pack's released next-order pairs serve Up next without the sequential model.
      if (!this.sequential && !recommender.hasTransitions(r.itemId))
        throw new HushCartError('api/not-ready', 'the sequential model is still loading or training');
      return recommender.next(r.events, o, r.itemId);
    }
    if (r.slot === 'similar' || r.slot === 'fbt') {
      if (!r.itemId) throw new HushCartError('api/invalid-argument', `slot '${r.slot}' needs an itemId`);
      return r.slot === 'similar' ? recommender.similar(r.itemId, o) : recommender.boughtWith(r.itemId, o);
    }
    return recommender.forYou(r.events, o);
  }

  /** A pack's item space, as the evaluation's rankers read it. */
  private spaceOf(packId: string) {
    return this.recommender?.packs.find((p) => p.packId === packId)?.space;
  }

  /**
   * MovieLens, leave-last-out, all models in one run (./evaluation.ts). `peers`: EASE too (its lambda chosen on the
   * validation split), a minute or more of solving on WASM.
   */
  async evaluate(
    onProgress?: (fraction: number, model: string) => void,
    job?: { jobId: string; signal: AbortSignal },
    options: { peers?: boolean } = {},
  ): Promise<RankingRow[]> {
    const data = this.evalData;
    if (!data) throw new HushCartError('api/not-ready', 'the MovieLens interactions are not loaded');
    const evaluated = {
      data,
      split: this.movieSplit(),
      validation: () => this.movieValidation(),
      bpr: this.bpr,
      bprHybrid: this.bprHybrid,
      sequential: this.sequential,
      others: this.otherEval,
      spaceOf: (packId: string) => this.spaceOf(packId),
    };
    return evaluateAll(evaluated, onProgress, job, options);
  }
}

/** BPR-MF (the served settings) with hybrid item vectors, trained on a matrix within a job. */
const hybridBprTrainer =
  (features: ItemFeatures, job: TrainJob) =>
  async (m: InteractionMatrix): Promise<BprWeights> =>
    hybridItems(
      (await trainBpr(m, DEFAULT_BPR, { jobId: job.jobId, signal: job.signal })).weights,
      m.itemCount,
      features,
    );

/** The blend weights tried on the validation split (`tuneBlend`). */
export interface BlendTuning {
  /** The parts' names, in the weights' order. */
  parts: string[];
  /** Every combination, best validation NDCG@10 first. */
  trials: BlendTrial[];
  /** The combination the model in service serves (its own weights, else FOR_YOU_WEIGHTS), when the grid holds it. */
  served: BlendTrial | null;
  /**
   * The best combination on the test items (each user's last rating), with the served models: measured once, after
   * the choice; null without a trained BPR-MF.
   */
  test: RankingRow | null;
  seconds: number;
}
