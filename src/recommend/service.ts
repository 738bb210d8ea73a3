/**
 * The recommendation side of the engine: loads the packs' interaction logs in the worker (the UI never parses
 * them), builds the matrices once, answers recommend requests, and runs the evaluation protocol.
 */
import { loadPack } from '../catalog/load';
import type { Fallback, Pack, Slot } from '../catalog/schema';
import { reviewTexts as reviewsByItem } from '../catalog/catalog';
import type { Fetcher } from '../catalog/fetch';
import { jaccardDistance } from '../eval/metrics';
import {
  evaluateRankers,
  leaveLastOut,
  validationSplit,
  type Ranker,
  type RankingRow,
  type RankingSplit,
} from '../eval/ranking';
import { bprScores, trainBpr, type BprConfig, type BprResult, type BprWeights } from './bpr';
import { contentScores } from './content';
import { loadWordVectors } from '../catalog/word-vectors-file';
import type { GloveUrls, WordVectors } from '../shared/word-vectors';
import { evidenceScores } from './evidence';
import { chooseFactorPack, interactionCounts } from './factor-pack';
import { describeItems, imageBlock, itemSpace, type SpaceBlock } from './item-space';
import { contentFeatures, hybridItems, type ContentItem, type ItemFeatures } from './hybrid-items';
import { foldIn } from './fold-in';
import { packMerch, type Steering } from './merchandising';
import { aggregateNeighbourhood, aggregateRules, aggregateTransitions, type Transitions } from './shop-aggregates';
import { nearest, segmentUsers, type Segment, type Segmentation } from './segments';
import type { ProgressCallback } from '../runtime/types';
import { HushCartError } from '../errors';
import { knnHistoryRanker, knnLastItemRanker, knnRecentRanker, popularityRanker } from './baselines';
import { mineBaskets } from './association';
import { buildMatrix, withUser, type InteractionMatrix } from '../shared/interactions';
import { matrixNeighbourhood } from '../shared/neighbourhood';
import { searchBlend, weightGrid, type BlendTrial } from './blend-search';
import { BLEND_GRID, servedWeights, weightList, weightsOf, type ForYouWeights } from './blend-config';
import { DEFAULT_BPR } from './bpr-config';
import { easeScores, trainEase, type EaseWeights } from './ease';
import { trainSequential, type SequentialConfig, type SequentialResult, type SequentialWeights } from './sequential';
import { SequentialScorer } from './sequential-scorer';
import { keepBestEpoch, type TrainContext } from '../runtime/epochs';
import { throwIfCancelled } from '../runtime/jobs';
import {
  Recommender,
  RECENT_KNN,
  type RecommendOptions,
  standardize,
  type PackData,
  type Recommendation,
  type ShopperEvent,
} from './recommender';

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

/** The BPR (trained user vectors) + recent-kNN blend; the sequential model is added in a second row. */
export const HYBRID_NAME = 'hybrid: BPR-MF + item-kNN (last 5)';

/**
 * What "For you" serves for movies (Recommender.personalScores): the shopper has no trained user vector, so the
 * BPR part is folded in from the history, as it is for the shopper.
 */
export const forYouName = (w: ForYouWeights): string =>
  `For you as served: item-kNN (last 5) × ${w.knn} + BPR-MF folded in × ${w.bpr} + sequential × ${w.sequential}`;

/** Number of taste segments the MovieLens users are split into. */
export const TASTE_SEGMENTS = 8;

export interface Taste {
  segments: Segment[];
  /** The segment nearest the shopper's folded-in vector; null without positive movie history. */
  yours: number | null;
  /** Movies in the shopper's history that it is based on. */
  basedOn: number;
}

export interface LoadedInteractions {
  packId: string;
  kind: string;
  items: number;
  users: number;
  interactions: number;
  /** Median distinct items per user (0 without interactions): what decides whether factor models are trained. */
  medianItemsPerUser: number;
  /** Whether this pack gets the factor models (BPR-MF with fold-in, the sequential model, taste segments). */
  factors: boolean;
  /** Whether its interactions come in baskets (orders): "frequently bought together". */
  baskets: boolean;
}

interface EvalData {
  packId: string;
  user: number[];
  item: number[];
  timestamp: number[];
  numUsers: number;
  tags: string[][];
  /** Titles, genres and years: the content features of the hybrid item vectors. */
  content: ContentItem[];
}

/** Another pack's interaction log, evaluated beside MovieLens (Superstore orders). */
interface OtherEvalData {
  packId: string;
  name: string;
  user: number[];
  item: number[];
  timestamp: number[];
  numUsers: number;
  numItems: number;
  category: string[];
}

/**
 * BPR-MF for the Superstore orders' evaluation rows: the best of a small sweep (8/16/32-d, L2 1e-3 to 3e-2, 10 to 60
 * epochs; HR@10 0.002 to 0.017 against 0.005 for a random ranking), whose lead did not survive another seed
 * (docs/models.md "Evaluation"), so its rows average ORDERS_SEEDS trainings. Each is trained within the evaluation and is not
 * cancellable meanwhile (the evaluation is, between users).
 */
export const ORDERS_BPR: BprConfig = { dim: 16, epochs: 30, batchSize: 2048, learningRate: 0.01, l2: 1e-2, seed: 11 };
export const ORDERS_SEEDS = [11, 12, 13];

/** Evaluation options whose progress callback reports 0..1 as from..to of `onProgress` (none without one). */
function progressWithin(
  onProgress: ((fraction: number, model: string) => void) | undefined,
  from: number,
  to: number,
): { onProgress?: (fraction: number, model: string) => void } {
  return onProgress ? { onProgress: (f, m) => onProgress(from + f * (to - from), m) } : {};
}

/** The trending window: the last 90 days of a pack's data. */
const TRENDING_DAYS = 90;

/**
 * Each item's recent popularity: a shop pack's released recent counts, or the distinct people in a pack's
 * interactions of its last TRENDING_DAYS (the pack's own clock: MovieLens ends in 2016). None without either.
 */
function recentOf(p: Pack): { recent?: { count: Float32Array; days: number } } {
  const count = new Float32Array(p.items.length);
  if (p.aggregates) {
    p.aggregates.recent.item.forEach((j, k) => (count[j] = p.aggregates?.recent.count[k] as number));
    return p.aggregates.recent.item.length ? { recent: { count, days: p.aggregates.recent.days } } : {};
  }
  const x = p.interactions;
  if (!x?.timestamp.length) return {};
  const last = x.timestamp.reduce((a, b) => Math.max(a, b), -Infinity);
  const from = last - TRENDING_DAYS * 86_400;
  const seen = new Set<number>();
  for (let k = 0; k < x.item.length; k++) {
    if ((x.timestamp[k] as number) < from) continue;
    const key = (x.user[k] as number) * p.items.length + (x.item[k] as number);
    if (seen.has(key)) continue;
    seen.add(key);
    count[x.item[k] as number] = (count[x.item[k] as number] as number) + 1;
  }
  return seen.size ? { recent: { count, days: TRENDING_DAYS } } : {};
}

/** One row averaging rows of the same model (e.g. trained with different seeds); time is the total. */
export function meanRow(model: string, rows: RankingRow[]): RankingRow {
  const mean = (f: (r: RankingRow) => number) => rows.reduce((a, r) => a + f(r), 0) / rows.length;
  return {
    model,
    users: rows[0]?.users ?? 0,
    hr10: mean((r) => r.hr10),
    ndcg10: mean((r) => r.ndcg10),
    recall20: mean((r) => r.recall20),
    mrr: mean((r) => r.mrr),
    coverage10: mean((r) => r.coverage10),
    diversity10: mean((r) => r.diversity10),
    ms: rows.reduce((a, r) => a + r.ms, 0),
  };
}

export class RecommendService {
  private recommender: Recommender | null = null;
  private evalData: EvalData | null = null;
  private otherEval: OtherEvalData[] = [];
  private split: RankingSplit | null = null;
  private validation: RankingSplit | null = null;
  /** BPR-MF (hybrid item vectors) trained on the validation split's training part, for the weight search. */
  private validationBpr: Promise<BprWeights> | null = null;
  private bpr: BprWeights | null = null;
  private sequential: SequentialScorer | null = null;
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
      // Every pack's items get an item space from what the catalog says of them (./item-space.ts); without word
      // vectors (none asked for), the category block alone.
      const words = wv ? await wv : null;
      const data: PackData[] = [];
      const shopTransitions = new Map<string, Transitions>();
      const info: LoadedInteractions[] = [];
      for (const p of packs) {
        const x = p.interactions;
        const reviews = reviewsByItem(p);
        const reviewTexts = p.items.map((i) => (reviews.get(i.id) ?? []).join(' '));
        const blocks = describeItems(
          p.items.map((i, k) => ({ ...i, review: reviewTexts[k] as string })),
          words,
        );
        this.spaceBlocks.set(p.id, blocks);
        const base = {
          packId: p.id,
          itemIds: p.items.map((i) => i.id),
          aisleOf: p.items.map((i) => i.aisle),
          categoryOf: p.items.map((i) => i.category ?? ''),
          space: itemSpace(p.items.length, blocks),
          ...(reviews.size ? { reviewTexts } : {}),
          merch: packMerch(p.items, p.rules),
          ...recentOf(p),
        };
        if (!x && p.aggregates) {
          // A shop pack: released counts instead of interactions (./shop-aggregates.ts).
          const agg = p.aggregates;
          data.push({
            ...base,
            kind: 'purchase',
            matrix: buildMatrix([], [], 0, p.items.length),
            neighbours: aggregateNeighbourhood(agg, p.items.length),
            baskets: aggregateRules(agg, p.items.length),
          });
          const transitions = aggregateTransitions(agg, p.items.length);
          if (transitions) shopTransitions.set(p.id, transitions);
          info.push({
            packId: p.id,
            kind: 'purchase',
            items: p.items.length,
            users: agg.customers,
            interactions: agg.popularity.count.reduce((a, b) => a + b, 0),
            medianItemsPerUser: 0,
            factors: false,
            baskets: agg.together.a.length + agg.groups.pairs.a.length > 0,
          });
          continue;
        }
        if (!x) {
          // No interactions: items are compared in the item space alone (cold start).
          data.push({ ...base, kind: 'content', matrix: buildMatrix([], [], 0, p.items.length) });
          info.push({
            packId: p.id,
            kind: 'content',
            items: p.items.length,
            users: 0,
            interactions: 0,
            medianItemsPerUser: 0,
            factors: false,
            baskets: false,
          });
          continue;
        }
        const entry: PackData = {
          ...base,
          kind: x.kind,
          matrix: buildMatrix(x.user, x.item, x.users.length, p.items.length),
        };
        if (x.basket) {
          const baskets = new Map<number, number[]>();
          x.basket.forEach((b, k) => {
            const list = baskets.get(b);
            if (list) list.push(x.item[k] as number);
            else baskets.set(b, [x.item[k] as number]);
          });
          entry.baskets = mineBaskets(
            [...baskets.values()],
            p.items.length,
            p.items.map((i) => i.tags?.[0] ?? i.category ?? i.aisle),
          );
        }
        data.push(entry);
        info.push({
          ...interactionCounts(p.id, x),
          kind: x.kind,
          items: p.items.length,
          factors: false, // set below, once every pack is counted
          baskets: !!x.basket,
        });
      }
      // One pack gets the factor models (./factor-pack.ts); the others are evaluated beside it.
      const factorPack = chooseFactorPack(info);
      for (const i of info) i.factors = i.packId === factorPack;
      for (const p of packs) {
        const x = p.interactions;
        if (!x) continue;
        if (p.id !== factorPack && x.timestamp.length === x.user.length)
          this.otherEval.push({
            packId: p.id,
            name: p.name,
            user: x.user,
            item: x.item,
            timestamp: x.timestamp,
            numUsers: x.users.length,
            numItems: p.items.length,
            category: p.items.map((i) => i.category ?? i.aisle),
          });
        if (p.id === factorPack)
          this.evalData = {
            packId: p.id,
            user: x.user,
            item: x.item,
            timestamp: x.timestamp,
            numUsers: x.users.length,
            tags: p.items.map((i) => i.tags ?? []),
            content: p.items.map((i) => ({
              title: i.title,
              ...(i.tags ? { tags: i.tags } : {}),
              ...(i.year !== undefined ? { year: i.year } : {}),
            })),
          };
      }
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
   * pick the epoch (NDCG@10 over all items, the evaluation's own measure); then serves it. The shopper's movie
   * sequence (from `events`) joins the training sequences as one more (not the validation: it has no held-out item).
   */
  async trainSequential(
    config: SequentialConfig,
    ctx: Omit<TrainContext<SequentialWeights>, 'afterEpoch'>,
    events: ShopperEvent[] = [],
  ): Promise<SequentialResult> {
    const d = this.evalData;
    const mine = d ? (this.recommender?.movieSequence(events, d.packId) ?? []) : [];
    const split = this.movieSplit();
    const valid = this.movieValidation();
    const keep = keepBestEpoch(async (w: SequentialWeights) => {
      const [row] = await evaluateRankers([sequentialRanker(new SequentialScorer(w))], valid, {
        seed: 2024,
        distance: () => 0,
      });
      return row?.ndcg10 ?? 0;
    });
    const r = await trainSequential(
      mine.length >= 2 ? [...valid.sequences, mine] : valid.sequences,
      split.train.numItems,
      config,
      {
        ...ctx,
        afterEpoch: keep.afterEpoch,
      },
    );
    const chosen = keep.chosen(r.weights);
    // For you's weights for this model, on the same validation split (seconds: BPR-MF without the validation items
    // is trained once per worker, then every combination is ranked).
    const { trials } = await this.searchWeights(new SequentialScorer(chosen), {
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
    seq: SequentialScorer,
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

  /** Serves saved sequential weights (loaded from IndexedDB by the caller). */
  useSequential(w: SequentialWeights): void {
    const d = this.evalData;
    if (!d || w.numItems !== d.tags.length)
      throw new HushCartError('api/invalid-argument', 'the sequential weights do not fit the loaded MovieLens items');
    this.sequential = new SequentialScorer(w);
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

  /**
   * MovieLens, leave-last-out, all models in one run (see docs/models.md "Evaluation"). `peers`: EASE too (its lambda chosen
   * on the validation split), a minute or more of solving on WASM.
   */
  async evaluate(
    onProgress?: (fraction: number, model: string) => void,
    job?: { jobId: string; signal: AbortSignal },
    options: { peers?: boolean } = {},
  ): Promise<RankingRow[]> {
    const { jobId, signal } = job ?? { jobId: 'evaluation', signal: new AbortController().signal };
    const checkCancelled = () => throwIfCancelled(signal, jobId);
    const d = this.evalData;
    if (!d) throw new HushCartError('api/not-ready', 'the MovieLens interactions are not loaded');
    const split = this.movieSplit();
    const recent = knnRecentRanker(RECENT_KNN.n, RECENT_KNN.decay);
    const rankers: Ranker[] = [
      popularityRanker,
      knnHistoryRanker,
      knnLastItemRanker,
      recent,
      ...this.spaceRankers(d.packId),
    ];
    const w = this.bpr;
    const wh = this.bprHybrid;
    const seq = this.sequential ? sequentialRanker(this.sequential) : null;
    // On the long tail: users whose held-out movie had at most RARE ratings in training.
    const rare: Ranker[] = [];
    if (w && wh) {
      const [trained, folded] = bprRankers(w) as [Ranker, Ranker];
      const hybridItemsRanker: Ranker = {
        name: 'BPR-MF, hybrid item vectors',
        score: (u, _s, out) => void bprScores(wh, wh.user.subarray(u * wh.dim, (u + 1) * wh.dim), out),
      };
      const bprKnn = [
        { ranker: hybridItemsRanker, weight: 1 },
        { ranker: recent, weight: 1 },
      ];
      rankers.push(trained, folded, hybridItemsRanker, blendRanker(HYBRID_NAME, bprKnn));
      if (seq) {
        const fw = servedWeights(this.sequential as SequentialScorer);
        rankers.push(
          seq,
          blendRanker(`${HYBRID_NAME} + sequential`, [...bprKnn, { ranker: seq, weight: 1 }]),
          forYouBlend(forYouName(fw), fw, { knn: recent, bpr: bprRankers(wh)[1] as Ranker, sequential: seq }),
        );
      }
      rare.push(trained, hybridItemsRanker);
    } else if (seq) rankers.push(seq);
    // Progress: EASE's solves 0-0.4 when asked for; then MovieLens, its long tail and the other packs.
    const peers = options.peers ? 0.4 : 0;
    if (options.peers) rankers.push(await this.easePeer(checkCancelled, progressWithin(onProgress, 0, peers)));
    const o = {
      seed: 2024,
      distance: (a: number, b: number) => jaccardDistance(d.tags[a] ?? [], d.tags[b] ?? []),
      checkCancelled,
    };
    // MovieLens 0-0.8, its long tail 0.8-0.9, the other packs 0.9-1 of what remains.
    const part = (from: number, to: number) =>
      progressWithin(onProgress, peers + from * (1 - peers), peers + to * (1 - peers));
    const all = await evaluateRankers(rankers, split, { ...o, ...part(0, 0.8) });
    const counts = split.train.itemCount;
    const tail: RankingSplit = {
      ...split,
      heldOut: split.heldOut.map((i) => (i >= 0 && (counts[i] as number) <= RARE ? i : -1)),
    };
    const rows = rare.length ? await evaluateRankers(rare, tail, { ...o, ...part(0.8, 0.9) }) : [];
    const others: RankingRow[] = [];
    for (const [k, x] of this.otherEval.entries()) {
      const n = this.otherEval.length;
      const share = part(0.9 + (0.1 * k) / n, 0.9 + (0.1 * (k + 1)) / n);
      others.push(...(await this.evaluateOther(x, { ...o, ...share }, { jobId, signal })));
    }
    return [
      ...all,
      ...rows.map((r) => ({ ...r, model: `${r.model} [held-out movie rated by ≤ ${RARE} users]` })),
      ...others,
    ];
  }

  /**
   * EASE, the strongest closed-form peer: lambda chosen on the validation split (EASE_LAMBDAS), then solved on the
   * training split, over the movies with EASE_MIN_COUNT+ training ratings (the full 9,066-movie solve does not fit a
   * visit: docs/models.md "Evaluation").
   */
  private async easePeer(
    checkCancelled: () => void,
    progress: { onProgress?: (fraction: number, model: string) => void },
  ): Promise<Ranker> {
    const valid = this.movieValidation();
    const solves = EASE_LAMBDAS.length + 1;
    const solve = (m: InteractionMatrix, lambda: number, k: number) =>
      trainEase(
        m,
        { lambda, minCount: EASE_MIN_COUNT },
        {
          checkCancelled,
          onProgress: (f) => progress.onProgress?.((k + f) / solves, `EASE (solve ${k + 1} of ${solves})`),
        },
      );
    let best = { lambda: EASE_LAMBDAS[0] as number, ndcg: -1 };
    for (const [k, lambda] of EASE_LAMBDAS.entries()) {
      const w = await solve(valid.train, lambda, k);
      const [row] = await evaluateRankers([easeRanker(w)], valid, { seed: 2024, distance: () => 0, checkCancelled });
      if ((row?.ndcg10 ?? 0) > best.ndcg) best = { lambda, ndcg: row?.ndcg10 ?? 0 };
    }
    const w = await solve(this.movieSplit().train, best.lambda, EASE_LAMBDAS.length);
    return {
      ...easeRanker(w),
      name:
        `EASE (lambda ${best.lambda}, chosen on validation; the ${w.items.length.toLocaleString('en')} movies with ` +
        `${EASE_MIN_COUNT}+ ratings, solved in ${w.solveSeconds.toFixed(0)} s)`,
    };
  }

  /**
   * The pack's item space from each user's last item; "Similar items" from it (kNN and the item space by evidence);
   * and the same blend from the whole history (what For you serves for a pack with no trained model). None without
   * an item space.
   */
  private spaceRankers(packId: string): Ranker[] {
    const space = this.recommender?.packs.find((p) => p.packId === packId)?.space;
    if (!space) return [];
    const last = (split: RankingSplit, u: number) => {
      const item = split.sequences[u]?.at(-1);
      return item === undefined ? [] : [{ item, weight: 1 }];
    };
    return [
      {
        name: 'item space (last item)',
        score: (u, split, out) => void contentScores(space.vectors, space.dims, last(split, u), out),
      },
      {
        name: 'Similar items: item-kNN + item space by evidence (last item)',
        score: (u, split, out) => void evidenceScores(matrixNeighbourhood(split.train), space, last(split, u), out),
      },
      {
        name: 'item-kNN + item space by evidence (whole history)',
        score: (u, split, out) =>
          void evidenceScores(
            matrixNeighbourhood(split.train),
            space,
            (split.sequences[u] ?? []).map((item) => ({ item, weight: 1 })),
            out,
          ),
      },
    ];
  }

  /**
   * Another pack under the same protocol (each customer's last purchase by time held out): the baselines and
   * BPR-MF trained on its training split for this run (seconds), as trained and folded in, each the mean over
   * ORDERS_SEEDS trainings. Rows end in [pack name].
   */
  private async evaluateOther(
    x: OtherEvalData,
    o: Parameters<typeof evaluateRankers>[2],
    job: { jobId: string; signal: AbortSignal },
  ): Promise<RankingRow[]> {
    const split = leaveLastOut(x.user, x.item, x.timestamp, x.numUsers, x.numItems);
    const bpr: Ranker[][] = [];
    for (const [k, seed] of ORDERS_SEEDS.entries()) {
      o.checkCancelled?.();
      // The trainings take the first half of this pack's share of the progress bar; its rankers the second.
      o.onProgress?.(
        k / (2 * ORDERS_SEEDS.length),
        `BPR-MF on the ${x.name} orders (training ${k + 1} of ${ORDERS_SEEDS.length})`,
      );
      const r = await trainBpr(
        split.train,
        { ...ORDERS_BPR, seed },
        job, // the evaluation's own job: cancelling it stops these trainings too
      );
      bpr.push(bprRankers(r.weights));
    }
    const baselines = [
      popularityRanker,
      knnHistoryRanker,
      knnLastItemRanker,
      knnRecentRanker(RECENT_KNN.n, RECENT_KNN.decay),
      ...this.spaceRankers(x.packId),
    ];
    const rows = await evaluateRankers([...baselines, ...bpr.flat()], split, {
      ...o,
      ...progressWithin(o.onProgress, 0.5, 1),
      distance: (a, b) => (x.category[a] === x.category[b] ? 0 : 1),
    });
    // The BPR rows come seed by seed, each seed's rankers in the same order: average each ranker over the seeds.
    const kinds = bpr[0] ?? [];
    const bprRows = rows.slice(baselines.length);
    return [
      ...rows.slice(0, baselines.length),
      ...kinds.map((ranker, k) =>
        meanRow(
          `${ranker.name}, mean of ${ORDERS_SEEDS.length} seeds`,
          bprRows.filter((_, i) => i % kinds.length === k),
        ),
      ),
    ].map((r) => ({ ...r, model: `${r.model} [${x.name}]` }));
  }
}

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

/** Ratings at or below which a held-out movie counts as long tail in the evaluation's extra rows. */
export const RARE = 5;

/** EASE's lambdas tried on the validation split, and the fewest training ratings of a movie in its solve. */
export const EASE_LAMBDAS = [50, 150, 400, 1000];
export const EASE_MIN_COUNT = 10;

/** EASE scoring each user's training items. */
export function easeRanker(w: EaseWeights): Ranker {
  return { name: 'EASE', score: (u, split, out) => void easeScores(w, split.sequences[u] ?? [], out) };
}

/** The sequential model reading each user's last training items. */
export function sequentialRanker(s: SequentialScorer): Ranker {
  return {
    name: `sequential: self-attention (${s.w.blocks} block${s.w.blocks === 1 ? '' : 's'}, last ${s.w.maxLen})`,
    score: (u, split, out) => {
      s.scores(split.sequences[u] ?? [], out);
    },
  };
}

/** BPR-MF as trained, and as folded in from the history alone (what a shopper gets). */
export function bprRankers(w: BprWeights): Ranker[] {
  const userVec = (u: number) => w.user.subarray(u * w.dim, (u + 1) * w.dim);
  return [
    { name: 'BPR-MF', score: (u, _s, out) => void bprScores(w, userVec(u), out) },
    {
      name: 'BPR-MF (folded in)',
      score: (u, split, out) =>
        void bprScores(
          w,
          foldIn(
            w.item,
            w.dim,
            (split.sequences[u] ?? []).map((item) => ({ item, weight: 1 })),
          ).user,
          out,
        ),
    },
  ];
}

/** For you's blend of its three parts (as Recommender.personalScores serves it), weighted by `w`. */
export function forYouBlend(
  name: string,
  w: ForYouWeights,
  parts: { knn: Ranker; bpr: Ranker; sequential: Ranker },
): Ranker {
  return blendRanker(name, [
    { ranker: parts.knn, weight: w.knn },
    { ranker: parts.bpr, weight: w.bpr },
    { ranker: parts.sequential, weight: w.sequential },
  ]);
}

/** A blend: each part's scores standardised over the items, weighted and added. */
export function blendRanker(name: string, parts: { ranker: Ranker; weight: number }[]): Ranker {
  let scratch = new Float32Array(0);
  return {
    name,
    score: (u, split, out) => {
      if (scratch.length !== out.length) scratch = new Float32Array(out.length);
      out.fill(0);
      for (const { ranker, weight } of parts) {
        if (!weight) continue;
        ranker.score(u, split, scratch);
        standardize(scratch);
        for (let j = 0; j < out.length; j++) out[j] = (out[j] as number) + weight * (scratch[j] as number);
      }
    },
  };
}
