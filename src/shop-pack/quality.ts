/**
 * What privacy costs, measured by the builder on the shop's own orders: each customer's last order is held out,
 * the aggregates are released from the rest exactly as the pack's are, and For you's neighbourhood model (item-kNN
 * over the customer's earlier items) ranks every item twice: from the raw order lines (what a pack with raw
 * interactions served) and from the released pairs (what this pack serves). NDCG@10 and HR@10 over the held-out
 * order's items; popularity alone is the floor.
 */
import { buildMatrix } from '../shared/interactions';
import { matrixNeighbourhood, pairNeighbourhood, type Neighbourhood } from '../shared/neighbourhood';
import { topK, tieBreakRanks } from '../eval/metrics';
import { aggregate, type AggregateOptions } from './aggregate';
import type { PrivacyCost, RankingQuality } from './contract';
import type { ItemVectors } from '../catalog/schema';
import { unitRows } from '../shared/unit-rows';
import { vectorsFromPairs } from './item-vectors';
import { OrderBook } from './orders';
export type { PrivacyCost } from './contract';

/** Customers evaluated at most (a sample beyond, for speed). */
const MAX_EVALUATED = 2000;

export function privacyCost(
  book: OrderBook,
  groups: { names: string[]; of: number[] },
  o: AggregateOptions,
): PrivacyCost {
  const n = book.items.length;
  // Each customer's last order (latest time; ties: the larger order index).
  const last = new Map<number, { order: number; time: number }>();
  for (let k = 0; k < book.length; k++) {
    const c = book.customer[k] as number;
    const t = book.time[k] as number;
    const o2 = book.order[k] as number;
    const cur = last.get(c);
    if (!cur || t > cur.time || (t === cur.time && o2 > cur.order)) last.set(c, { order: o2, time: t });
  }
  const train = new OrderBook(book.items);
  const history = new Map<number, Set<number>>();
  const held = new Map<number, Set<number>>();
  for (let k = 0; k < book.length; k++) {
    const c = book.customer[k] as number;
    const item = book.item[k] as number;
    if (last.get(c)?.order === book.order[k]) {
      const s = held.get(c) ?? new Set();
      s.add(item);
      held.set(c, s);
    } else {
      train.add(`c${c}`, `o${book.order[k]}`, item, book.time[k] as number);
      const s = history.get(c) ?? new Set();
      s.add(item);
      history.set(c, s);
    }
  }
  const released = aggregate(train, groups, o).aggregates;
  const pack = pairNeighbourhood({
    numItems: n,
    item: released.popularity.item,
    itemCount: released.popularity.count,
    a: released.alsoBought.a,
    b: released.alsoBought.b,
    count: released.alsoBought.count,
  });
  const rawMatrix = buildMatrix(
    train.customer.subarray(0, train.length),
    train.item.subarray(0, train.length),
    train.customers,
    n,
  );
  const raw = matrixNeighbourhood(rawMatrix);
  const popularity = Float32Array.from(raw.itemCount);
  const packPopularity = Float32Array.from(pack.itemCount);
  const tie = tieBreakRanks(n, 7);
  const evaluated = [...held.keys()].filter(
    (c) => history.get(c)?.size && [...(held.get(c) as Set<number>)].some((i) => !history.get(c)?.has(i)),
  );
  const step = Math.max(1, Math.ceil(evaluated.length / MAX_EVALUATED));
  const users = evaluated.filter((_, x) => x % step === 0);
  const total = {
    raw: { ndcg10: 0, hr10: 0 },
    pack: { ndcg10: 0, hr10: 0 },
    popular: { ndcg10: 0, hr10: 0 },
    vectors: { ndcg10: 0, hr10: 0 },
  };
  const scores = new Float32Array(n);
  const vectors = vectorsFromPairs(released, n);
  const space = vectors ? vectorSpace(vectors, n) : null;
  const rank = (
    m: Pick<Neighbourhood, 'scores'> | null,
    fallback: Float32Array,
    seen: Set<number>,
    targets: Set<number>,
    into: RankingQuality,
  ) => {
    const hist = [...seen].map((item) => ({ item, weight: 1 }));
    if (m) m.scores(hist, scores);
    else scores.fill(0);
    // Items the neighbourhood says nothing of are ordered by popularity, below every neighbour (as For you fills).
    const maxPop = fallback.reduce((a, b) => Math.max(a, b), 1);
    for (let j = 0; j < n; j++)
      scores[j] = (scores[j] as number) > 0 ? (scores[j] as number) + 1 : (fallback[j] as number) / maxPop;
    const mask = new Uint8Array(n);
    for (const i of seen) mask[i] = 1;
    const list = topK(scores, 10, mask, tie);
    const relevant = [...targets].filter((i) => !seen.has(i));
    let dcg = 0;
    list.forEach((j, r) => {
      if (targets.has(j) && !seen.has(j)) dcg += 1 / Math.log2(r + 2);
    });
    let ideal = 0;
    for (let r = 0; r < Math.min(10, relevant.length); r++) ideal += 1 / Math.log2(r + 2);
    into.ndcg10 += ideal ? dcg / ideal : 0;
    into.hr10 += list.some((j) => targets.has(j) && !seen.has(j)) ? 1 : 0;
  };
  for (const c of users) {
    const seen = history.get(c) as Set<number>;
    const targets = held.get(c) as Set<number>;
    rank(raw, popularity, seen, targets, total.raw);
    rank(pack, packPopularity, seen, targets, total.pack);
    rank(null, popularity, seen, targets, total.popular);
    if (space) rank(space, packPopularity, seen, targets, total.vectors);
  }
  const mean = (q: RankingQuality) => ({
    ndcg10: users.length ? q.ndcg10 / users.length : 0,
    hr10: users.length ? q.hr10 / users.length : 0,
  });
  return {
    customers: users.length,
    raw: mean(total.raw),
    pack: mean(total.pack),
    popular: mean(total.popular),
    ...(space ? { vectors: mean(total.vectors) } : {}),
  };
}

/** Item vectors as a scorer: the cosine of each item's vector with the sum of the history's (0 without one). */
function vectorSpace(v: Omit<ItemVectors, 'card'>, n: number): Pick<Neighbourhood, 'scores'> {
  const d = v.dims;
  const rows = unitRows(n, v);
  return {
    scores(history, out) {
      const scores = out ?? new Float32Array(n);
      const profile = new Float32Array(d);
      for (const { item, weight } of history)
        for (let c = 0; c < d; c++) profile[c] = (profile[c] as number) + weight * (rows[item * d + c] as number);
      for (let j = 0; j < n; j++) {
        let dot = 0;
        for (let c = 0; c < d; c++) dot += (profile[c] as number) * (rows[j * d + c] as number);
        scores[j] = Math.max(0, dot);
      }
      return scores;
    },
  };
}
