/**
 * Visual search's part of the public API: what the page (api/, app/, widget/) may know of this capability. Plain
 * types and the configuration constants the page needs; no tfjs (dependency-cruiser keeps the page on this file).
 */
import { boundedInt, options } from '../shared/args';
export { CELLS, EMBEDDER_RECIPES, EMBEDDER_VERSION, embedderRecipe, RECIPES, type EmbedderRecipe } from './cnn-config';

/** Trained weights as plain arrays. */
export interface EmbedderWeights {
  channels: number;
  embedding: number;
  classes: number;
  fine?: FineStage;
  patch: Float32Array; // [16, C], or [4F, C] after a fine stage
  patchBias: Float32Array; // [C]
  conv: Float32Array; // [9C, C]
  convBias: Float32Array; // [C]
  project: Float32Array; // [49C, E]
  projectBias: Float32Array; // [E]
  classify: Float32Array; // [E, K]
  classifyBias: Float32Array; // [K]
  /** The training pictures' normalised embeddings [R, E] and labels: the nearest ones vote on the category. */
  reference?: Reference;
}

/** The 14x14 stage of the full recipe. */
export interface FineStage {
  channels: number; // F
  stem: Float32Array; // [4, F]
  stemBias: Float32Array; // [F]
  conv: Float32Array; // [9F, F]
  convBias: Float32Array; // [F]
}

export interface Reference {
  embeddings: Float32Array;
  labels: Int32Array;
}

export interface CatalogEmbeddings {
  itemIds: string[];
  /** [n, dims], L2-normalised. */
  embeddings: Float32Array;
  /** [n, classes] category probabilities. */
  probs: Float32Array;
  dims: number;
}

/**
 * Where the worker finds the catalog's pictures: tiles of a sprite (28x28, one per item), or each item's own
 * picture by URL (same origin, data: or blob:; any size and colour the browser decodes), or both.
 */
export interface VisionCatalogSource {
  itemIds: string[];
  /** Category index per item (into the training classes), -1 when unknown. */
  labels: number[];
  /** Per item: its sprite tile, or its picture's URL. */
  pictures: ({ tile: number } | { url: string })[];
  spriteUrl?: string;
  sprite?: { tileWidth: number; tileHeight: number; columns: number; count: number };
}

/** The options of `searchImage()` and `moreLikeThis()`. */
export const ImageSearchOptions = options({ limit: boundedInt(1, 100, 12) }, 'the picture search');
