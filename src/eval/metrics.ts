/**
 * Ranking and prediction metrics shared by every capability's evaluation. Ranking follows one protocol:
 * scores over all candidate items, items the user already has excluded, and ties broken by one fixed
 * permutation of the items (the same for every model), so a model gains nothing from tied scores.
 */
import { mulberry32, permutation } from '../runtime/random';

/** A seeded tie-break order: tieRank[item] = position of the item in a fixed random permutation. */
export function tieBreakRanks(numItems: number, seed: number): Int32Array {
  const perm = permutation(numItems, mulberry32(seed));
  const rank = new Int32Array(numItems);
  perm.forEach((item, pos) => (rank[item] = pos));
  return rank;
}

/** True when item a ranks before item b: higher score, or equal score and earlier in the tie-break order. */
const before = (scores: ArrayLike<number>, tie: Int32Array, a: number, b: number) => {
  const sa = scores[a] as number;
  const sb = scores[b] as number;
  return sa > sb || (sa === sb && (tie[a] as number) < (tie[b] as number));
};

/** 0-based rank of `target` among all items not excluded. */
export function rankOf(scores: ArrayLike<number>, target: number, excluded: Uint8Array, tie: Int32Array): number {
  let rank = 0;
  for (let j = 0; j < scores.length; j++) if (j !== target && !excluded[j] && before(scores, tie, j, target)) rank++;
  return rank;
}

/** The k best items not excluded, best first, without sorting the whole list (a bounded insertion list). */
export function topK(scores: ArrayLike<number>, k: number, excluded: Uint8Array | null, tie: Int32Array): number[] {
  const best: number[] = [];
  for (let j = 0; j < scores.length; j++) {
    if (excluded?.[j]) continue;
    if (best.length === k && !before(scores, tie, j, best[k - 1] as number)) continue;
    let p = best.length === k ? k - 1 : best.length;
    if (best.length < k) best.push(j);
    while (p > 0 && before(scores, tie, j, best[p - 1] as number)) {
      best[p] = best[p - 1] as number;
      p--;
    }
    best[p] = j;
  }
  return best;
}

/** Hit rate at k for one held-out item at `rank` (equals recall@k with one relevant item). */
export const hitAt = (rank: number, k: number): number => (rank < k ? 1 : 0);
/** NDCG at k with one relevant item: the ideal DCG is 1. */
export const ndcgAt = (rank: number, k: number): number => (rank < k ? 1 / Math.log2(rank + 2) : 0);
export const reciprocalRank = (rank: number): number => 1 / (rank + 1);

/** Precision, recall and F1 of a recommended list against a set of relevant items. */
export function precisionRecallF1(
  list: number[],
  relevant: Set<number>,
): { precision: number; recall: number; f1: number } {
  const hits = list.filter((i) => relevant.has(i)).length;
  const precision = list.length ? hits / list.length : 0;
  const recall = relevant.size ? hits / relevant.size : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

export function mse(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  if (pred.length !== truth.length || pred.length === 0)
    throw new Error('mse: arrays must be non-empty and equal in length');
  let s = 0;
  for (let k = 0; k < pred.length; k++) s += ((pred[k] as number) - (truth[k] as number)) ** 2;
  return s / pred.length;
}

/** Share of the catalog that appears in at least one list. */
export function coverage(lists: number[][], numItems: number): number {
  const seen = new Set<number>();
  for (const l of lists) for (const i of l) seen.add(i);
  return numItems ? seen.size / numItems : 0;
}

/** Mean pairwise distance within a list (intra-list diversity), for a given item distance. */
export function intraListDiversity(list: number[], distance: (a: number, b: number) => number): number {
  let sum = 0;
  let pairs = 0;
  for (let a = 0; a < list.length; a++)
    for (let b = a + 1; b < list.length; b++) {
      sum += distance(list[a] as number, list[b] as number);
      pairs++;
    }
  return pairs ? sum / pairs : 0;
}

/** Jaccard distance between two tag sets (e.g. movie genres). */
export function jaccardDistance(a: readonly string[], b: readonly string[]): number {
  if (!a.length && !b.length) return 0;
  const sa = new Set(a);
  let inter = 0;
  for (const x of new Set(b)) if (sa.has(x)) inter++;
  return 1 - inter / (sa.size + new Set(b).size - inter);
}
