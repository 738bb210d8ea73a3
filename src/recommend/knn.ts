/**
 * Item-kNN on co-occurrence with cosine similarity (shared/neighbourhood.ts computes it from a raw matrix or from
 * a shop pack's released pair counts), and the split of a score into one share per history item.
 */
import type { Neighbourhood, WeightedItem } from '../shared/neighbourhood';
export { itemSimilarity, knnScores, type WeightedItem } from '../shared/neighbourhood';

/** How much each history item adds to item j's score, largest first (the "because you ..." of a result). */
export function contributions(m: Neighbourhood, history: WeightedItem[], j: number): WeightedItem[] {
  return history
    .map(({ item, weight }) => ({ item, weight: weight * m.similarity(item, j) }))
    .filter((c) => c.weight !== 0)
    .sort((a, b) => b.weight - a.weight);
}
