/** The baseline rankers every recommender is measured against, in the evaluation protocol's terms. */
import type { Ranker } from '../eval/ranking';
import { knnScores } from './knn';

export const popularityRanker: Ranker = {
  name: 'popularity',
  score: (_u, split, out) => out.set(split.train.itemCount),
};

/** Item-kNN scored from the user's whole training history. */
export const knnHistoryRanker: Ranker = {
  name: 'item-kNN (whole history)',
  score: (u, split, out) => {
    knnScores(
      split.train,
      (split.sequences[u] ?? []).map((item) => ({ item, weight: 1 })),
      out,
    );
  },
};

/** Item-kNN from the last item alone: strong on MovieLens, where users rate in sessions. */
export const knnLastItemRanker: Ranker = {
  name: 'item-kNN (last item)',
  score: (u, split, out) => {
    const seq = split.sequences[u] ?? [];
    const last = seq[seq.length - 1];
    knnScores(split.train, last === undefined ? [] : [{ item: last, weight: 1 }], out);
  },
};

/** Item-kNN from the last `n` items, more recent ones weighted more. */
export function knnRecentRanker(n: number, decay: number): Ranker {
  return {
    name: `item-kNN (last ${n}, decay ${decay})`,
    score: (u, split, out) => {
      const seq = split.sequences[u] ?? [];
      const recent = seq.slice(-n);
      knnScores(
        split.train,
        recent.map((item, k) => ({ item, weight: decay ** (recent.length - 1 - k) })),
        out,
      );
    },
  };
}
