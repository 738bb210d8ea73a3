/** The sequential model's settings and version, apart from the trainer so the page can read them without loading tfjs. */
import { namedRecipe } from '../shared/recipes';

export const SEQUENTIAL_VERSION = 1;

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
 * How the sequential model is trained. 'quick' is what a first visit trains without a shipped model (under 2
 * minutes on WASM here); 'full' is cross-entropy over every item, steadier across seeds and better on the
 * validation split, for about 2.5 times the training time (docs/models.md "Sequential training budget"): the store ships
 * one trained by this recipe (scripts/build-store-models.mjs), and the Lab trains one on request.
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
    config: { ...DEFAULT_SEQUENTIAL, loss: 'full', epochs: 10 },
    description:
      "Self-attention over each MovieLens user's last 50 movies in time order (SASRec-style, 1 block), predicting " +
      'the next one with cross-entropy over all 9,066 movies for 10 epochs; the epoch with the best validation ' +
      'NDCG@10 is kept.',
  },
};

export const SEQUENTIAL_RECIPE_NAMES = Object.keys(SEQUENTIAL_RECIPES) as SequentialRecipe[];

/** The recipe named, or an error that lists the sequential model's recipes. */
export const sequentialRecipe = (name: unknown): SequentialRecipe =>
  namedRecipe(SEQUENTIAL_RECIPE_NAMES, name, "the sequential model's");
