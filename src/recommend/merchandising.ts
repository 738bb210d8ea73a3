/**
 * What a shop steers in its lists, applied to every slot by the Recommender: items that are not available are
 * never shown unless asked; filters (price range, category); the shop's rules (in its pack and per call): exclude
 * items or categories, boost or bury by category, tag or brand (score times factor), pin an item to a position.
 * Pure functions over one pack's item attributes, compiled once when the pack loads.
 */
import type { Fallback, MerchRule } from '../catalog/schema';

export type { MerchRule };

/** One pack's item attributes that rules and filters read, by item index. */
export interface PackMerch {
  /** 1: out of stock (availability 'out_of_stock'). */
  unavailable: Uint8Array;
  /** Whether any item is out of stock (else the stock check is skipped). */
  someUnavailable: boolean;
  /** The price it sells at (the sale price when there is one); NaN: no price. */
  price: Float64Array;
  category: string[];
  tags: string[][];
  brand: string[];
  /** The date each item was added ('' unknown). */
  added: string[];
  /** The pack's own rules. */
  rules: MerchRule[];
}

export interface ItemAttributes {
  availability?: string;
  price?: { amount: number };
  salePrice?: { amount: number };
  category?: string;
  tags?: string[];
  brand?: string;
  added?: string;
}

export function packMerch(items: ItemAttributes[], rules: MerchRule[] = []): PackMerch {
  const unavailable = Uint8Array.from(items, (i) => (i.availability === 'out_of_stock' ? 1 : 0));
  return {
    unavailable,
    someUnavailable: unavailable.includes(1),
    price: Float64Array.from(items, (i) => i.salePrice?.amount ?? i.price?.amount ?? NaN),
    category: items.map((i) => i.category ?? ''),
    tags: items.map((i) => i.tags ?? []),
    brand: items.map((i) => i.brand ?? ''),
    added: items.map((i) => i.added ?? ''),
    rules,
  };
}

/** Per call: filters, extra rules, and whether items that are not available may be shown. */
export interface Steering {
  slot?: string;
  minPrice?: number;
  maxPrice?: number;
  category?: string;
  rules?: MerchRule[];
  includeUnavailable?: boolean;
  /** What fills a short list, in order (resolved from the call or the pack's chain for the slot). */
  fallback?: Fallback[];
}

const applies = (r: MerchRule, slot: string | undefined) => r.slot === undefined || r.slot === slot;

/** Whether a rule that names a category, tag or brand (or an item) matches item j. */
function matches(m: PackMerch, r: MerchRule, j: number, itemId: string): boolean {
  if (r.itemId !== undefined && r.itemId !== itemId) return false;
  if (r.category !== undefined && m.category[j] !== r.category) return false;
  if (r.tag !== undefined && !(m.tags[j] as string[]).includes(r.tag)) return false;
  if (r.brand !== undefined && m.brand[j] !== r.brand) return false;
  return true;
}

/** The rules in force for a call: the pack's, then the call's. */
export const rulesFor = (m: PackMerch, s: Steering): MerchRule[] =>
  [...m.rules, ...(s.rules ?? [])].filter((r) => applies(r, s.slot));

/** Marks (sets to 1) in `mask` every item this call must not show: unavailable, filtered out, excluded by a rule. */
export function maskSteered(m: PackMerch, itemIds: string[], s: Steering, mask: Uint8Array): void {
  const rules = rulesFor(m, s).filter((r) => r.action === 'exclude');
  const priced = s.minPrice !== undefined || s.maxPrice !== undefined;
  // The common case (no rule, no filter, nothing out of stock) costs nothing per request.
  if (!rules.length && !priced && s.category === undefined && (s.includeUnavailable || !m.someUnavailable)) return;
  for (let j = 0; j < itemIds.length; j++) {
    if (mask[j]) continue;
    if (!s.includeUnavailable && m.unavailable[j]) mask[j] = 1;
    else if (s.category !== undefined && m.category[j] !== s.category) mask[j] = 1;
    else if (priced) {
      const p = m.price[j] as number;
      // An item without a price cannot be said to be within a price range.
      if (!(p >= (s.minPrice ?? -Infinity) && p <= (s.maxPrice ?? Infinity))) mask[j] = 1;
    }
    if (!mask[j] && rules.some((r) => matches(m, r, j, itemIds[j] as string))) mask[j] = 1;
  }
}

/** The product of the boost and bury factors that match item j, and the first boosting rule (for the reason). */
export function factorOf(
  m: PackMerch,
  rules: MerchRule[],
  j: number,
  itemId: string,
): { factor: number; boost?: MerchRule } {
  let factor = 1;
  let boost: MerchRule | undefined;
  for (const r of rules) {
    if ((r.action !== 'boost' && r.action !== 'bury') || !matches(m, r, j, itemId)) continue;
    factor *= r.factor ?? 1;
    if ((r.factor ?? 1) > 1) boost ??= r;
  }
  return { factor, boost };
}

/** What a boost rule is about, for the reason ("category Lamps", "brand Hill Mill"). */
export function ruleSubject(r: MerchRule): string {
  if (r.itemId !== undefined) return 'this item';
  if (r.category !== undefined) return `category ${r.category}`;
  if (r.tag !== undefined) return `tag ${r.tag}`;
  return `brand ${r.brand ?? ''}`;
}
