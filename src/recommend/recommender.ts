/**
 * The shopper-facing recommender over item-kNN, popularity, BPR-MF, the sequential model and each pack's item
 * space: "For you" from the shopper's weighted history
 * (recomputed from scratch after every event: no retraining, a few milliseconds), "Similar items" for one
 * product, maximal-marginal-relevance diversity, filters, and reasons taken from the model's own terms
 * (which history items contributed how much; how many users an item has).
 */
import { arrayMax } from '../shared/array-max';
import { topK, tieBreakRanks } from '../eval/metrics';
import { boughtTogether, type RuleIndex } from './association';
import type { InteractionMatrix } from '../shared/interactions';
import { bprScores, type BprWeights } from './bpr';
import { foldIn, foldInContributions } from './fold-in';
import { contentScores, cosine } from './content';
import { blockShares, sharedLabels, type ItemSpace } from './item-space';
import { evidenceContributions, evidenceScores } from './evidence';
import { contributions, type WeightedItem } from './knn';
import { matrixNeighbourhood, type Neighbourhood } from '../shared/neighbourhood';
import type { SequentialScorer } from './sequential-scorer';
import type { Transitions } from './shop-aggregates';
import {
  factorOf,
  maskSteered,
  rulesFor,
  ruleSubject,
  type MerchRule,
  type PackMerch,
  type Steering,
} from './merchandising';
import { ON_SCREEN } from './actions';
import { eventWeight } from './event-weight';
export { eventWeight };
import { FOR_YOU_WITHOUT_SEQUENTIAL, servedWeights } from './blend-config';
import type { ShopperEvent, Reason, Action } from './contract';
export type { ShopperEvent, Reason, Action };

/** Standardises in place (mean 0, sd 1); returns the sd used. */
export function standardize(x: Float32Array): number {
  const n = x.length;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += x[k] as number;
  const mean = sum / n;
  let ss = 0;
  for (let k = 0; k < n; k++) ss += ((x[k] as number) - mean) ** 2;
  const sd = Math.sqrt(ss / n) || 1;
  for (let k = 0; k < n; k++) x[k] = ((x[k] as number) - mean) / sd;
  return sd;
}

/** A pack's personal scores for one history, and each history item's share of item j's score. */
interface PersonalScores {
  scores: Float32Array;
  contribution: (j: number) => WeightedItem[];
}

/** One pack's interaction data, in the pack's own item indexing. */
export interface PackInteractions {
  packId: string;
  /** What an interaction is in this pack ('rating', 'purchase'), for the reasons' wording. */
  kind: string;
  itemIds: string[];
  aisleOf: string[];
  /** Each item's category ('' for none): what a first look at a pack without interactions spreads over. */
  categoryOf?: string[];
  /** The raw interactions (research packs; empty for a shop pack of aggregates): what the factor models train on. */
  matrix: InteractionMatrix;
  /** Who chose what, as the neighbourhood models read it: from `matrix`, or from a shop pack's released counts. */
  neighbours: Neighbourhood;
  /** Association rules over the pack's order baskets, when it has baskets. */
  baskets?: RuleIndex;
  /**
   * The pack's item space (./item-space.ts): what scores a pack without interactions (kind 'content'), and what
   * items with few interactions lean on in "Similar items".
   */
  space?: ItemSpace;
  /** Each item's review text ('' for none), for packs scored by content. */
  reviewTexts?: string[];
  /** P(positive) of each item's review from the sentiment model (NaN: no review); set once the model is ready. */
  sentiment?: Float32Array;
  /** Availability, prices, categories, tags and brands, and the shop's rules (./merchandising.ts). */
  merch?: PackMerch;
  /** People who chose each item in the last `days` of the pack's data (trending). */
  recent?: { count: Float32Array; days: number };
}

/** A pack as given to the Recommender: without `neighbours`, they are read from its matrix. */
export type PackData = Omit<PackInteractions, 'neighbours'> & { neighbours?: Neighbourhood };

/** How much review sentiment moves a content score: x (0.5 + p), from x0.5 (p = 0) to x1.5 (p = 1). */
export function sentimentFactor(p: number | undefined): number {
  return p === undefined || !Number.isFinite(p) ? 1 : 0.5 + p;
}

export interface Recommendation {
  itemId: string;
  score: number;
  reasons: Reason[];
}

export interface RecommendOptions {
  limit: number;
  /** 0 = pure relevance; 1 = as diverse as the candidates allow (MMR). */
  diversity: number;
  aisle?: string;
  /** Item ids never to show (in the cart, bought). */
  exclude: Set<string>;
  /** The slot asked for (rules may name one), filters, the call's own rules, unavailable items allowed. */
  steering?: Steering;
}

const ACTION: Record<string, Action> = {
  purchase: { verb: 'bought' },
  'add-to-cart': { verb: 'added', detail: 'to your cart' },
  review: { verb: 'reviewed' },
  click: { verb: 'opened' },
  search: { verb: 'found', detail: 'by searching' },
  view: { verb: 'viewed' },
};

/**
 * The kNN part of the blend reads the shopper's last `n` items, the newest weighted most (each by its events'
 * net weight times decay^age): on MovieLens this beats the whole history (see the evaluation table), and the
 * evaluation's blend rows use the same setting.
 */
export const RECENT_KNN = { n: 5, decay: 0.7 };

/** The last RECENT_KNN.n touched items with a net weight, each that weight times decay^age. */
function recentHistory(history: WeightedItem[], touched: Set<number>): WeightedItem[] {
  const net = new Map(history.map((h) => [h.item, h.weight]));
  const items = [...touched].filter((i) => net.get(i)).slice(-RECENT_KNN.n);
  return items.map((item, k) => ({
    item,
    weight: (net.get(item) as number) * RECENT_KNN.decay ** (items.length - 1 - k),
  }));
}

/** Recent items whose occlusion explains a sequential score (each is one more forward pass). */
const OCCLUDED = 3;

/** What an event did to its item, for the reasons' wording. */
function actionOf(e: ShopperEvent): Action {
  return e.type === 'rate' ? { verb: 'rated', detail: `${e.value ?? ''}★` } : (ACTION[e.type] ?? { verb: e.type });
}

function hasInteractions(pack: PackInteractions): boolean {
  return pack.neighbours.some;
}

/** The item space of a pack that has nothing else to go by (no interactions), else null. */
function contentOnly(pack: PackInteractions): ItemSpace | null {
  return pack.space && !hasInteractions(pack) ? pack.space : null;
}

/** A candidate whose reasons are computed only if it is shown. */
type Candidate = Recommendation & { explain?: () => Reason[] };

interface Located {
  pack: PackInteractions;
  index: number;
}

export class Recommender {
  private readonly where = new Map<string, Located>();
  private readonly tie = new Map<string, Int32Array>();
  /** Trained item factors per pack (BPR-MF), used with kNN when present. */
  private readonly factors = new Map<string, BprWeights>();

  /** Sequential next-item models per pack. */
  private readonly sequences = new Map<string, SequentialScorer>();

  /** Next-order transitions of shop packs (released aggregates), per pack. */
  private readonly transitions = new Map<string, Transitions>();

  /**
   * The last personal scores per pack and the history they were computed for: a page asks for the same history
   * more than once per event (its own For you list, an embedding page's), and only the list options differ.
   */
  private readonly lastScores = new Map<string, { key: string; value: PersonalScores }>();

  useFactors(packId: string, w: BprWeights): void {
    this.factors.set(packId, w);
    this.lastScores.delete(packId);
  }

  useSequence(packId: string, scorer: SequentialScorer): void {
    this.sequences.set(packId, scorer);
    this.lastScores.delete(packId);
  }

  /** Replaces a pack's item space (e.g. once its pictures have embeddings). */
  useSpace(packId: string, space: ItemSpace): void {
    const pack = this.packs.find((p) => p.packId === packId);
    if (!pack) return;
    if (space.items !== pack.itemIds.length)
      throw new Error(`item space of ${space.items} items for pack '${packId}' of ${pack.itemIds.length}`);
    pack.space = space;
    this.lastScores.delete(packId);
  }

  /** Weighs a content pack's items by their reviews' P(positive) from now on. */
  useSentiment(pack: PackInteractions, sentiment: Float32Array): void {
    pack.sentiment = sentiment;
    this.lastScores.delete(pack.packId);
  }

  /** The id of the pack an item belongs to. */
  packOf(itemId: string): string | undefined {
    return this.where.get(itemId)?.pack.packId;
  }

  /** Whether `itemId` belongs to a pack with a sequential model. */
  hasSequence(itemId: string): boolean {
    const loc = this.where.get(itemId);
    return !!loc && (this.sequences.has(loc.pack.packId) || this.transitions.has(loc.pack.packId));
  }

  /** Whether released transitions serve Up next for `itemId`'s pack (for any pack, without an item). */
  hasTransitions(itemId?: string): boolean {
    if (itemId === undefined) return this.transitions.size > 0;
    const loc = this.where.get(itemId);
    return !!loc && this.transitions.has(loc.pack.packId);
  }

  /** A shop pack's next-order transitions: its Up next while it has no sequential model. */
  useTransitions(packId: string, t: Transitions): void {
    this.transitions.set(packId, t);
  }

  /** What serves Up next for a pack: its sequential model, else its transitions, else nothing. */
  private nextModel(pack: PackInteractions): {
    maxLen: number;
    odds: boolean;
    scores: (seq: number[]) => Float32Array;
    lift: (seq: number[], scores: Float32Array) => (j: number) => WeightedItem[];
  } | null {
    const scorer = this.sequences.get(pack.packId);
    if (scorer)
      return {
        maxLen: scorer.w.maxLen,
        odds: true,
        scores: (seq) => scorer.scores(seq),
        lift: (seq, scores) => Recommender.occlusion(scorer, seq, scores),
      };
    const t = this.transitions.get(pack.packId);
    if (t)
      return { maxLen: t.maxLen, odds: false, scores: (seq) => t.scores(seq), lift: (seq) => (j) => t.shares(seq, j) };
    return null;
  }

  /**
   * The shopper's items of `pack` in time order of their latest event: `touched` holds every item, `action` the
   * items whose latest event was positive (in the same order) with the action that put them there; `itemId` (the
   * product on screen) is the newest step.
   */
  private timeline(
    pack: PackInteractions,
    events: ShopperEvent[],
    itemId?: string,
  ): { touched: Set<number>; action: Map<number, Action> } {
    const touched = new Set<number>();
    const action = new Map<number, Action>();
    for (const e of events) {
      const loc = e.itemId ? this.where.get(e.itemId) : undefined;
      if (loc?.pack !== pack) continue;
      touched.delete(loc.index);
      touched.add(loc.index);
      action.delete(loc.index);
      if (eventWeight(e) > 0) action.set(loc.index, actionOf(e));
    }
    const here = itemId ? this.where.get(itemId) : undefined;
    if (here?.pack === pack) {
      action.delete(here.index);
      action.set(here.index, { verb: ON_SCREEN });
    }
    return { touched, action };
  }

  /** The sequential model's input: the last `maxLen` positively touched items (see timeline). */
  private recentSequence(
    pack: PackInteractions,
    events: ShopperEvent[],
    maxLen: number,
    itemId?: string,
  ): { seq: number[]; action: Map<number, Action> } {
    const { action } = this.timeline(pack, events, itemId);
    return { seq: [...action.keys()].slice(-maxLen), action };
  }

  /**
   * How much each of the last few items of `seq` lifts item j's score: the model is run again without each,
   * and the drop is that item's share (computed once per list, on first use).
   */
  private static occlusion(
    scorer: SequentialScorer,
    seq: number[],
    scores: Float32Array,
  ): (j: number) => WeightedItem[] {
    const recent = seq.slice(-OCCLUDED);
    let without: (Float32Array | null)[] | null = null;
    return (j) => {
      without ??= recent.map((r) => scorer.state(seq.filter((x) => x !== r)));
      const w = without;
      return recent.map((item, k) => ({ item, weight: (scores[j] as number) - scorer.scoreOf(w[k] ?? null, j) }));
    };
  }

  /**
   * "Up next": what the sequential model expects after the shopper's recent items of each pack it covers, with
   * `itemId` as the newest step when given (the product being looked at). Each result names the recent items
   * whose removal lowers its score most.
   */
  next(events: ShopperEvent[], o: RecommendOptions, itemId?: string): Recommendation[] {
    if (itemId !== undefined && !this.hasSequence(itemId)) return []; // no sequence model covers this product
    const candidates: Candidate[] = [];
    const seen = new Set(events.map((e) => e.itemId).filter((id): id is string => !!id));
    if (itemId) seen.add(itemId);
    for (const pack of this.packs) {
      const model = this.nextModel(pack);
      if (!model) continue;
      const { seq, action } = this.recentSequence(pack, events, model.maxLen, itemId);
      if (seq.length === 0) continue;
      const scores = model.scores(seq);
      const top = topK(scores, Math.max(50, o.limit * 4), this.excluded(pack, o, seen), this.tieFor(pack));
      const best = scores[top[0] ?? 0] as number;
      const lift = model.lift(seq, scores);
      for (const j of top) {
        if (!model.odds && !((scores[j] as number) > 0)) break; // transitions: nothing follows the rest
        const explain = (): Reason[] => [
          {
            kind: 'next',
            items: lift(j)
              .filter((x) => x.weight > 0)
              .sort((a, b) => b.weight - a.weight)
              .slice(0, 2)
              .map(({ item }) => ({
                itemId: pack.itemIds[item] as string,
                action: action.get(item) ?? { verb: 'viewed' },
              })),
          },
        ];
        candidates.push({
          itemId: pack.itemIds[j] as string,
          // The sequential model: exp(score - best), its odds against its first choice, in (0, 1]; transitions:
          // the probability over the best one's.
          score: model.odds ? Math.exp((scores[j] as number) - best) : (scores[j] as number) / best,
          reasons: [],
          explain,
        });
      }
    }
    return this.finish(candidates, o, seen);
  }

  readonly packs: PackInteractions[];

  /** Packs given without `neighbours` read them from their matrix (the same objects, completed in place). */
  constructor(packs: PackData[]) {
    this.packs = packs.map((p) => {
      p.neighbours ??= matrixNeighbourhood(p.matrix);
      return p as PackInteractions;
    });
    for (const pack of this.packs) this.index(pack);
  }

  private index(pack: PackInteractions): void {
    this.lastScores.delete(pack.packId);
    pack.itemIds.forEach((id, index) => this.where.set(id, { pack, index }));
    this.tie.set(pack.packId, tieBreakRanks(pack.itemIds.length, 17));
  }

  /** Net weight per item from the shopper's events, and the strongest action taken on each. */
  private profile(
    events: ShopperEvent[],
  ): Map<PackInteractions, { history: WeightedItem[]; action: Map<number, Action> }> {
    const byPack = new Map<
      PackInteractions,
      { weights: Map<number, number>; action: Map<number, Action>; best: Map<number, number> }
    >();
    for (const e of events) {
      const loc = e.itemId ? this.where.get(e.itemId) : undefined;
      if (!loc) continue;
      let p = byPack.get(loc.pack);
      if (!p) byPack.set(loc.pack, (p = { weights: new Map(), action: new Map(), best: new Map() }));
      const w = eventWeight(e);
      p.weights.set(loc.index, (p.weights.get(loc.index) ?? 0) + w);
      if (w > (p.best.get(loc.index) ?? 0)) {
        p.best.set(loc.index, w);
        p.action.set(loc.index, actionOf(e));
      }
    }
    const out = new Map<PackInteractions, { history: WeightedItem[]; action: Map<number, Action> }>();
    for (const [pack, p] of byPack)
      out.set(pack, { history: [...p.weights].map(([item, weight]) => ({ item, weight })), action: p.action });
    return out;
  }

  /** The shopper's weighted history within one pack (pack item indices). */
  movieHistory(events: ShopperEvent[], packId: string): WeightedItem[] {
    for (const [pack, p] of this.profile(events)) if (pack.packId === packId) return p.history;
    return [];
  }

  /** The shopper's sequence within one pack: what the sequential model reads (see timeline), oldest first. */
  movieSequence(events: ShopperEvent[], packId: string): number[] {
    const pack = this.packs.find((p) => p.packId === packId);
    return pack ? [...this.timeline(pack, events).action.keys()] : [];
  }

  /**
   * How much the shopper's profile likes each item, 0..1 (For you's personal score over its best in the item's
   * pack; 0 for items of packs the shopper has no positive history in): what personalised search re-orders by.
   */
  affinity(events: ShopperEvent[], itemIds: string[]): number[] {
    const profiles = this.profile(events);
    const scored = new Map<PackInteractions, { scores: Float32Array; max: number } | null>();
    return itemIds.map((id) => {
      const loc = this.where.get(id);
      if (!loc) return 0;
      let s = scored.get(loc.pack);
      if (s === undefined) {
        const prof = profiles.get(loc.pack);
        s = null;
        if (prof?.history.some((h) => h.weight > 0)) {
          const { scores } = this.personalScores(loc.pack, prof.history, events);
          const max = scores.reduce((a, b) => (b > a ? b : a), 0);
          if (max > 0) s = { scores, max };
        }
        scored.set(loc.pack, s);
      }
      return s ? Math.max(0, (s.scores[loc.index] as number) / s.max) : 0;
    });
  }

  /** Personal recommendations; with no usable history, a diverse popular selection across aisles. */
  forYou(events: ShopperEvent[], o: RecommendOptions): Recommendation[] {
    const seen = new Set(events.map((e) => e.itemId).filter((id): id is string => !!id));
    const profiles = this.profile(events);
    const candidates: Candidate[] = [];
    for (const pack of this.packs) {
      const prof = profiles.get(pack);
      if (!prof || !prof.history.some((h) => h.weight > 0)) continue;
      const { scores, contribution } = this.personalScores(pack, prof.history, events);
      const excluded = this.excluded(pack, o, seen);
      const top = topK(scores, Math.max(50, o.limit * 4), excluded, this.tieFor(pack));
      const max = scores[top[0] ?? 0] ?? 0;
      if (!(max > 0)) continue;
      for (const j of top) {
        const s = scores[j] as number;
        if (!(s > 0)) break;
        // Reasons are worked out only for the items finally shown (see below): a contribution split per candidate
        // would cost more than the scoring.
        const explain = (): Reason[] => [
          {
            kind: 'because',
            items: contribution(j)
              .filter((c) => c.weight > 0)
              .slice(0, 2)
              .map((c) => ({
                itemId: pack.itemIds[c.item] as string,
                action: prof.action.get(c.item) ?? { verb: 'viewed' },
              })),
          },
        ];
        candidates.push({ itemId: pack.itemIds[j] as string, score: s / max, reasons: [], explain });
      }
    }
    // Popular picks fill a short list; when a rule buries items (the shop's, or the shopper's "show me less"), they
    // also compete, so that what is buried can sink below them.
    const burying = [...this.packs.flatMap((p) => p.merch?.rules ?? []), ...(o.steering?.rules ?? [])].some(
      (r) => r.action === 'bury',
    );
    if (candidates.length < o.limit || burying)
      candidates.push(...this.popular({ ...o, limit: o.limit * 3 }, seen, new Set(candidates.map((c) => c.itemId))));
    if (candidates.length < o.limit)
      candidates.push(...this.firstLook(o, seen, new Set(candidates.map((c) => c.itemId))));
    return this.finish(candidates, o, seen);
  }

  /**
   * The item space alone for a pack without interactions; item-kNN and the item space by evidence over the
   * weighted history (./evidence.ts) for a pack with interactions and no trained model (Office; the evaluation's
   * "by evidence (whole history)" row); when the pack has trained factors or a sequential model, kNN over the recent
   * items (RECENT_KNN) blended with the BPR-MF fold-in and the sequential model (each standardised over the items,
   * then weighted by the sequential model's own weights (servedWeights) and added: the evaluation's "For you as
   * served" row; without the sequential model, by FOR_YOU_WITHOUT_SEQUENTIAL). Reasons split the score
   * into one share per history item on the same scale: exactly for kNN and the fold-in, by occlusion for the
   * sequential model.
   */
  private personalScores(pack: PackInteractions, history: WeightedItem[], events: ShopperEvent[]): PersonalScores {
    const scorer = this.sequences.get(pack.packId);
    const { touched, action } = this.timeline(pack, events);
    const seq = scorer ? [...action.keys()].slice(-scorer.w.maxLen) : [];
    const recent = recentHistory(history, touched);
    const key = [history, recent].map((h) => h.map((x) => `${x.item}:${x.weight}`).join(',')).join('|') + `|${seq}`;
    const last = this.lastScores.get(pack.packId);
    if (last?.key === key) return last.value;
    const value = this.scorePack(pack, history, recent, seq);
    this.lastScores.set(pack.packId, { key, value });
    return value;
  }

  /**
   * personalScores without the memory. `history`: the whole weighted history (kNN alone, the fold-in);
   * `recent`: its newest items, decayed (kNN within the blend); `seq`: the sequential model's input.
   */
  private scorePack(
    pack: PackInteractions,
    history: WeightedItem[],
    recent: WeightedItem[],
    seq: number[],
  ): PersonalScores {
    const c = contentOnly(pack);
    if (c) {
      const scores = this.weighBySentiment(pack, contentScores(c.vectors, c.dims, history));
      return {
        scores,
        contribution: (j) =>
          history
            .map(({ item, weight }) => ({ item, weight: weight * cosine(c.vectors, c.dims, item, j) }))
            .sort((a, b) => b.weight - a.weight),
      };
    }
    const w = this.factors.get(pack.packId);
    const scorer = this.sequences.get(pack.packId);
    if (!w && !(scorer && seq.length)) {
      const space = pack.space;
      if (space)
        return {
          scores: evidenceScores(pack.neighbours, space, history),
          contribution: (j) => evidenceContributions(pack.neighbours, space, history, j),
        };
      const knn = pack.neighbours.scores(history);
      return { scores: knn, contribution: (j) => contributions(pack.neighbours, history, j) };
    }
    // Each part: its scores (standardised in place) and its split of item j's score over the history items; the
    // fold-in is not computed when it is weighted 0.
    const weights = scorer && seq.length ? servedWeights(scorer) : FOR_YOU_WITHOUT_SEQUENTIAL;
    const knn = pack.neighbours.scores(recent);
    const parts: { scores: Float32Array; sd: number; weight: number; split: (j: number) => WeightedItem[] }[] = [
      {
        scores: knn,
        sd: standardize(knn),
        weight: weights.knn,
        split: (j) => contributions(pack.neighbours, recent, j),
      },
    ];
    if (w && weights.bpr) {
      const f = foldIn(w.item, w.dim, history);
      const bpr = bprScores(w, f.user, new Float32Array(w.numItems));
      parts.push({
        scores: bpr,
        sd: standardize(bpr),
        weight: weights.bpr,
        split: (j) => foldInContributions(f, w.item, w.dim, history, j),
      });
    }
    if (scorer && seq.length) {
      const next = scorer.scores(seq);
      // The occlusion shares are in the model's own units (divided by sd below, like the other parts).
      const split = Recommender.occlusion(scorer, seq, Float32Array.from(next));
      parts.push({ scores: next, sd: standardize(next), weight: weights.sequential, split });
    }
    // Shift so that scores stay positive for the "> 0" cut below; ranking is unchanged by the shift.
    const scores = new Float32Array(knn.length);
    for (const p of parts)
      for (let k = 0; k < scores.length; k++) scores[k] = (scores[k] as number) + p.weight * (p.scores[k] as number);
    let min = Infinity;
    for (let k = 0; k < scores.length; k++) if ((scores[k] as number) < min) min = scores[k] as number;
    for (let k = 0; k < scores.length; k++) scores[k] = (scores[k] as number) - min + 1e-6;
    return {
      scores,
      contribution: (j) => {
        const a = new Map<number, number>();
        for (const p of parts)
          for (const c of p.split(j)) a.set(c.item, (a.get(c.item) ?? 0) + (c.weight * p.weight) / p.sd);
        return [...a].map(([item, weight]) => ({ item, weight })).sort((x, y) => y.weight - x.weight);
      },
    };
  }

  /** Down-weights items whose review reads negative (positive scores only: the "> 0" cuts stay valid). */
  private weighBySentiment(pack: PackInteractions, scores: Float32Array): Float32Array {
    const q = pack.sentiment;
    if (q)
      for (let j = 0; j < scores.length; j++)
        if ((scores[j] as number) > 0) scores[j] = (scores[j] as number) * sentimentFactor(q[j]);
    return scores;
  }

  /** P(positive) of an item's review, when its pack has been scored. */
  sentimentOf(itemId: string): number | undefined {
    const loc = this.where.get(itemId);
    return loc?.pack.sentiment?.[loc.index];
  }

  /**
   * Items most like one item: in the item space for a pack without interactions; otherwise cosine over who
   * interacted with them and the item space, weighted by the evidence behind the item (./evidence.ts; the
   * evaluation's "Similar items" rows). Each result's reason is the larger of the two parts.
   */
  similar(itemId: string, o: RecommendOptions): Recommendation[] {
    const loc = this.where.get(itemId);
    if (!loc) return [];
    const { pack, index } = loc;
    const c = contentOnly(pack);
    const one = [{ item: index, weight: 1 }];
    const space = pack.space;
    const scores = c
      ? this.weighBySentiment(pack, contentScores(c.vectors, c.dims, one))
      : space
        ? evidenceScores(pack.neighbours, space, one)
        : pack.neighbours.scores(one);
    const excluded = this.excluded(pack, o, new Set([itemId]));
    const top = topK(scores, Math.max(50, o.limit * 4), excluded, this.tieFor(pack)).filter(
      (j) => (scores[j] as number) > 0,
    );
    const recs = top.map((j) => {
      // The larger part of the score is the reason: who interacted with both, or what both are.
      const part = space && !c ? evidenceContributions(pack.neighbours, space, one, j)[0] : undefined;
      const reason: Reason =
        !space || (part && part.knn >= part.alike)
          ? { kind: 'similar', itemId, sharedShare: pack.neighbours.similarity(index, j) }
          : {
              kind: 'content',
              itemId,
              similarity: cosine(space.vectors, space.dims, index, j),
              basis: blockShares(space, index, j)[0]?.basis ?? 'text',
              shared: sharedLabels(space, index, j),
              ...(Number.isFinite(pack.sentiment?.[j]) ? { sentiment: pack.sentiment?.[j] as number } : {}),
            };
      return { itemId: pack.itemIds[j] as string, score: scores[j] as number, reasons: [reason] };
    });
    return this.finish(recs, o, new Set([itemId]));
  }

  /** Trending: the most chosen items of the pack's recent window, by aisle in turn (packs without one give none). */
  trending(o: RecommendOptions, seen: Set<string> = new Set()): Recommendation[] {
    const candidates: Recommendation[] = [];
    for (const pack of this.packs) {
      const recent = pack.recent;
      if (!recent) continue;
      const max = arrayMax(recent.count, 1);
      for (const j of topK(recent.count, Math.max(50, o.limit * 4), this.excluded(pack, o, seen), this.tieFor(pack))) {
        const n = recent.count[j] as number;
        if (!(n > 0)) break;
        const aisle = pack.aisleOf[j] as string;
        candidates.push({
          itemId: pack.itemIds[j] as string,
          score: n / max,
          reasons: [{ kind: 'trending', aisle, users: n, days: recent.days, interaction: pack.kind }],
        });
      }
    }
    return this.finish(candidates, o, seen);
  }

  /** Recently viewed: the items the shopper touched, newest first (what they removed from the cart included). */
  recentlyViewed(events: ShopperEvent[], o: RecommendOptions): Recommendation[] {
    const order: string[] = [];
    for (let k = events.length - 1; k >= 0; k--) {
      const id = events[k]?.itemId;
      if (id && this.where.has(id) && !order.includes(id)) order.push(id);
    }
    const candidates = order.map((itemId, k) => ({
      itemId,
      score: 1 / (1 + k),
      reasons: [{ kind: 'viewed' as const }],
    }));
    const allowed = candidates.filter((c) => {
      const loc = this.where.get(c.itemId) as Located;
      return !this.excluded(loc.pack, o, new Set())[loc.index];
    });
    return this.finish(allowed, o, new Set(), true);
  }

  /** New arrivals: items with the date they were added, newest first. */
  newArrivals(o: RecommendOptions, seen: Set<string> = new Set()): Recommendation[] {
    const dated: { itemId: string; added: string }[] = [];
    for (const pack of this.packs) {
      const added = pack.merch?.added;
      if (!added?.some(Boolean)) continue;
      const excluded = this.excluded(pack, o, seen);
      added.forEach((a, j) => {
        if (a && !excluded[j]) dated.push({ itemId: pack.itemIds[j] as string, added: a });
      });
    }
    dated.sort((a, b) => b.added.localeCompare(a.added) || a.itemId.localeCompare(b.itemId));
    const candidates = dated.map((d, k) => ({
      itemId: d.itemId,
      score: 1 / (1 + k),
      reasons: [{ kind: 'new' as const, added: d.added }],
    }));
    return this.finish(candidates, o, seen, true);
  }

  /** Popular picks as a list of its own (a fallback); `category`: only that category's. */
  popularList(o: RecommendOptions, seen: Set<string>): Recommendation[] {
    return this.finish(this.popular(o, seen, new Set()), o, seen);
  }

  /**
   * Fills a list that is shorter than its limit from the declared fallbacks, in order (o.steering.fallback): popular
   * picks, popular in the category of `itemId`, trending, new arrivals. Never random padding: what no source offers
   * stays empty. Items already shown, the item itself and whatever the call excludes are not repeated.
   */
  fill(list: Recommendation[], o: RecommendOptions, itemId?: string): Recommendation[] {
    const chain = o.steering?.fallback ?? [];
    if (list.length >= o.limit || !chain.length) return list;
    const out = [...list];
    const seen = new Set([...out.map((r) => r.itemId), ...(itemId ? [itemId] : [])]);
    const base: RecommendOptions = { ...o, steering: { ...o.steering, fallback: [] } };
    for (const source of chain) {
      if (out.length >= o.limit) break;
      const loc = itemId ? this.where.get(itemId) : undefined;
      const category = loc?.pack.categoryOf?.[loc.index];
      const more =
        source === 'popular'
          ? this.popularList(base, seen)
          : source === 'popular-category'
            ? category
              ? this.popularList({ ...base, steering: { ...base.steering, category } }, seen)
              : []
            : source === 'trending'
              ? this.trending(base, seen)
              : this.newArrivals(base, seen);
      for (const r of more) {
        if (out.length >= o.limit) break;
        if (seen.has(r.itemId)) continue;
        seen.add(r.itemId);
        out.push(r);
      }
    }
    return out;
  }

  /** Frequently bought together (association rules over order baskets); empty for packs without baskets. */
  boughtWith(itemId: string, o: RecommendOptions): Recommendation[] {
    const loc = this.where.get(itemId);
    const x = loc?.pack.baskets;
    if (!loc || !x) return [];
    const excluded = this.excluded(loc.pack, o, new Set([itemId]));
    const list = boughtTogether(x, loc.index, o.limit, excluded).map((t): Recommendation => ({
      itemId: loc.pack.itemIds[t.item] as string,
      score: t.score,
      reasons: [
        {
          kind: 'together' as const,
          itemId,
          level: t.level,
          groups: [x.groupOf[loc.index] as string, x.groupOf[t.item] as string] as [string, string],
          rule: t.rule,
          ...(x.unit ? { unit: x.unit } : {}),
        },
      ],
    }));
    // In the rules' order (item pairs first): the shop's boosts reorder within it, diversity does not apply.
    return this.finish(list, o, new Set([itemId]), true);
  }

  /**
   * Every slot ends here: the shop's boosts and burials scale the scores (./merchandising.ts), diversity picks the
   * list, each shown item's reasons are worked out (a boost says so), and pinned items take their positions.
   */
  private finish(candidates: Candidate[], o: RecommendOptions, seen: Set<string>, ordered = false): Recommendation[] {
    const steering = o.steering ?? {};
    const promoted = new Map<string, MerchRule>();
    let scaled = false;
    // The rules in force, once per pack for this call (not once per candidate).
    const rules = new Map<PackMerch, MerchRule[]>();
    const steered = candidates.map((c) => {
      const loc = this.where.get(c.itemId);
      const m = loc?.pack.merch;
      if (!loc || !m) return c;
      let inForce = rules.get(m);
      if (!inForce) rules.set(m, (inForce = rulesFor(m, steering)));
      const { factor, boost } = factorOf(m, inForce, loc.index, c.itemId);
      if (boost) promoted.set(c.itemId, boost);
      if (factor === 1) return c;
      scaled = true;
      return { ...c, score: c.score * factor };
    });
    // An ordered list (bought together: item pairs, then departments) keeps its order unless a rule rescored it.
    const picked =
      ordered && !scaled ? steered.slice(0, o.limit) : this.diversify(steered, ordered ? { ...o, diversity: 0 } : o);
    const list = picked.map(({ explain, ...r }): Recommendation => {
      const reasons = explain ? explain() : r.reasons;
      const b = promoted.get(r.itemId);
      return { ...r, reasons: b ? [...reasons, { kind: 'promoted', subject: ruleSubject(b) }] : reasons };
    });
    return this.pin(list, o, seen);
  }

  /** Pinned items at their positions (1-based), unless this call must not show them (seen, excluded, filtered). */
  private pin(list: Recommendation[], o: RecommendOptions, seen: Set<string>): Recommendation[] {
    const steering = o.steering ?? {};
    const rules = [...this.packs.flatMap((p) => p.merch?.rules ?? []), ...(steering.rules ?? [])].filter(
      (r) => r.action === 'pin' && (r.slot === undefined || r.slot === steering.slot),
    );
    if (!rules.length) return list;
    let out = list;
    for (const r of [...rules].sort((a, b) => (a.position ?? 1) - (b.position ?? 1))) {
      const loc = r.itemId ? this.where.get(r.itemId) : undefined;
      if (!loc || !r.itemId || this.excluded(loc.pack, o, seen)[loc.index]) continue;
      out = out.filter((x) => x.itemId !== r.itemId);
      const at = Math.min((r.position ?? 1) - 1, out.length);
      out.splice(at, 0, {
        itemId: r.itemId,
        score: out[at]?.score ?? out[at - 1]?.score ?? 1,
        reasons: [{ kind: 'pinned' }],
      });
    }
    return out.slice(0, o.limit);
  }

  /**
   * Cold start where there is no popularity either (a pack without interactions, as a new shop's, or the items of a
   * pack nobody chose yet): a first look at everything it sells, one item of each category in turn, in the order the catalog lists them. Scored below
   * everything personal or popular, so it only fills what they leave.
   */
  private firstLook(o: RecommendOptions, seen: Set<string>, taken: Set<string>): Recommendation[] {
    const groups = new Map<string, { pack: PackInteractions; j: number }[]>();
    for (const pack of this.packs) {
      // popular() speaks for every item someone chose; the rest get a first look.
      const counts = hasInteractions(pack) ? pack.neighbours.itemCount : null;
      const excluded = this.excluded(pack, o, seen);
      pack.itemIds.forEach((id, j) => {
        if (excluded[j] || taken.has(id) || counts?.[j]) return;
        const category = pack.categoryOf?.[j] || (pack.aisleOf[j] as string);
        let list = groups.get(category);
        if (!list) groups.set(category, (list = []));
        if (list.length < o.limit) list.push({ pack, j }); // no category gives more than the whole list
      });
    }
    const out: Recommendation[] = [];
    const lists = [...groups];
    for (let k = 0; out.length < o.limit && lists.some(([, l]) => l.length > k); k++)
      for (const [category, l] of lists) {
        const at = l[k];
        if (!at || out.length >= o.limit) continue;
        out.push({
          itemId: at.pack.itemIds[at.j] as string,
          score: 0.1 / (1 + k),
          reasons: [{ kind: 'first-look', category }],
        });
      }
    return out;
  }

  /** The most popular items per aisle, interleaved so every aisle with data is represented. */
  private popular(o: RecommendOptions, seen: Set<string>, taken: Set<string>): Recommendation[] {
    const perAisle: Recommendation[][] = [];
    for (const pack of this.packs) {
      if (!hasInteractions(pack)) continue; // no popularity to speak of
      const excluded = this.excluded(pack, o, seen);
      taken.forEach((id) => {
        const loc = this.where.get(id);
        if (loc?.pack === pack) excluded[loc.index] = 1;
      });
      const counts = pack.neighbours.itemCount;
      const max = arrayMax(counts, 1); // not Math.max(...counts): a spread of every item overflows a worker's stack
      const top = topK(counts, o.limit, excluded, this.tieFor(pack));
      const byAisle = new Map<string, Recommendation[]>();
      for (const j of top) {
        if (!counts[j]) continue; // nobody chose it: not popular ("chosen by 0" is no reason); first-look fills in
        const aisle = pack.aisleOf[j] as string;
        const list = byAisle.get(aisle) ?? [];
        list.push({
          itemId: pack.itemIds[j] as string,
          score: ((counts[j] as number) / max) * 0.5,
          reasons: [{ kind: 'popular', aisle, users: counts[j] as number, interaction: pack.kind }],
        });
        byAisle.set(aisle, list);
      }
      perAisle.push(...byAisle.values());
    }
    const out: Recommendation[] = [];
    for (let k = 0; out.length < o.limit && perAisle.some((l) => l.length > k); k++)
      for (const l of perAisle) if (l[k] && out.length < o.limit) out.push(l[k] as Recommendation);
    return out;
  }

  /** Mask of items of `pack` that must not be shown: seen, excluded, or outside the aisle filter. */
  private excluded(pack: PackInteractions, o: RecommendOptions, seen: Set<string>): Uint8Array {
    const mask = new Uint8Array(pack.itemIds.length);
    // Walk the (short) id lists, not the pack's items: thousands of string lookups per request otherwise.
    for (const ids of [seen, o.exclude])
      for (const id of ids) {
        const loc = this.where.get(id);
        if (loc?.pack === pack) mask[loc.index] = 1;
      }
    if (o.aisle !== undefined)
      pack.aisleOf.forEach((a, i) => {
        if (a !== o.aisle) mask[i] = 1;
      });
    if (pack.merch) maskSteered(pack.merch, pack.itemIds, o.steering ?? {}, mask);
    return mask;
  }

  private tieFor(pack: PackInteractions): Int32Array {
    return this.tie.get(pack.packId) as Int32Array;
  }

  /** Maximal marginal relevance: trade relevance for dissimilarity to what is already picked. */
  private diversify<T extends Recommendation>(candidates: T[], o: RecommendOptions): T[] {
    const pool = [...candidates].sort((a, b) => b.score - a.score);
    if (o.diversity <= 0) return pool.slice(0, o.limit);
    const lambda = 1 - Math.min(1, o.diversity);
    const maxScore = pool[0]?.score || 1;
    const picked: T[] = [];
    const simToPicked = new Float32Array(pool.length);
    const used = new Uint8Array(pool.length);
    while (picked.length < o.limit && picked.length < pool.length) {
      let best = -1;
      let bestValue = -Infinity;
      pool.forEach((c, k) => {
        if (used[k]) return;
        const value = lambda * (c.score / maxScore) - (1 - lambda) * (simToPicked[k] as number);
        if (value > bestValue) {
          bestValue = value;
          best = k;
        }
      });
      if (best < 0) break;
      used[best] = 1;
      const chosen = pool[best] as T;
      picked.push(chosen);
      pool.forEach((c, k) => {
        if (!used[k]) simToPicked[k] = Math.max(simToPicked[k] as number, this.similarity(chosen.itemId, c.itemId));
      });
    }
    return picked;
  }

  /** Item-item similarity; items of different packs share nothing, items of one aisle a little. */
  private similarity(a: string, b: string): number {
    const la = this.where.get(a);
    const lb = this.where.get(b);
    if (!la || !lb || la.pack !== lb.pack) return 0;
    const c = contentOnly(la.pack);
    const s = c
      ? Math.max(0, cosine(c.vectors, c.dims, la.index, lb.index))
      : la.pack.neighbours.similarity(la.index, lb.index);
    return Math.max(s, la.pack.aisleOf[la.index] === lb.pack.aisleOf[lb.index] ? 0.05 : 0);
  }
}
