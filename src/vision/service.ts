/**
 * The visual-search side of the engine: loads the Fashion-MNIST training images and the catalog's pictures in
 * the worker, trains the embedder (keeping the epoch with the best validation accuracy), embeds the catalog
 * once (or takes the embeddings cached on this device), answers photo and "more like this" queries, and runs
 * the evaluation (trained embedder and raw pixels side by side).
 */
import { fetchBytes, type Fetcher } from '../catalog/fetch';
import { keepBestEpoch, type TrainContext } from '../engine/epochs';
import { HushCartError } from '../errors';
import {
  Embedder,
  IMAGE_SIZE,
  trainEmbedder,
  type EmbedderConfig,
  type EmbedderTrainResult,
  type EmbedderWeights,
} from './cnn';
import { decodePhoto } from './decode';
import { prepare } from './preprocess';
import { EmbeddingIndex, normalizeRows, precisionAtK, retrievalVectors } from './search';

const PX = IMAGE_SIZE * IMAGE_SIZE;

export interface VisionCatalog {
  itemIds: string[];
  /** Category index of each item (into `classes`), -1 when unknown. */
  labels: Int32Array;
  /** [n, 784] floats 0..1, light object on dark. */
  pixels: Float32Array;
}

export interface VisionTrainUrls {
  images: string;
  labels: string;
  classes: string[];
}

export interface CatalogEmbeddings {
  itemIds: string[];
  /** [n, dims], L2-normalised. */
  embeddings: Float32Array;
  /** [n, classes] category probabilities. */
  probs: Float32Array;
  dims: number;
}

export interface ImageMatch {
  itemId: string;
  score: number;
}

export interface ImageSearchResult {
  category: string;
  confidence: number;
  results: ImageMatch[];
  /** The 28x28 image the model saw (0..255, light on dark), for the shopper to check. */
  processed: Uint8Array;
  inverted: boolean;
  ms: { decode: number; embed: number; search: number; total: number };
}

export interface VisionEvaluation {
  rows: { model: string; precisionAt10: number; accuracy: number | null }[];
  queries: number;
  /** One photo query from a decoded test image (preprocess + embed + search), p50/p95 over the runs. */
  queryMs: { p50: number; p95: number; runs: number };
}

export const TRAINED = 'CNN embedder (trained here)';
export const RAW = 'raw pixels (cosine)';

export class VisionService {
  private source: { urls: VisionTrainUrls; fetcher?: Fetcher } | null = null;
  private train: Promise<{ images: Uint8Array; labels: Uint8Array; classes: string[] }> | null = null;
  private catalog: VisionCatalog | null = null;
  private embedder: Embedder | null = null;
  private index: EmbeddingIndex | null = null;
  private probs: Float32Array | null = null;

  /** Where the training pictures are; they are fetched only when training (10 MB that a return visit never needs). */
  setTrainingSource(urls: VisionTrainUrls, fetcher?: Fetcher): void {
    this.source = { urls, ...(fetcher ? { fetcher } : {}) };
    this.train = null;
  }

  private trainingData(): Promise<{ images: Uint8Array; labels: Uint8Array; classes: string[] }> {
    const src = this.source;
    if (!src) return Promise.reject(new HushCartError('api/not-ready', 'the training images are not known'));
    this.train ??= (async () => {
      const { urls, fetcher } = src;
      const [images, labels] = await Promise.all([fetchBytes(urls.images, fetcher), fetchBytes(urls.labels, fetcher)]);
      if (images.length !== labels.length * PX)
        throw new HushCartError('catalog/invalid', `${urls.images}: expected ${labels.length} images of 28x28`);
      return { images, labels, classes: urls.classes };
    })();
    this.train.catch(() => (this.train = null));
    return this.train;
  }

  setCatalog(c: VisionCatalog): void {
    if (c.pixels.length !== c.itemIds.length * PX || c.labels.length !== c.itemIds.length)
      throw new HushCartError('catalog/invalid', 'the catalog images do not match its items');
    this.catalog = c;
    this.index?.dispose();
    this.index = null;
  }

  get classes(): string[] {
    return this.source?.urls.classes ?? [];
  }

  /** Trains on all but every tenth training image; those choose the epoch kept. */
  async trainEmbedder(
    config: EmbedderConfig,
    ctx: Omit<TrainContext<EmbedderWeights>, 'afterEpoch'>,
  ): Promise<EmbedderTrainResult> {
    const t = await this.trainingData();
    const n = t.labels.length;
    const trainIdx: number[] = [];
    const valIdx: number[] = [];
    for (let k = 0; k < n; k++) (k % 10 === 9 ? valIdx : trainIdx).push(k);
    const pick = (idx: number[]) => {
      const images = new Uint8Array(idx.length * PX);
      idx.forEach((k, r) => images.set(t.images.subarray(k * PX, (k + 1) * PX), r * PX));
      return { images, labels: Uint8Array.from(idx, (k) => t.labels[k] as number) };
    };
    const tr = pick(trainIdx);
    const val = pick(valIdx);
    const valPixels = Float32Array.from(val.images, (v) => v / 255);
    const keep = keepBestEpoch(async (weights: EmbedderWeights) => {
      const m = new Embedder(weights);
      try {
        return accuracyOf((await m.embed(valPixels)).probs, val.labels, t.classes.length);
      } finally {
        m.dispose();
      }
    });
    const result = await trainEmbedder(tr.images, tr.labels, t.classes.length, config, {
      ...ctx,
      afterEpoch: keep.afterEpoch,
    });
    const chosen = keep.chosen(result.weights);
    this.use(chosen);
    return { ...result, weights: chosen };
  }

  use(w: EmbedderWeights): void {
    this.embedder?.dispose();
    this.embedder = new Embedder(w);
    this.index?.dispose();
    this.index = null;
  }

  /** Embeds every catalog image (batched); returns embeddings and category probabilities for caching. */
  async embedCatalog(onProgress?: (fraction: number) => void): Promise<CatalogEmbeddings> {
    const { embedder, catalog } = this.require();
    const { embeddings, probs } = await embedder.embed(catalog.pixels, 500, onProgress);
    const out = { itemIds: catalog.itemIds, embeddings, probs, dims: embedder.weights.embedding };
    this.useCatalogEmbeddings(out);
    return out;
  }

  /** Serves embeddings computed earlier on this device. */
  useCatalogEmbeddings(c: CatalogEmbeddings): void {
    const { embedder, catalog } = this.require();
    const E = embedder.weights.embedding;
    const n = catalog.itemIds.length;
    if (c.dims !== E || c.embeddings.length !== n * E || c.probs.length !== n * embedder.weights.classes)
      throw new HushCartError('api/invalid-argument', 'the cached image embeddings do not fit this catalog');
    this.index?.dispose();
    const K = embedder.weights.classes;
    this.index = new EmbeddingIndex(retrievalVectors(c.embeddings, E, c.probs, K), E + K);
    this.probs = c.probs;
  }

  private require(): { embedder: Embedder; catalog: VisionCatalog } {
    if (!this.embedder)
      throw new HushCartError('api/not-ready', 'the image model is not ready: it is loading or training');
    if (!this.catalog) throw new HushCartError('api/not-ready', 'the catalog images are not loaded');
    return { embedder: this.embedder, catalog: this.catalog };
  }

  private requireIndex(): EmbeddingIndex {
    if (!this.index) throw new HushCartError('api/not-ready', 'the catalog images are not embedded yet');
    return this.index;
  }

  /** A photo (Blob/ImageBitmap) or 28x28 pixels -> category and the most similar catalog items. */
  async searchImage(input: Blob | ImageBitmap | Float32Array, limit: number): Promise<ImageSearchResult> {
    const { embedder, catalog } = this.require();
    const index = this.requireIndex();
    const t0 = performance.now();
    let pixels: Float32Array;
    let inverted = false;
    if (input instanceof Float32Array) {
      if (input.length !== PX) throw new HushCartError('api/invalid-argument', 'pixels must be 28x28');
      pixels = input;
    } else {
      const prepared = prepare(await decodePhoto(input));
      pixels = prepared.pixels;
      inverted = prepared.inverted;
    }
    const t1 = performance.now();
    const { embeddings, probs } = await embedder.embed(pixels);
    const query = retrievalVectors(embeddings, embedder.weights.embedding, probs, embedder.weights.classes);
    const t2 = performance.now();
    const { index: top, score } = await index.search(query, limit);
    const t3 = performance.now();
    const best = argmax(probs, 0, probs.length);
    return {
      category: this.classes[best] ?? String(best),
      confidence: probs[best] as number,
      results: Array.from(top, (j, r) => ({ itemId: catalog.itemIds[j] as string, score: score[r] as number })),
      processed: Uint8Array.from(pixels, (v) => Math.round(v * 255)),
      inverted,
      ms: { decode: t1 - t0, embed: t2 - t1, search: t3 - t2, total: t3 - t0 },
    };
  }

  /** "More like this": the catalog items nearest one item's picture (itself left out). */
  async moreLike(itemId: string, limit: number): Promise<ImageMatch[]> {
    const { catalog } = this.require();
    const index = this.requireIndex();
    const r = catalog.itemIds.indexOf(itemId);
    if (r < 0) throw new HushCartError('api/invalid-argument', `no picture for item '${itemId}'`);
    const { index: top, score } = await index.search(await index.row(r), limit, Int32Array.of(r));
    return Array.from(top, (j, k) => ({ itemId: catalog.itemIds[j] as string, score: score[k] as number }));
  }

  /** Predicted category and confidence of a catalog item. */
  categoryOf(itemId: string): { category: string; confidence: number } | null {
    const c = this.catalog;
    const p = this.probs;
    if (!c || !p) return null;
    const r = c.itemIds.indexOf(itemId);
    if (r < 0) return null;
    const K = this.embedder?.weights.classes ?? 0;
    const best = argmax(p, r * K, K);
    return { category: this.classes[best] ?? String(best), confidence: p[r * K + best] as number };
  }

  /** Precision@10 (each catalog image queries the rest) for the embedder and raw pixels; test accuracy. */
  async evaluate(onProgress?: (fraction: number, step: string) => void): Promise<VisionEvaluation> {
    const { embedder, catalog } = this.require();
    const K = embedder.weights.classes;
    onProgress?.(0, 'embedding the catalog');
    const { embeddings, probs } = await embedder.embed(catalog.pixels, 500);
    const accuracy = accuracyOf(probs, catalog.labels, K);
    const p10 = await precisionAtK(
      retrievalVectors(embeddings, embedder.weights.embedding, probs, K),
      embedder.weights.embedding + K,
      catalog.labels,
      10,
      (f) => onProgress?.(0.1 + 0.4 * f, TRAINED),
    );
    const raw = await precisionAtK(normalizeRows(catalog.pixels, PX), PX, catalog.labels, 10, (f) =>
      onProgress?.(0.5 + 0.4 * f, RAW),
    );
    onProgress?.(0.9, 'query latency');
    const runs = 40;
    const times: number[] = [];
    for (let k = 0; k < runs; k++) {
      const r = (k * 251) % catalog.itemIds.length;
      const t0 = performance.now();
      await this.searchImage(catalog.pixels.slice(r * PX, (r + 1) * PX), 10);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return {
      rows: [
        { model: TRAINED, precisionAt10: p10, accuracy },
        { model: RAW, precisionAt10: raw, accuracy: null },
      ],
      queries: catalog.itemIds.length,
      queryMs: { p50: times[runs >> 1] as number, p95: times[Math.floor(runs * 0.95)] as number, runs },
    };
  }
}

/** Index (0..n-1) of the largest of x[offset .. offset + n). */
function argmax(x: Float32Array, offset: number, n: number): number {
  let best = 0;
  for (let k = 1; k < n; k++) if ((x[offset + k] as number) > (x[offset + best] as number)) best = k;
  return best;
}

/** Share of rows whose most probable class is the label. */
export function accuracyOf(probs: Float32Array, labels: ArrayLike<number>, K: number): number {
  let correct = 0;
  for (let r = 0; r < labels.length; r++) if (argmax(probs, r * K, K) === labels[r]) correct++;
  return correct / labels.length;
}
