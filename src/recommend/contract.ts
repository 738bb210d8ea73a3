/**
 * The recommenders' part of the public API: what the page (api/, app/, widget/) may know of this capability. Plain
 * types and the configuration constants the page needs; no tfjs (dependency-cruiser keeps the page on this file).
 */
import type { ForYouWeights } from './blend-config';
import type { Rule } from './association';
import type { Basis } from './item-space';
import { z } from '../shared/zod';
import { boundedInt, options } from '../shared/args';
import { SLOTS } from '../catalog/slots';

export { ON_SCREEN } from './actions';
export { eventWeight } from './event-weight';
export { BPR_VERSION, DEFAULT_BPR, type BprConfig } from './bpr-config';
export { weightList, weightsOf, type ForYouWeights } from './blend-config';
export { chooseFactorPack, FACTOR_MIN_ITEMS_PER_USER, interactionCounts } from './factor-pack';
export {
  PROTOCOL_DEFAULTS,
  ProtocolArgs,
  STORE_SEQUENTIAL_RECIPE,
  TEST_PROTOCOLS,
  protocolOptions,
  type ProtocolReport,
  type ProtocolRequest,
  type TestProtocol,
} from './protocol-config';
export {
  PEER_BLOCK_TENSORS,
  DEFAULT_SEQUENTIAL,
  SEQUENTIAL_RECIPE_NAMES,
  SEQUENTIAL_RECIPES,
  SEQUENTIAL_VERSION,
  sequentialRecipe,
  type SequentialConfig,
  type SequentialRecipe,
} from './sequential-config';

export interface ShopperEvent {
  type: string;
  itemId?: string;
  value?: number;
}

/** What the shopper did with an item, for the reason's wording: "<verb> <title> <detail>". */
export interface Action {
  verb: string;
  detail?: string;
}

export type Reason =
  | { kind: 'because'; items: { itemId: string; action: Action }[] }
  /** From the sequential model: the recent items whose removal lowers this item's score most. */
  | { kind: 'next'; items: { itemId: string; action: Action }[] }
  | { kind: 'popular'; aisle: string; users: number; interaction: string }
  /** No popularity and no history to go on: one of each category in turn, in the catalog's own order. */
  | { kind: 'first-look'; category: string }
  | { kind: 'similar'; itemId: string; sharedShare: number }
  /**
   * Alike in the item space; `basis`: the block with the largest share of the similarity; `shared`: the
   * categories and tags the two items share.
   */
  | { kind: 'content'; itemId: string; similarity: number; basis: Basis; shared: string[]; sentiment?: number }
  | {
      kind: 'together';
      itemId: string;
      level: 'item' | 'group';
      groups: [string, string];
      rule: Rule;
      /** What the rule's counts count: orders (raw baskets, the default) or customers (a shop pack's aggregates). */
      unit?: 'orders' | 'customers';
    }
  /** Trending: chosen by `users` in the pack's last `days`. */
  | { kind: 'trending'; aisle: string; users: number; days: number; interaction: string }
  /** Recently viewed by the shopper. */
  | { kind: 'viewed' }
  /** A new arrival, added on `added` (YYYY-MM-DD). */
  | { kind: 'new'; added: string }
  /** The shop pinned this item to its position. */
  | { kind: 'pinned' }
  /** A shop's rule boosted it ("category Lamps"). */
  | { kind: 'promoted'; subject: string };

/** Trained weights as plain arrays (what crosses the worker boundary and goes to IndexedDB). */
export interface BprWeights {
  dim: number;
  numUsers: number;
  numItems: number;
  user: Float32Array;
  item: Float32Array;
  itemBias: Float32Array;
}

/** The trained tensors as plain arrays (row-major), item rows shifted by one: row 0 is padding. */
export interface SequentialWeights {
  version: number;
  dim: number;
  maxLen: number;
  blocks: number;
  numItems: number;
  /** [(numItems + 1) x dim] */
  item: Float32Array;
  /** [numItems + 1] */
  itemBias: Float32Array;
  /** [maxLen x dim] */
  position: Float32Array;
  /** Item embeddings are multiplied by this before the position is added (SASRec-CE's sqrt(dim)); absent: 1. */
  embeddingScale?: number;
  /** Per block: ln1 (gain, bias), wq, wk, wv, ln2 (gain, bias), w1, b1, w2, b2. */
  block: BlockWeights<Float32Array>[];
  /** Final layer norm. */
  lnGain: Float32Array;
  lnBias: Float32Array;
  /**
   * For you's weights with this model in the blend, chosen on the validation split after its training (they depend
   * on the model: two trainings of one recipe chose 0.25 / 0 / 1 and 0.75 / 0.25 / 1). Absent: FOR_YOU_WEIGHTS.
   */
  blend?: ForYouWeights;
  /**
   * An ensemble's other models (SequentialConfig.ensemble): the same shape, trained with other seeds; served as one
   * with this one, their next-item scores averaged. Their own `blend` and `members` are not read.
   */
  members?: SequentialWeights[];
}

export interface BlockWeights<T> {
  ln1Gain: T;
  ln1Bias: T;
  wq: T;
  wk: T;
  wv: T;
  ln2Gain: T;
  ln2Bias: T;
  w1: T;
  b1: T;
  w2: T;
  b2: T;
  /** SASRec-CE's layers only: Q/K/V biases and the attention's output projection (wo [dim x dim], bo). */
  bq?: T;
  bk?: T;
  bv?: T;
  wo?: T;
  bo?: T;
}

/** `recommend()`'s options as the house checks them first (the catalog's aisles, items and rules are checked after). */
export const RecommendArgs = options(
  {
    slot: z
      .enum(SLOTS, { error: (i) => `unknown slot '${String(i.input)}'; slots are ${SLOTS.join(', ')}` })
      .default('for-you'),
    limit: boundedInt(1, 50, 10),
    diversity: z
      .number({ error: 'diversity must be a number from 0 to 1' })
      .min(0, { error: 'diversity must be a number from 0 to 1' })
      .max(1, { error: 'diversity must be a number from 0 to 1' })
      .default(0),
    itemId: z.string({ error: 'itemId must be a string' }).optional(),
    aisle: z.string({ error: 'aisle must be a string' }).optional(),
  },
  'recommend',
);
