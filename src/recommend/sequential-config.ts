/** The sequential model's settings and version, apart from the trainer so the page can read them without loading tfjs. */
import { namedRecipe } from '../shared/recipes';

export const SEQUENTIAL_VERSION = 1;

/** The block tensors that SASRec-CE's layers add (SequentialConfig.peerLayers). */
export const PEER_BLOCK_TENSORS = ['bq', 'bk', 'bv', 'wo', 'bo'] as const;

export interface SequentialConfig {
  /** Embedding and hidden width. */
  dim: number;
  /** Steps of history the model reads. */
  maxLen: number;
  /** Self-attention blocks. */
  blocks: number;
  epochs: number;
  /** Windows per batch. */
  batchSize: number;
  learningRate: number;
  /**
   * 'sampled': a softmax over the target and `negatives` items drawn per batch (with the log-q correction);
   * 'full': cross-entropy over every item of the catalog (SASRec with full cross-entropy, Klenitskiy & Vasilev,
   * RecSys 2023), one [positions x dim] x [dim x items] product per step.
   */
  loss: 'sampled' | 'full';
  /** Negatives per batch for the sampled softmax, shared by its positions. */
  negatives: number;
  /** Negatives are drawn in proportion to (count + 1)^negativePower (0: uniformly). */
  negativePower: number;
  dropout: number;
  seed: number;
  /**
   * Which windows an epoch trains on: 'all', every `maxLen`-item window of each history (every transition once);
   * 'last', only the window ending at each user's last item (every user weighted alike, as the metric weights
   * them); 'recency', the last window always and each older one with probability recencyDecay^(its age in windows).
   */
  windows?: 'all' | 'last' | 'recency';
  recencyDecay?: number;
  /**
   * SASRec-CE's layer shapes (Klenitskiy & Vasilev 2023, after SASRec.pytorch): biased Q/K/V with an output
   * projection after attention, item embeddings scaled by sqrt(dim) and initialised at std `embeddingStd`, no item
   * bias. Absent: HushCart's own (unbiased Q/K/V, no projection, an item bias, embeddings at std sqrt(1/dim)).
   */
  peerLayers?: boolean;
  embeddingStd?: number;
  /** Adam's second-moment decay (default 0.98). */
  adamBeta2?: number;
  /** An exponential moving average of the weights with this decay per step is what is validated and kept. */
  ema?: number;
  /** Validate every this many epochs (and after the last; default 1). */
  validateEvery?: number;
  /** Stop once this many epochs have passed since the best validation (default: run every epoch). */
  patience?: number;
  /**
   * Models trained, each with its own seed (memberSeed), and served as one: their next-item scores averaged
   * (SequentialEnsemble in ./sequential-scorer.ts). Default 1.
   */
  ensemble?: number;
  /**
   * Set by the quality protocol (./protocol.ts): `epochs` is the count it chose, so a training runs exactly that
   * many on the whole training split (no validation hold-out, no epoch picked), and For you serves `blend`, the
   * weights the protocol chose. Absent: the epoch with the best validation NDCG@10 is kept, and the weights are
   * chosen on validation after the training.
   */
  chosen?: {
    blend: { knn: number; bpr: number; sequential: number };
    /** How long the validation curves it was chosen from ran (the protocol runs them that long again). */
    curveEpochs: number;
  };
}

/**
 * Chosen on MovieLens with the validation split (each training sequence's last item), on wasm here: one block
 * trains about twice as fast as two; batches of 32 windows with learning rate 0.01 reach in 10 epochs what 0.005
 * reached in 16; popularity-drawn negatives (power 0.75) with the log-q correction beat uniform ones by far
 * (validation NDCG@10 after 8 epochs 0.011 uniform, 0.04-0.05 popularity-drawn).
 */
export const DEFAULT_SEQUENTIAL: SequentialConfig = {
  dim: 64,
  maxLen: 50,
  blocks: 1,
  epochs: 15,
  batchSize: 32,
  learningRate: 0.01,
  loss: 'sampled',
  negatives: 512,
  negativePower: 0.75,
  dropout: 0.2,
  seed: 5,
};

/**
 * The strongest published peer on this split, SASRec trained with full cross-entropy, by the recipe of Klenitskiy &
 * Vasilev (RecSys 2023): 2 blocks with SASRec-CE's layers, 64-d, length 50, embeddings at std 0.02 scaled by
 * sqrt(64), pre-norm, Adam 1e-3 (beta2 0.999, PyTorch's), batches of 128 users with one window each (the last 51
 * training items), dropout 0.5, up to 200 epochs validated every 5 with patience 40. A row of the evaluation
 * protocol (./protocol.ts), not a recipe the store trains.
 */
export const SASREC_CE: SequentialConfig = {
  dim: 64,
  maxLen: 50,
  blocks: 2,
  epochs: 200,
  batchSize: 128,
  learningRate: 1e-3,
  loss: 'full',
  negatives: 0,
  negativePower: 0,
  dropout: 0.5,
  seed: 1,
  windows: 'last',
  peerLayers: true,
  embeddingStd: 0.02,
  adamBeta2: 0.999,
  validateEvery: 5,
  patience: 40,
};

/**
 * How the sequential model is trained. 'quick' is what a first visit trains without a shipped model (under 2
 * minutes on WASM here); 'full' is cross-entropy over every item, better on validation (0.068 against 0.063 at the
 * peak), for about 2.5 times the training time, three such trainings averaged (0.080), its epochs and weights chosen
 * by the quality protocol: the store ships one trained by this recipe (scripts/build-models.mjs), and the Lab trains
 * one on request.
 */
export type SequentialRecipe = 'quick' | 'full';

export const SEQUENTIAL_RECIPES: Record<SequentialRecipe, { config: SequentialConfig; description: string }> = {
  quick: {
    config: DEFAULT_SEQUENTIAL,
    description:
      "Self-attention over each MovieLens user's last 50 movies in time order (SASRec-style, 1 block), predicting " +
      'the next one with a sampled softmax (512 negatives) for 15 epochs; the epoch with the best validation ' +
      'NDCG@10 is kept.',
  },
  full: {
    // Chosen by the quality protocol (docs/models.md "Quality protocol", 2026-12-03): the peak of the validation
    // curve averaged over 3 seeds (14 epochs each), and For you's weights cross-fitted on the same queries; three
    // trainings averaged (validation NDCG@10 0.0797 for the three validation models served as one, 0.0682 for one).
    config: {
      ...DEFAULT_SEQUENTIAL,
      loss: 'full',
      epochs: 11,
      ensemble: 3,
      chosen: { blend: { knn: 0.5, bpr: 0, sequential: 1 }, curveEpochs: 14 },
    },
    description:
      "Self-attention over each MovieLens user's last 50 movies in time order (SASRec-style, 1 block), predicting " +
      'the next one with cross-entropy over all 9,066 movies: three trainings (seeds) served as one, their scores ' +
      'averaged, each for the 11 epochs the quality protocol chose (validation curves over 3 seeds), with the For ' +
      'you weights it chose, on every training rating.',
  },
};

/** The seed of an ensemble's `member`-th model (0: the recipe's own seed). */
export const memberSeed = (seed: number, member: number): number => seed + 1000 * member;

export const SEQUENTIAL_RECIPE_NAMES = Object.keys(SEQUENTIAL_RECIPES) as SequentialRecipe[];

/** The recipe named, or an error that lists the sequential model's recipes. */
export const sequentialRecipe = (name: unknown): SequentialRecipe =>
  namedRecipe(SEQUENTIAL_RECIPE_NAMES, name, "the sequential model's");
