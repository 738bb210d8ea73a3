/**
 * "Frequently bought together" from order baskets, as association rules A -> B with support (share of orders
 * with both), confidence (share of A's orders that have B) and lift (confidence over B's base rate).
 * Mined for products and for their sub-categories: the Superstore sample has 5,009 orders over 1,862 products,
 * so only 38 product pairs occur in two orders or more; category rules carry the signal the rest of the time.
 */
import { arrayMax } from '../shared/array-max';
export interface Rule {
  support: number;
  confidence: number;
  lift: number;
  /** Orders that hold both sides. */
  count: number;
}

export interface RuleIndex {
  /** What a basket is: an order (raw baskets, the default) or a customer (a shop pack's per-customer counts). */
  unit?: 'orders' | 'customers';
  numBaskets: number;
  itemCount: Int32Array;
  itemPairs: Map<number, number>;
  groupOf: string[];
  groupCount: Map<string, number>;
  groupPairs: Map<string, number>;
}

const pairKey = (a: number, b: number, n: number) => (a < b ? a * n + b : b * n + a);
const groupKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

/** Counts items, item pairs, groups and group pairs over baskets (each basket: distinct item indices). */
export function mineBaskets(baskets: number[][], numItems: number, groupOf: string[]): RuleIndex {
  const itemCount = new Int32Array(numItems);
  const itemPairs = new Map<number, number>();
  const groupCount = new Map<string, number>();
  const groupPairs = new Map<string, number>();
  for (const raw of baskets) {
    const items = [...new Set(raw)];
    for (const i of items) itemCount[i] = (itemCount[i] as number) + 1;
    for (let a = 0; a < items.length; a++)
      for (let b = a + 1; b < items.length; b++) {
        const k = pairKey(items[a] as number, items[b] as number, numItems);
        itemPairs.set(k, (itemPairs.get(k) ?? 0) + 1);
      }
    const groups = [...new Set(items.map((i) => groupOf[i] as string))];
    for (const g of groups) groupCount.set(g, (groupCount.get(g) ?? 0) + 1);
    for (let a = 0; a < groups.length; a++)
      for (let b = a + 1; b < groups.length; b++) {
        const k = groupKey(groups[a] as string, groups[b] as string);
        groupPairs.set(k, (groupPairs.get(k) ?? 0) + 1);
      }
  }
  return { numBaskets: baskets.length, itemCount, itemPairs, groupOf, groupCount, groupPairs };
}

function rule(both: number, countA: number, countB: number, n: number): Rule {
  const confidence = countA ? both / countA : 0;
  return { support: n ? both / n : 0, confidence, lift: countB ? confidence / (countB / n) : 0, count: both };
}

export function itemRule(x: RuleIndex, a: number, b: number): Rule {
  return rule(
    x.itemPairs.get(pairKey(a, b, x.itemCount.length)) ?? 0,
    x.itemCount[a] as number,
    x.itemCount[b] as number,
    x.numBaskets,
  );
}

export function groupRule(x: RuleIndex, a: string, b: string): Rule {
  return rule(x.groupPairs.get(groupKey(a, b)) ?? 0, x.groupCount.get(a) ?? 0, x.groupCount.get(b) ?? 0, x.numBaskets);
}

export interface Together {
  item: number;
  /** 'item': this very pair was bought together; 'group': their categories go together. */
  level: 'item' | 'group';
  rule: Rule;
  score: number;
}

/**
 * Items to offer with `a`: products bought with it in at least `minCount` orders (by lift), then the most
 * bought products of the sub-categories its own sub-category goes with (lift above 1), by lift x popularity.
 */
export function boughtTogether(x: RuleIndex, a: number, limit: number, exclude: Uint8Array, minCount = 2): Together[] {
  const n = x.itemCount.length;
  const out: Together[] = [];
  const taken = new Set<number>([a]);
  for (let b = 0; b < n; b++) {
    if (b === a || exclude[b]) continue;
    const r = itemRule(x, a, b);
    if (r.count >= minCount) out.push({ item: b, level: 'item', rule: r, score: 10 + r.lift });
  }
  out.sort((p, q) => q.score - p.score);
  out.splice(limit);
  for (const t of out) taken.add(t.item);
  const ga = x.groupOf[a] as string;
  const groups = [...x.groupCount.keys()]
    .filter((g) => g !== ga)
    .map((g) => ({ g, r: groupRule(x, ga, g) }))
    .filter(({ r }) => r.lift > 1 && r.count >= minCount)
    .sort((p, q) => q.r.lift - p.r.lift);
  const maxCount = arrayMax(x.itemCount, 1);
  for (const { g, r } of groups) {
    if (out.length >= limit) break;
    let best = -1;
    for (let b = 0; b < n; b++)
      if (
        x.groupOf[b] === g &&
        !taken.has(b) &&
        !exclude[b] &&
        (best < 0 || (x.itemCount[b] as number) > (x.itemCount[best] as number))
      )
        best = b;
    if (best < 0) continue;
    taken.add(best);
    out.push({ item: best, level: 'group', rule: r, score: r.lift * ((x.itemCount[best] as number) / maxCount) });
  }
  return out;
}
