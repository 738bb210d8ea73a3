/**
 * The visual-search side of the engine: loads the Fashion-MNIST training images and the catalog's pictures in
 * the worker, trains the embedder (keeping the epoch with the best validation accuracy), embeds the catalog
 * once (or takes the embeddings cached on this device), answers photo and "more like this" queries, and runs
 * the evaluation (trained embedder and raw pixels side by side).
 */
import { fetchBytes, type Fetcher } from '../catalog/fetch';
import { keepBestEpoch, type TrainContext } from '../runtime/epochs';
import { HushCartError } from '../errors';
import {
  Embedder,
  IMAGE_SIZE,
  trainEmbedder,
  type EmbedderTrainResult,
  type EmbedderWeights,
  type Reference,
} from './cnn';
import { throwIfCancelled } from '../runtime/jobs';
import type { Progress } from '../runtime/types';
import { embedderRecipe, RECIPES, type EmbedderRecipe } from './cnn-config';
import { decodePhoto } from './decode';
import { prepare } from './preprocess';
import { EmbeddingIndex, normalizeRows, precisionAtK, retrievalVectors } from './search';
import type { CatalogEmbeddings } from './contract';
/** Catalog pictures embedded per step (each is one step the worker cannot interrupt). */
const EMBED_BATCH = 16;

export type { CatalogEmbeddings };

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
  /** More training pictures, for the full recipe. */
  extra?: { images: string; labels: string };
}

interface TrainingPictures {
  images: Uint8Array;
  labels: Uint8Array;
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
/** The evaluation row's name for the embedder in service: which recipe made it shows in its shape. */
export const trainedName = (w: EmbedderWeights): string => `${TRAINED}, ${w.fine ? 'full' : 'quick'} recipe`;
export const RAW = 'raw pixels (cosine)';

export class VisionService {
  private source: { urls: VisionTrainUrls; fetcher?: Fetcher } | null = null;
  private train: Promise<TrainingPictures> | null = null;
  private extra: Promise<TrainingPictures> | null = null;
  private catalog: VisionCatalog | null = null;
  private embedder: Embedder | null = null;
  /** New weights waiting for their catalog embeddings; until then the embedder and index in service answer. */
  private next: Embedder | null = null;
  private index: EmbeddingIndex | null = null;
  private probs: Float32Array | null = null;

  /** Where the training pictures are; they are fetched only when training (10 MB that a return visit never needs). */
  setTrainingSource(urls: VisionTrainUrls, fetcher?: Fetcher): void {
    this.source = { urls, ...(fetcher ? { fetcher } : {}) };
    this.train = null;
    this.extra = null;
  }

  /** The shipped training pictures (fetched once, on first use): the balanced set, or the extra ones. */
  private trainingData(which: 'main' | 'extra'): Promise<TrainingPictures> {
    const src = this.source;
    if (!src) return Promise.reject(new HushCartError('api/not-ready', 'the training images are not known'));
    const files = which === 'main' ? src.urls : src.urls.extra;
    if (!files)
      return Promise.reject(new HushCartError('catalog/not-found', 'this catalog ships no extra training pictures'));
    const cached = which === 'main' ? this.train : this.extra;
    if (cached) return cached;
    const p = (async () => {
      const { fetcher } = src;
      const [images, labels] = await Promise.all([
        fetchBytes(files.images, fetcher),
        fetchBytes(files.labels, fetcher),
      ]);
      if (images.length !== labels.length * PX || labels.some((l) => l >= src.urls.classes.length))
        throw new HushCartError('catalog/invalid', `${files.images}: expected ${labels.length} labelled 28x28 images`);
      return { images, labels };
    })();
    if (which === 'main') this.train = p;
    else this.extra = p;
    p.catch(() => (which === 'main' ? (this.train = null) : (this.extra = null)));
    return p;
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

  /**
   * Trains by a recipe on all but every tenth of the balanced training pictures (those choose the epoch kept),
   * plus, for the full recipe, every extra picture.
   */
  async trainEmbedder(
    recipe: EmbedderRecipe,
    overrides: { epochs?: number },
    ctx: Omit<TrainContext<EmbedderWeights>, 'afterEpoch'>,
  ): Promise<EmbedderTrainResult> {
    const spec = RECIPES[embedderRecipe(recipe)];
    const config = { ...spec.config, ...overrides };
    const [t, extra] = await Promise.all([
      this.trainingData('main'),
      spec.allPictures ? this.trainingData('extra') : null,
    ]);
    const classes = this.classes.length;
    const n = t.labels.length;
    const trainIdx: number[] = [];
    const valIdx: number[] = [];
    for (let k = 0; k < n; k++) (k % 10 === 9 ? valIdx : trainIdx).push(k);
    const pick = (idx: number[], more?: TrainingPictures) => {
      const m = more?.labels.length ?? 0;
      const images = new Uint8Array((idx.length + m) * PX);
      idx.forEach((k, r) => images.set(t.images.subarray(k * PX, (k + 1) * PX), r * PX));
      const labels = new Uint8Array(idx.length + m);
      idx.forEach((k, r) => (labels[r] = t.labels[k] as number));
      if (more) {
        images.set(more.images, idx.length * PX);
        labels.set(more.labels, idx.length);
      }
      return { images, labels };
    };
    const tr = pick(trainIdx, extra ?? undefined);
    this.extra = null; // copied into tr: 28 MB the worker need not keep (fetched again, from the cache, if asked)
    const val = pick(valIdx);
    const valPixels = Float32Array.from(val.images, (v) => v / 255);
    const keep = keepBestEpoch(async (weights: EmbedderWeights) => {
      const m = new Embedder(weights);
      try {
        return accuracyOf((await m.embed(valPixels)).probs, val.labels, classes);
      } finally {
        m.dispose();
      }
    });
    // Training takes the bar to 95%; indexing the training pictures for the category vote, the rest.
    const report = ctx.onProgress;
    const result = await trainEmbedder(tr.images, tr.labels, classes, config, {
      jobId: ctx.jobId,
      signal: ctx.signal,
      ...(report ? { onProgress: (p: Progress) => report({ ...p, fraction: 0.95 * p.fraction }) } : {}),
      afterEpoch: keep.afterEpoch,
    });
    const chosen = keep.chosen(result.weights);
    const total = tr.labels.length;
    const reference = await this.referenceOf(chosen, tr, ctx, (done) =>
      report?.({
        jobId: ctx.jobId,
        fraction: 0.95 + 0.05 * (done / total),
        message: `indexing the training pictures for the category vote: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`,
      }),
    );
    const weights = { ...chosen, reference };
    this.use(weights);
    return { ...result, weights };
  }

  /** The training pictures' embeddings (one view each) with their labels: the category vote's reference. */
  private async referenceOf(
    w: EmbedderWeights,
    pictures: TrainingPictures,
    { jobId, signal }: { jobId: string; signal: AbortSignal },
    onProgress: (done: number) => void,
  ): Promise<Reference> {
    const model = new Embedder(w); // w is fresh from training: it has no reference yet
    const n = pictures.labels.length;
    const embeddings = new Float32Array(n * w.embedding);
    try {
      for (let s = 0; s < n; s += 4096) {
        throwIfCancelled(signal, jobId);
        const c = Math.min(4096, n - s);
        const pixels = Float32Array.from(pictures.images.subarray(s * PX, (s + c) * PX), (v) => v / 255);
        embeddings.set((await model.embed(pixels, 512, undefined, false)).embeddings, s * w.embedding);
        onProgress(s + c);
      }
    } finally {
      model.dispose();
    }
    return { embeddings, labels: Int32Array.from(pictures.labels) };
  }

  /**
   * Serves these weights. While a catalog index is in service, the new weights wait for their own catalog
   * embeddings (embedCatalog / useCatalogEmbeddings) and the two change together: a query never compares
   * one model's embedding with another's.
   */
  use(w: EmbedderWeights): void {
    if (!this.index) {
      this.embedder?.dispose();
      this.embedder = new Embedder(w);
      return;
    }
    this.next?.dispose();
    this.next = new Embedder(w);
  }

  /** The weights the catalog is to be embedded with: the waiting ones, else those in service. */
  private incoming(): Embedder {
    const e = this.next ?? this.embedder;
    if (!e) throw new HushCartError('api/not-ready', 'the image model is not ready: it is loading or training');
    return e;
  }

  /** Embeds every catalog image (batched); returns embeddings and category probabilities for caching. */
  async embedCatalog(onProgress?: (fraction: number) => void): Promise<CatalogEmbeddings> {
    const embedder = this.incoming();
    const catalog = this.requireCatalog();
    // Small batches: a shopper's request waits at most for the one in progress (16 pictures x 5 views, about 30 ms on
    // WASM; 500 a batch held every request for about 800 ms while a 10,000-picture catalog was embedded).
    const { embeddings, probs } = await embedder.embed(catalog.pixels, EMBED_BATCH, onProgress);
    const out = { itemIds: catalog.itemIds, embeddings, probs, dims: embedder.weights.embedding };
    this.useCatalogEmbeddings(out);
    return out;
  }

  /** Serves catalog embeddings (computed here, or earlier on this device) with the weights that made them. */
  useCatalogEmbeddings(c: CatalogEmbeddings): void {
    const embedder = this.incoming();
    const catalog = this.requireCatalog();
    const E = embedder.weights.embedding;
    const n = catalog.itemIds.length;
    if (c.dims !== E || c.embeddings.length !== n * E || c.probs.length !== n * embedder.weights.classes)
      throw new HushCartError('api/invalid-argument', 'the cached image embeddings do not fit this catalog');
    const K = embedder.weights.classes;
    const index = new EmbeddingIndex(retrievalVectors(c.embeddings, E, c.probs, K), E + K);
    if (this.next) {
      this.embedder?.dispose();
      this.embedder = this.next;
      this.next = null;
    }
    this.index?.dispose();
    this.index = index;
    this.probs = c.probs;
  }

  private requireCatalog(): VisionCatalog {
    if (!this.catalog) throw new HushCartError('api/not-ready', 'the catalog images are not loaded');
    return this.catalog;
  }

  private require(): { embedder: Embedder; catalog: VisionCatalog } {
    if (!this.embedder)
      throw new HushCartError('api/not-ready', 'the image model is not ready: it is loading or training');
    return { embedder: this.embedder, catalog: this.requireCatalog() };
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
      (f) => onProgress?.(0.1 + 0.4 * f, trainedName(embedder.weights)),
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
        { model: trainedName(embedder.weights), precisionAt10: p10, accuracy },
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
