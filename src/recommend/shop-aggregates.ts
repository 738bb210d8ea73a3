/**
 * A shop pack's released aggregates (catalog/schema.ts AggregatesSchema) as the recommender's inputs: the
 * neighbourhood of For you and Similar items from the "also bought" pairs, the rules of Frequently bought together
 * from the same-order pairs and the department pairs, and Up next from the next-order pairs. Nothing here ever saw
 * a customer: only counts that at least k customers support.
 */
import type { Aggregates } from '../catalog/schema';
import { pairNeighbourhood, type Neighbourhood, type WeightedItem } from '../shared/neighbourhood';
import type { RuleIndex } from './association';

export function aggregateNeighbourhood(x: Aggregates, numItems: number): Neighbourhood {
  return pairNeighbourhood({
    numItems,
    item: x.popularity.item,
    itemCount: x.popularity.count,
    a: x.alsoBought.a,
    b: x.alsoBought.b,
    count: x.alsoBought.count,
  });
}

/** The association-rule index over released counts: "baskets" are customers (the released counts are per customer). */
export function aggregateRules(x: Aggregates, numItems: number): RuleIndex {
  const itemCount = new Int32Array(numItems);
  x.popularity.item.forEach((i, k) => (itemCount[i] = x.popularity.count[k] as number));
  const itemPairs = new Map<number, number>();
  x.together.a.forEach((a, k) => {
    const b = x.together.b[k] as number;
    itemPairs.set(a < b ? a * numItems + b : b * numItems + a, x.together.count[k] as number);
  });
  const names = x.groups.names;
  const groupOf = Array.from({ length: numItems }, (_, i) => names[x.groups.of[i] as number] ?? '');
  const groupCount = new Map<string, number>();
  names.forEach((g, k) => {
    if (x.groups.count[k]) groupCount.set(g, x.groups.count[k] as number);
  });
  const groupPairs = new Map<string, number>();
  x.groups.pairs.a.forEach((a, k) => {
    const [p, q] = [names[a] as string, names[x.groups.pairs.b[k] as number] as string].sort();
    groupPairs.set(`${p}\u0000${q}`, x.groups.pairs.count[k] as number);
  });
  return {
    unit: 'customers',
    numBaskets: Math.max(1, x.customers),
    itemCount,
    itemPairs,
    groupOf,
    groupCount,
    groupPairs,
  };
}

/** Up next from next-order pairs: P(next = j | bought i), summed over the recent items, the newest weighted most. */
export interface Transitions {
  maxLen: number;
  scores(seq: number[]): Float32Array;
  /** Each recent item's share of item j's score. */
  shares(seq: number[], j: number): WeightedItem[];
}

const DECAY = 0.7;

export function aggregateTransitions(x: Aggregates, numItems: number): Transitions | null {
  if (!x.next.a.length) return null;
  const out = new Map<number, { to: number; p: number }[]>();
  const from = new Float64Array(numItems);
  x.next.a.forEach((a, k) => (from[a] = (from[a] as number) + (x.next.count[k] as number)));
  x.next.a.forEach((a, k) => {
    const list = out.get(a) ?? [];
    list.push({ to: x.next.b[k] as number, p: (x.next.count[k] as number) / (from[a] as number) });
    out.set(a, list);
  });
  const weights = (seq: number[]) => seq.map((item, k) => ({ item, weight: DECAY ** (seq.length - 1 - k) }));
  return {
    maxLen: 5,
    scores(seq) {
      const s = new Float32Array(numItems);
      for (const { item, weight } of weights(seq))
        for (const t of out.get(item) ?? []) s[t.to] = (s[t.to] as number) + weight * t.p;
      return s;
    },
    shares(seq, j) {
      return weights(seq)
        .map(({ item, weight }) => ({ item, weight: weight * (out.get(item)?.find((t) => t.to === j)?.p ?? 0) }))
        .filter((w) => w.weight > 0)
        .sort((a, b) => b.weight - a.weight);
    },
  };
}
