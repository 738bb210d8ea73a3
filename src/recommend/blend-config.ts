/**
 * The weights of For you's parts where a pack has trained models: each part's scores are standardised over the
 * items, weighted, and added. Apart from the recommender so the evaluation and the tuning read the same numbers.
 */
export interface ForYouWeights {
  /** item-kNN over the last RECENT_KNN items, decayed. */
  knn: number;
  /** BPR-MF folded in from the whole history. */
  bpr: number;
  /** The sequential model over the last maxLen items. */
  sequential: number;
}

/** Chosen on the validation split by `HushCart.diagnostics.tuneBlend()` (README "Evaluation"). */
export const FOR_YOU_WEIGHTS: ForYouWeights = { knn: 1, bpr: 1, sequential: 1 };

/** The values tried per part, in ForYouWeights' order; the sequential model's weight is the unit. */
export const BLEND_GRID: number[][] = [[0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3], [0, 0.25, 0.5, 0.75, 1, 1.5, 2], [1]];
