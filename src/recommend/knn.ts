/**
 * Item-kNN on co-occurrence with cosine similarity: sim(i, j) = c_ij / sqrt(n_i n_j), where c_ij counts users
 * who interacted with both. A weighted history h scores every item j as sum_i h_i sim(i, j), computed without
 * the item-item matrix: first the user vector a = (h / sqrt(n)) X^T, then (a X) / sqrt(n). That is two sparse
 * passes (about the number of interactions), fast enough to re-rank after every shopper event.
 */
import { intersectCount, itemsOf, usersOf, type InteractionMatrix } from '../shared/interactions';

export interface WeightedItem {
  item: number;
  weight: number;
}

/** Scores every item for a weighted history. `out` is reused when given (length numItems). */
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

/** How much each history item adds to item j's score, largest first (the "because you ..." of a result). */
export function contributions(m: InteractionMatrix, history: WeightedItem[], j: number): WeightedItem[] {
  return history
    .map(({ item, weight }) => ({ item, weight: weight * itemSimilarity(m, item, j) }))
    .filter((c) => c.weight !== 0)
    .sort((a, b) => b.weight - a.weight);
}
