/** BPR-MF's settings and version, apart from the trainer so the page can read them without loading tfjs. */
export const BPR_VERSION = 1;

export interface BprConfig {
  dim: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  l2: number;
  seed: number;
}

/** Chosen on MovieLens (see docs/models.md "Evaluation"): 10 epochs; L2 1e-3 was better than 1e-4 for the hybrid. */
export const DEFAULT_BPR: BprConfig = { dim: 32, epochs: 10, batchSize: 2048, learningRate: 0.01, l2: 1e-3, seed: 11 };
