/**
 * Item-kNN and the item space, each history item weighted by the evidence behind it: an item with n users lends
 * n/(n + EVIDENCE_SHRINK) of its weight to its kNN similarities and the rest to its item-space cosines. An item
 * bought once has one order's worth of co-purchases (noise), and leans on what it is; a well-rated movie keeps its
 * neighbours. The score of item j is  sum over history h of  w_h (a_h sim(h, j) + (1 - a_h) cos(h, j)),  so it
 * splits exactly into one share per history item (the reasons).
 */
import { contentScores, cosine } from './content';
import type { Neighbourhood, WeightedItem } from '../shared/neighbourhood';
import type { ItemSpace } from './item-space';

/** Users at which an item's kNN similarities and its item-space cosines weigh the same. */
export const EVIDENCE_SHRINK = 5;

/** The share of an item's weight that goes to its kNN similarities. */
export function knnShare(m: Neighbourhood, item: number): number {
  const n = m.itemCount[item] as number;
  return n / (n + EVIDENCE_SHRINK);
}

/** Scores every item for a weighted history (`out` reused when given). */
export function evidenceScores(
  m: Neighbourhood,
  space: ItemSpace,
  history: WeightedItem[],
  out?: Float32Array,
): Float32Array {
  const knn = m.scores(
    history.map(({ item, weight }) => ({ item, weight: weight * knnShare(m, item) })),
    out,
  );
  const alike = contentScores(
    space.vectors,
    space.dims,
    history.map(({ item, weight }) => ({ item, weight: weight * (1 - knnShare(m, item)) })),
  );
  for (let j = 0; j < knn.length; j++) knn[j] = (knn[j] as number) + (alike[j] as number);
  return knn;
}

/** Each history item's share of item j's score, largest first, with its kNN and item-space parts. */
export function evidenceContributions(
  m: Neighbourhood,
  space: ItemSpace,
  history: WeightedItem[],
  j: number,
): (WeightedItem & { knn: number; alike: number })[] {
  return history
    .map(({ item, weight }) => {
      const a = knnShare(m, item);
      const knn = weight * a * m.similarity(item, j);
      const alike = weight * (1 - a) * cosine(space.vectors, space.dims, item, j);
      return { item, weight: knn + alike, knn, alike };
    })
    .sort((x, y) => y.weight - x.weight);
}
