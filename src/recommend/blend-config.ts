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

/**
 * With the sequential model: chosen on the validation split by `HushCart.diagnostics.tuneBlend()` over BLEND_GRID,
 * with the store's shipped sequential model (README "Evaluation", 2026-12-01): 0.25 / 0 / 1 scored validation
 * NDCG@10 0.0925 against 0.0715 for the equal weights served before, and BPR-MF's fold-in lowered every
 * combination it joined. On the test items (measured once, after the choice) 0.0710 against 0.0669.
 */
export const FOR_YOU_WEIGHTS: ForYouWeights = { knn: 0.25, bpr: 0, sequential: 1 };

/** Without a sequential model (not trained or loaded yet): item-kNN and the BPR-MF fold-in, equally. */
export const FOR_YOU_WITHOUT_SEQUENTIAL: ForYouWeights = { knn: 1, bpr: 1, sequential: 0 };

/** The values tried per part, in ForYouWeights' order; the sequential model's weight is the unit. */
export const BLEND_GRID: number[][] = [[0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3], [0, 0.25, 0.5, 0.75, 1, 1.5, 2], [1]];
