/**
 * The recommender's view of the catalog: each pack's interactions, item space and merchandising as the slots read
 * them, what a recommendation and a request's options are, and the small shared pieces (standardising scores,
 * an event's action for the reasons, the recent items kNN reads).
 */
import type { RuleIndex } from './association';
import type { InteractionMatrix } from '../shared/interactions';
import type { ItemSpace } from './item-space';
import type { WeightedItem } from './knn';
import type { Neighbourhood } from '../shared/neighbourhood';
import type { PackMerch, Steering } from './merchandising';
import type { ShopperEvent, Reason, Action } from './contract';
import { eventWeight } from './event-weight';

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
export interface PersonalScores {
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
export function recentHistory(history: WeightedItem[], touched: Set<number>): WeightedItem[] {
  const net = new Map(history.map((h) => [h.item, h.weight]));
  const items = [...touched].filter((i) => net.get(i)).slice(-RECENT_KNN.n);
  return items.map((item, k) => ({
    item,
    weight: (net.get(item) as number) * RECENT_KNN.decay ** (items.length - 1 - k),
  }));
}

/** Recent items whose occlusion explains a sequential score (each is one more forward pass). */
export const OCCLUDED = 3;

/** What an event did to its item, for the reasons' wording. */
export function actionOf(e: ShopperEvent): Action {
  return e.type === 'rate' ? { verb: 'rated', detail: `${e.value ?? ''}★` } : (ACTION[e.type] ?? { verb: e.type });
}

export function hasInteractions(pack: PackInteractions): boolean {
  return pack.neighbours.some;
}

/** The item space of a pack that has nothing else to go by (no interactions), else null. */
export function contentOnly(pack: PackInteractions): ItemSpace | null {
  return pack.space && !hasInteractions(pack) ? pack.space : null;
}

/** A candidate whose reasons are computed only if it is shown. */
export type Candidate = Recommendation & { explain?: () => Reason[] };

/** Where an item lives: its pack and its index there. */
export interface Located {
  pack: PackInteractions;
  index: number;
}

/** Net weight per item from the shopper's events, and the strongest action taken on each. */
export function profileOf(
  where: ReadonlyMap<string, Located>,
  events: ShopperEvent[],
): Map<PackInteractions, { history: WeightedItem[]; action: Map<number, Action> }> {
  const byPack = new Map<
    PackInteractions,
    { weights: Map<number, number>; action: Map<number, Action>; best: Map<number, number> }
  >();
  for (const e of events) {
    const loc = e.itemId ? where.get(e.itemId) : undefined;
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
