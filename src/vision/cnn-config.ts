/** The image embedder's settings, shape and version, apart from the trainer so the page can read them without loading tfjs. */
import { namedRecipe } from '../shared/recipes';

export const IMAGE_SIZE = 28;
// 4x4 patches (a 7x7 grid) measured 0.875 accuracy after 4 epochs at 42 s/epoch on wasm; 2x2 patches with a 14x14
// grid and pooling reached the same loss at twice the time per epoch, so the coarser grid stays.
export const PATCH = 4;
export const GRID = IMAGE_SIZE / PATCH; // 7
/** Cells of the grid that feed the embedding. */
export const CELLS = GRID * GRID; // 49

export const EMBEDDER_VERSION = 1;

export interface EmbedderConfig {
  channels: number;
  embedding: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Random shift of up to this many pixels. */
  shift: number;
  /** Chance of a left-right mirror (0: Fashion-MNIST shoes all point left, and mirrored ones cost accuracy). */
  mirror: number;
  /** Channels of a finer 14x14 stage in front of the 7x7 one (0: none; see cnn.ts). */
  fine: number;
  seed: number;
}

export const DEFAULT_EMBEDDER: EmbedderConfig = {
  channels: 64,
  embedding: 64,
  // With cosine decay, measured on 4,000 held-out training pictures: accuracy 0.887 after 5 epochs, 0.893 after 6
  // (0.875 after 4 without decay). Six is about 4.5 minutes on WASM here.
  epochs: 6,
  batchSize: 64,
  learningRate: 0.003,
  shift: 2,
  mirror: 0,
  fine: 0,
  seed: 9,
};

/**
 * How the embedder is trained. 'quick' is what a first visit trains (minutes on WASM); 'full' is the shopper's
 * choice from the Lab: the finer network on 57,600 of the 60,000 Fashion-MNIST training pictures (the extra
 * 36,000 are fetched only then), for over three times the quick recipe's training time on WASM (about 20 minutes
 * here; far less on a GPU, not measured here).
 */
export type EmbedderRecipe = 'quick' | 'full';

export interface RecipeSpec {
  config: EmbedderConfig;
  /** Train on the extra training pictures too (not only the balanced 24,000 every visit has). */
  allPictures: boolean;
  /** What it is, for the Lab. */
  description: string;
}

export const RECIPES: Record<EmbedderRecipe, RecipeSpec> = {
  quick: {
    config: DEFAULT_EMBEDDER,
    allPictures: false,
    description:
      'A compact CNN (4×4 patches, a 3×3 convolution with a skip, a 64-d embedding) trained on 21,600 ' +
      'Fashion-MNIST training pictures with their categories; the epoch with the best validation accuracy is kept.',
  },
  full: {
    config: { ...DEFAULT_EMBEDDER, fine: 32, epochs: 3 },
    allPictures: true,
    description:
      'The full recipe: a finer first stage (2×2 patches, a 3×3 convolution over a 14×14 grid, 32 channels) in ' +
      'front of the compact CNN, trained on 57,600 Fashion-MNIST training pictures; the epoch with the best ' +
      'validation accuracy is kept.',
  },
};

export const EMBEDDER_RECIPES = Object.keys(RECIPES) as EmbedderRecipe[];

/** The recipe named, or an error for the caller that lists the image embedder's recipes. */
export const embedderRecipe = (name: unknown): EmbedderRecipe =>
  namedRecipe(EMBEDDER_RECIPES, name, "the image embedder's");
