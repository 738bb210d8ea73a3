/**
 * Item neighbourhoods: how alike two items are by who chose them, and a weighted history's score for every item
 * (item-kNN with cosine similarity, sim(i, j) = c_ij / sqrt(n_i n_j), c_ij the people who chose both). Two sources
 * give the same interface:
 * - `matrixNeighbourhood`: exact, from a pack's raw interaction matrix (research data: MovieLens);
 * - `pairNeighbourhood`: from the released pair counts of a shop pack's aggregates (only pairs at least k customers
 *   support, with noise): the same model on what a shop may publish.
 */
import { intersectCount, itemsOf, usersOf, type InteractionMatrix } from './interactions';

export interface WeightedItem {
  item: number;
  weight: number;
}

export interface Neighbourhood {
  numItems: number;
  /** People who chose each item (noisy, and 0 when not released, for a shop pack). */
  itemCount: ArrayLike<number>;
  /** Whether there is anything to go by (no interactions and no released counts: false). */
  readonly some: boolean;
  /** Every item's score for a weighted history (`out` reused when given). */
  scores(history: WeightedItem[], out?: Float32Array): Float32Array;
  similarity(i: number, j: number): number;
}

/**
 * kNN scores over a raw matrix without the item-item matrix: first the user vector a = (h / sqrt(n)) X^T, then
 * (a X) / sqrt(n). Two sparse passes (about the number of interactions), fast enough to re-rank after every event.
 */
export function knnScores(m: InteractionMatrix, history: WeightedItem[], out?: Float32Array): Float32Array {
  const scores = out ?? new Float32Array(m.numItems);
  scores.fill(0);
  const a = new Float32Array(m.numUsers);
  for (const { item, weight } of history) {
    const n = m.itemCount[item] as number;
    if (!n || !weight) continue;
    const f = weight / Math.sqrt(n);
    for (const u of usersOf(m, item)) a[u] = (a[u] as number) + f;
  }
  for (let u = 0; u < m.numUsers; u++) {
    const w = a[u] as number;
    if (!w) continue;
    for (const j of itemsOf(m, u)) scores[j] = (scores[j] as number) + w;
  }
  for (let j = 0; j < m.numItems; j++) {
    const n = m.itemCount[j] as number;
    scores[j] = n ? (scores[j] as number) / Math.sqrt(n) : 0;
  }
  return scores;
}

/** Cosine similarity of two items' user sets. */
export function itemSimilarity(m: InteractionMatrix, i: number, j: number): number {
  const ni = m.itemCount[i] as number;
  const nj = m.itemCount[j] as number;
  return ni && nj ? intersectCount(usersOf(m, i), usersOf(m, j)) / Math.sqrt(ni * nj) : 0;
}

export function matrixNeighbourhood(m: InteractionMatrix): Neighbourhood {
  return {
    numItems: m.numItems,
    itemCount: m.itemCount,
    some: m.userItems.items.length > 0,
    scores: (history, out) => knnScores(m, history, out),
    similarity: (i, j) => itemSimilarity(m, i, j),
  };
}

/** Released counts as the neighbourhood's input: per-item counts and unordered pair counts (a, b, count). */
export interface PairCounts {
  numItems: number;
  item: ArrayLike<number>;
  itemCount: ArrayLike<number>;
  a: ArrayLike<number>;
  b: ArrayLike<number>;
  count: ArrayLike<number>;
}

/**
 * Released pairs as a symmetric cosine matrix in CSR: row i lists (j, sim(i, j)), j ascending within each pair's
 * insertion order, sim = c_ij / sqrt(n_i n_j); `count` is each item's count, raised to its largest pair count (the two
 * are noised apart) so that no similarity exceeds 1.
 */
export function pairCosines(c: PairCounts): {
  count: Float32Array;
  offsets: Int32Array;
  cols: Int32Array;
  sims: Float32Array;
} {
  const n = c.numItems;
  const count = new Float32Array(n);
  for (let k = 0; k < c.item.length; k++) count[c.item[k] as number] = c.itemCount[k] as number;
  for (let k = 0; k < c.a.length; k++)
    for (const i of [c.a[k] as number, c.b[k] as number]) count[i] = Math.max(count[i] as number, c.count[k] as number);
  const offsets = new Int32Array(n + 1);
  for (let k = 0; k < c.a.length; k++) {
    for (const i of [c.a[k] as number, c.b[k] as number]) offsets[i + 1] = (offsets[i + 1] as number) + 1;
  }
  for (let i = 0; i < n; i++) offsets[i + 1] = (offsets[i + 1] as number) + (offsets[i] as number);
  const fill = offsets.slice(0, n);
  const cols = new Int32Array(c.a.length * 2);
  const sims = new Float32Array(c.a.length * 2);
  for (let k = 0; k < c.a.length; k++) {
    const a = c.a[k] as number;
    const b = c.b[k] as number;
    const s = (c.count[k] as number) / Math.sqrt((count[a] as number) * (count[b] as number));
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      const at = fill[from] as number;
      cols[at] = to;
      sims[at] = s;
      fill[from] = at + 1;
    }
  }
  return { count, offsets, cols, sims };
}

export function pairNeighbourhood(c: PairCounts): Neighbourhood {
  const n = c.numItems;
  const { count, offsets, cols, sims } = pairCosines(c);
  const row = (i: number) => ({
    cols: cols.subarray(offsets[i], offsets[i + 1]),
    sims: sims.subarray(offsets[i], offsets[i + 1]),
  });
  return {
    numItems: n,
    itemCount: count,
    some: c.item.length > 0 || c.a.length > 0,
    scores(history, out) {
      const scores = out ?? new Float32Array(n);
      scores.fill(0);
      for (const { item, weight } of history) {
        if (!weight) continue;
        const r = row(item);
        for (let k = 0; k < r.cols.length; k++) {
          const j = r.cols[k] as number;
          scores[j] = (scores[j] as number) + weight * (r.sims[k] as number);
        }
      }
      return scores;
    },
    similarity(i, j) {
      const r = row(i);
      for (let k = 0; k < r.cols.length; k++) if (r.cols[k] === j) return r.sims[k] as number;
      return 0;
    },
  };
}
