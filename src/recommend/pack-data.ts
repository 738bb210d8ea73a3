/**
 * What the recommender reads of each loaded pack: its item space, its interaction matrix (or, for a shop pack, the
 * neighbourhoods, rules and transitions its released counts stand for), its baskets' association rules, its recent
 * popularity, and which pack gets the factor models; with the evaluation's view of the packs' logs.
 */
import type { Pack } from '../catalog/schema';
import { reviewTexts as reviewsByItem } from '../catalog/catalog';
import type { WordVectors } from '../shared/word-vectors';
import { buildMatrix } from '../shared/interactions';
import { chooseFactorPack, interactionCounts } from './factor-pack';
import { boughtBlock, describeItems, itemSpace, type SpaceBlock } from './item-space';
import { packMerch } from './merchandising';
import { aggregateNeighbourhood, aggregateRules, aggregateTransitions, type Transitions } from './shop-aggregates';
import { mineBaskets } from './association';
import type { ContentItem } from './hybrid-items';
import type { PackData } from './recommender';

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

/** Another pack's interaction log, evaluated beside MovieLens (Superstore orders). */
export interface OtherEvalData {
  packId: string;
  name: string;
  user: number[];
  item: number[];
  timestamp: number[];
  numUsers: number;
  numItems: number;
  category: string[];
}

/** The factor pack's log, for the evaluation and the factor models' training. */
export interface EvalData {
  packId: string;
  user: number[];
  item: number[];
  timestamp: number[];
  numUsers: number;
  tags: string[][];
  /** Titles, genres and years: the content features of the hybrid item vectors. */
  content: ContentItem[];
}

export interface PacksRead {
  data: PackData[];
  info: LoadedInteractions[];
  /** A shop pack's next-order transitions, by pack (Up next from released counts). */
  shopTransitions: Map<string, Transitions>;
  /** Each pack's item-space blocks (the picture block is added when it comes). */
  spaceBlocks: Map<string, SpaceBlock[]>;
  evalData: EvalData | null;
  otherEval: OtherEvalData[];
}

/**
 * Every pack's items get an item space from what the catalog says of them (./item-space.ts); without word vectors
 * (none asked for), the category block alone.
 */
export function readPacks(packs: Pack[], words: WordVectors | null): PacksRead {
  const spaceBlocks = new Map<string, SpaceBlock[]>();
  const otherEval: OtherEvalData[] = [];
  let evalData: EvalData | null = null;
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
    if (p.aggregates?.vectors) blocks.push(boughtBlock(p.items.length, p.aggregates.vectors));
    spaceBlocks.set(p.id, blocks);
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
      otherEval.push({
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
      evalData = {
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
  return { data, info, shopTransitions, spaceBlocks, evalData, otherEval };
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
