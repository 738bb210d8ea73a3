/**
 * The shopper's interests, in the spirit of the Topics API's: the categories their own activity makes lists lean
 * to, each with the items behind it, readable and removable. "Show me less of this" is kept in the device's
 * settings and becomes a rule of the shopper's own (a strong bury of that category) in every list.
 */
import type { Catalog } from '../catalog/catalog';
import type { MerchRule } from '../catalog/schema';
import { eventWeight } from '../recommend/contract';
import type { StoredEvent } from '../store/schema';

export interface Interest {
  category: string;
  /** Share of the positive weight of the shopper's activity (0-1). */
  weight: number;
  /** The items behind it, most weighty first (up to 3). */
  itemIds: string[];
  /** The shopper asked for less of it. */
  hidden: boolean;
}

/** How much a hidden interest's items still count in a list: a bury, so a search or a pin can still show them. */
export const LESS_OF_THIS = 0.05;

export function interestsOf(events: readonly StoredEvent[], catalog: Catalog, hidden: readonly string[]): Interest[] {
  const byItem = new Map<string, number>();
  for (const e of events) if (e.itemId) byItem.set(e.itemId, (byItem.get(e.itemId) ?? 0) + eventWeight(e));
  const byCategory = new Map<string, { weight: number; items: [string, number][] }>();
  for (const [itemId, w] of byItem) {
    const item = catalog.get(itemId);
    // An interest is a category, what a rule can name (items without one say nothing here).
    const category = item?.category;
    if (!category || !(w > 0)) continue;
    const c = byCategory.get(category) ?? { weight: 0, items: [] };
    c.weight += w;
    c.items.push([itemId, w]);
    byCategory.set(category, c);
  }
  const total = [...byCategory.values()].reduce((a, c) => a + c.weight, 0);
  const out = [...byCategory].map(([category, c]) => ({
    category,
    weight: total ? c.weight / total : 0,
    itemIds: c.items
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([id]) => id),
    hidden: hidden.includes(category),
  }));
  // Hidden ones stay listed (so they can be shown again), after the rest.
  for (const category of hidden)
    if (!byCategory.has(category)) out.push({ category, weight: 0, itemIds: [], hidden: true });
  return out.sort((a, b) => Number(a.hidden) - Number(b.hidden) || b.weight - a.weight).slice(0, 20);
}

/** The shopper's own rules from what they asked to see less of. */
export const lessOf = (hidden: readonly string[]): MerchRule[] =>
  hidden.map((category) => ({ action: 'bury', category, factor: LESS_OF_THIS }));
