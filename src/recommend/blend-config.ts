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
 * With a sequential model saved before models carried their own weights (SequentialWeights.blend: each training
 * now chooses them on the validation split). The choice of the first shipped store model (docs/models.md "Evaluation",
 * 2026-12-01): 0.25 / 0 / 1 scored validation NDCG@10 0.0925 against 0.0715 for the equal weights served before.
 */
export const FOR_YOU_WEIGHTS: ForYouWeights = { knn: 0.25, bpr: 0, sequential: 1 };

/** The weights For you serves with this sequential model: its own, chosen after its training, else the defaults. */
export const servedWeights = (scorer: { w: { blend?: ForYouWeights } }): ForYouWeights =>
  scorer.w.blend ?? FOR_YOU_WEIGHTS;

/** Without a sequential model (not trained or loaded yet): item-kNN and the BPR-MF fold-in, equally. */
export const FOR_YOU_WITHOUT_SEQUENTIAL: ForYouWeights = { knn: 1, bpr: 1, sequential: 0 };

/** The weights as a list, in the order of BLEND_GRID and of the weight search's parts: kNN, fold-in, sequential. */
export const weightList = (w: ForYouWeights): number[] => [w.knn, w.bpr, w.sequential];

/** weightList's inverse. */
export const weightsOf = (list: ArrayLike<number>): ForYouWeights => ({
  knn: list[0] as number,
  bpr: list[1] as number,
  sequential: list[2] as number,
});

/** The values tried per part, in ForYouWeights' order; the sequential model's weight is the unit. */
export const BLEND_GRID: number[][] = [[0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3], [0, 0.25, 0.5, 0.75, 1, 1.5, 2], [1]];
