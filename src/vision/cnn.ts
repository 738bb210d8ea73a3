/**
 * The product-image embedder: a compact CNN trained in the engine worker with tfjs on any backend, written
 * with reshapes, slices and matmuls only (tfjs-wasm 4.22 cannot differentiate conv2d: it has no
 * Conv2DBackpropFilter, and its conv3d route measured 1 s per batch here).
 *
 *   28x28 image -> 4x4 patches (7x7 of them) -> relu(P W1)             [49, C]   a stride-4 "patchify" convolution
 *   -> relu(3x3 convolution over the 7x7 grid, as one matmul) + skip  [49, C]
 *   -> flatten -> W3                                                  [E]       the embedding (L2-normalised)
 *   -> W4 -> softmax over the 10 categories                                     the category, with confidence
 *
 * The full recipe puts a finer stage in front (finer detail; 151 against 379 training pictures a second on WASM
 * here): 2x2 patches (14x14 of them) -> relu(P S) [196, F] -> relu(3x3 convolution) + skip -> each 2x2 block
 * of cells merged into one row of 4F [49, 4F], which W1 reads instead of 16 pixels.
 *
 * Trained with cross-entropy on the category labels (with light augmentation: random shifts); retrieval
 * uses cosine similarity between normalised embeddings.
 */
import * as tf from '@tensorflow/tfjs';
import { runEpochs, type TrainContext } from '../runtime/epochs';
import { slicer } from '../runtime/jobs';
import { matMul2d, ownedVariable } from '../runtime/ops';
import { gaussian } from '../runtime/random';
import { HushCartError } from '../errors';
import { IMAGE_SIZE, PATCH, GRID, CELLS, type EmbedderConfig } from './cnn-config';
import type { EmbedderWeights, FineStage, Reference } from './contract';
export type { EmbedderWeights, FineStage, Reference };

export { IMAGE_SIZE, PATCH, GRID, CELLS, EMBEDDER_VERSION, DEFAULT_EMBEDDER, type EmbedderConfig } from './cnn-config';

/**
 * The category vote: the 10 most similar training pictures, each weighted by exp(similarity / 0.1), give a
 * distribution over categories, averaged half and half with the classifier's. Measured on the Fashion-MNIST test
 * set (full recipe trained in Node on all 60,000 pictures): 0.902 accuracy from the classifier alone, 0.907 with
 * the vote; these settings were fixed before that measurement (from an earlier run on held-out training pictures).
 * In the browser (npm run bench): full recipe 0.906, quick 0.888 (0.884 without the vote in an earlier run).
 */
export const VOTE = { k: 10, temperature: 0.1, weight: 0.5 } as const;

type FineParams = { stem: tf.Tensor2D; stemBias: tf.Tensor1D; conv: tf.Tensor2D; convBias: tf.Tensor1D };

type Params = {
  fine?: FineParams;
  patch: tf.Tensor2D;
  patchBias: tf.Tensor1D;
  conv: tf.Tensor2D;
  convBias: tf.Tensor1D;
  project: tf.Tensor2D;
  projectBias: tf.Tensor1D;
  classify: tf.Tensor2D;
  classifyBias: tf.Tensor1D;
};

const NAMES = ['patch', 'patchBias', 'conv', 'convBias', 'project', 'projectBias', 'classify', 'classifyBias'] as const;
const FINE_NAMES = ['stem', 'stemBias', 'conv', 'convBias'] as const;

/** [B, G*s, G*s, ...] pixels or cells -> one row per s x s block: [B * G * G, s * s * depth]. */
function blocks(x: tf.Tensor, B: number, G: number, s: number, depth: number): tf.Tensor2D {
  return tf.reshape(tf.transpose(tf.reshape(x, [B, G, s, G, s, depth]), [0, 1, 3, 2, 4, 5]), [
    B * G * G,
    s * s * depth,
  ]);
}

/** relu(3x3 convolution, zero-padded, as one matmul over the stacked windows) + h, on a G x G grid of rows [B*G*G, C]. */
function convWithSkip(h: tf.Tensor2D, B: number, G: number, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  const C = h.shape[1];
  const grid = tf.pad(tf.reshape(h, [B, G, G, C]), [
    [0, 0],
    [1, 1],
    [1, 1],
    [0, 0],
  ]);
  const windows: tf.Tensor[] = [];
  for (let dy = 0; dy < 3; dy++)
    for (let dx = 0; dx < 3; dx++) windows.push(tf.slice(grid, [0, dy, dx, 0], [B, G, G, C]));
  const cols = tf.reshape(tf.concat(windows, 3), [B * G * G, 9 * C]) as tf.Tensor2D;
  return tf.add(tf.relu(tf.add(matMul2d(cols, w), b)), h);
}

/** What the 7x7 stage reads: 16 pixels per 4x4 patch, or (full recipe) the fine stage's 2x2 blocks of cells. */
function patchRows(p: Params, x: tf.Tensor2D): tf.Tensor2D {
  const B = x.shape[0];
  if (!p.fine) return blocks(x, B, GRID, PATCH, 1);
  const f = p.fine;
  const G = GRID * 2;
  const h0 = tf.relu(tf.add(matMul2d(blocks(x, B, G, 2, 1), f.stem), f.stemBias)) as tf.Tensor2D;
  const h = convWithSkip(h0, B, G, f.conv, f.convBias);
  return blocks(h, B, GRID, 2, f.stemBias.shape[0]);
}

/** Pixels [B, 784] (0..1, light object on dark) -> embeddings [B, E] (not normalised) and logits [B, K]. */
function forward(p: Params, x: tf.Tensor2D): { embedding: tf.Tensor2D; logits: tf.Tensor2D } {
  const B = x.shape[0];
  const h1 = tf.relu(tf.add(matMul2d(patchRows(p, x), p.patch), p.patchBias)) as tf.Tensor2D;
  const h2 = convWithSkip(h1, B, GRID, p.conv, p.convBias);
  const C = p.patchBias.shape[0];
  // The embedding is what the classifier reads (after its relu), so neighbours are close in the same terms.
  const embedding = tf.relu(tf.add(matMul2d(tf.reshape(h2, [B, CELLS * C]) as tf.Tensor2D, p.project), p.projectBias));
  const logits = tf.add(matMul2d(embedding as tf.Tensor2D, p.classify), p.classifyBias);
  return { embedding: embedding as tf.Tensor2D, logits: logits as tf.Tensor2D };
}

/** Every tensor of the parameters, in a fixed order (the fine stage's first). */
function paramList(p: Params): tf.Tensor[] {
  return [...(p.fine ? FINE_NAMES.map((k) => (p.fine as FineParams)[k]) : []), ...NAMES.map((k) => p[k])];
}

/** Weights from the values of paramList(p), in its order. */
function weightsFrom(p: Params, data: Float32Array[], classes: number): EmbedderWeights {
  const F = p.fine ? FINE_NAMES.length : 0;
  const main = Object.fromEntries(NAMES.map((k, i) => [k, data[F + i] as Float32Array])) as Record<
    (typeof NAMES)[number],
    Float32Array
  >;
  const w: EmbedderWeights = { channels: p.patchBias.shape[0], embedding: p.projectBias.shape[0], classes, ...main };
  if (p.fine) {
    const [stem, stemBias, conv, convBias] = data as [Float32Array, Float32Array, Float32Array, Float32Array];
    w.fine = { channels: p.fine.stemBias.shape[0], stem, stemBias, conv, convBias };
  }
  return w;
}

/** He-initialised variables (the convolutions at half scale: they add to a skip). */
function initialParams(config: EmbedderConfig, classes: number): Params {
  const { channels: C, embedding: E, fine: F, seed: s } = config;
  const he = (fanIn: number, shape: [number, number], seed: number, scale = 1) =>
    ownedVariable(
      tf.tensor2d(
        gaussian(shape[0] * shape[1], Math.sqrt(2 / fanIn), seed).map((v) => v * scale),
        shape,
      ),
    );
  const zeros = (n: number) => ownedVariable(tf.tensor1d(new Float32Array(n)));
  const rows = F > 0 ? 4 * F : PATCH * PATCH;
  return {
    ...(F > 0
      ? {
          fine: {
            stem: he(4, [4, F], s + 11),
            stemBias: zeros(F),
            conv: he(9 * F, [9 * F, F], s + 12, 0.5),
            convBias: zeros(F),
          },
        }
      : {}),
    patch: he(rows, [rows, C], s),
    patchBias: zeros(C),
    conv: he(9 * C, [9 * C, C], s + 1, 0.5),
    convBias: zeros(C),
    project: he(CELLS * C, [CELLS * C, E], s + 2),
    projectBias: zeros(E),
    classify: he(E, [E, classes], s + 3),
    classifyBias: zeros(classes),
  };
}

/** Adam whose learning rate can follow a schedule. */
class ScheduledAdam extends tf.AdamOptimizer {
  constructor(rate: number) {
    super(rate, 0.9, 0.999, 1e-7);
  }
  setRate(rate: number): void {
    this.learningRate = rate;
  }
}

/** A batch of training images, shifted and mirrored at random (seeded), as [B, 784] floats in 0..1. */
function augment(
  images: Uint8Array,
  idx: Int32Array,
  shift: number,
  mirrorP: number,
  rand: () => number,
): Float32Array {
  const n = IMAGE_SIZE * IMAGE_SIZE;
  const out = new Float32Array(idx.length * n);
  idx.forEach((k, r) => {
    const dx = Math.round((rand() * 2 - 1) * shift);
    const dy = Math.round((rand() * 2 - 1) * shift);
    const mirror = rand() < mirrorP;
    const src = k * n;
    for (let y = 0; y < IMAGE_SIZE; y++) {
      const sy = y - dy;
      if (sy < 0 || sy >= IMAGE_SIZE) continue;
      for (let x = 0; x < IMAGE_SIZE; x++) {
        let sx = x - dx;
        if (mirror) sx = IMAGE_SIZE - 1 - sx;
        if (sx < 0 || sx >= IMAGE_SIZE) continue;
        out[r * n + y * IMAGE_SIZE + x] = (images[src + sy * IMAGE_SIZE + sx] as number) / 255;
      }
    }
  });
  return out;
}

export interface EmbedderTrainResult {
  weights: EmbedderWeights;
  epochLoss: number[];
  ms: number;
  examplesPerSec: number;
}

/** Trains on `count` 28x28 gray images (bytes, light object on dark) with labels 0..classes-1. */
export async function trainEmbedder(
  images: Uint8Array,
  labels: Uint8Array,
  classes: number,
  config: EmbedderConfig,
  ctx: TrainContext<EmbedderWeights>,
): Promise<EmbedderTrainResult> {
  const n = labels.length;
  if (n === 0 || images.length !== n * IMAGE_SIZE * IMAGE_SIZE || labels.some((l) => l >= classes))
    throw new HushCartError('api/invalid-argument', 'the embedder needs 28x28 images with one label each');
  const t0 = performance.now();
  const s = config.seed;
  const p = initialParams(config, classes);
  const vars = paramList(p) as tf.Variable[];
  const optimizer = new ScheduledAdam(config.learningRate);
  const read = async (): Promise<EmbedderWeights> => {
    const data = (await Promise.all(vars.map((v) => v.data()))) as Float32Array[];
    return weightsFrom(p, data, classes);
  };
  try {
    const epochLoss = await runEpochs({
      n,
      epochs: config.epochs,
      batchSize: config.batchSize,
      seed: s,
      yieldEvery: 2,
      jobId: ctx.jobId,
      signal: ctx.signal,
      ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}),
      step: (idx, rand) => {
        const x = tf.tensor2d(augment(images, idx, config.shift, config.mirror, rand), [
          idx.length,
          IMAGE_SIZE * IMAGE_SIZE,
        ]);
        const y = tf.tensor1d(
          Int32Array.from(idx, (k) => labels[k] as number),
          'int32',
        );
        try {
          const cost = optimizer.minimize(
            () => {
              const { logits } = forward(p, x);
              return tf.losses.softmaxCrossEntropy(tf.oneHot(y, classes), logits) as tf.Scalar;
            },
            true,
            vars,
          );
          if (!cost) throw new HushCartError('engine/failed', 'the optimizer returned no loss');
          return cost;
        } finally {
          tf.dispose([x, y]);
        }
      },
      afterEpoch: (epoch, loss) => {
        // Cosine decay, epoch by epoch: large steps first, small ones to settle.
        optimizer.setRate((config.learningRate * (1 + Math.cos((Math.PI * epoch) / config.epochs))) / 2);
        return ctx.afterEpoch?.(epoch, loss, read);
      },
    });
    const weights = await read();
    const ms = performance.now() - t0;
    return { weights, epochLoss, ms, examplesPerSec: (n * config.epochs) / (ms / 1000) };
  } finally {
    optimizer.dispose();
    tf.dispose(vars);
  }
}

/** Embeddings average the picture and its four one-pixel shifts (test-time augmentation). */
export const SHIFTED_VIEWS = true;

/** A trained embedder holding its weights (and its reference pictures' embeddings) on the active backend. */
export class Embedder {
  private readonly p: Params;
  /** Reference embeddings transposed [E, R] (a plain matmul: tfjs-wasm's transposed one is slow) and labels. */
  private readonly ref: { t: tf.Tensor2D; labels: tf.Tensor1D } | null;
  constructor(readonly weights: EmbedderWeights) {
    const w = weights;
    const r = w.reference;
    this.ref = r
      ? tf.tidy(() => ({
          t: tf.transpose(tf.tensor2d(r.embeddings, [r.labels.length, w.embedding])),
          labels: tf.tensor1d(r.labels, 'int32'),
        }))
      : null;
    const C = w.channels;
    const E = w.embedding;
    const f = w.fine;
    this.p = {
      ...(f
        ? {
            fine: {
              stem: tf.tensor2d(f.stem, [4, f.channels]),
              stemBias: tf.tensor1d(f.stemBias),
              conv: tf.tensor2d(f.conv, [9 * f.channels, f.channels]),
              convBias: tf.tensor1d(f.convBias),
            },
          }
        : {}),
      patch: tf.tensor2d(w.patch, [w.patch.length / C, C]),
      patchBias: tf.tensor1d(w.patchBias),
      conv: tf.tensor2d(w.conv, [9 * C, C]),
      convBias: tf.tensor1d(w.convBias),
      project: tf.tensor2d(w.project, [CELLS * C, E]),
      projectBias: tf.tensor1d(w.projectBias),
      classify: tf.tensor2d(w.classify, [E, w.classes]),
      classifyBias: tf.tensor1d(w.classifyBias),
    };
  }

  /**
   * L2-normalised embeddings [n, E] and class probabilities [n, K] of n images (floats 0..1, light on dark),
   * in batches.
   */
  async embed(
    pixels: Float32Array,
    batchSize = 256,
    onProgress?: (fraction: number) => void,
    shifted = SHIFTED_VIEWS,
  ): Promise<{ embeddings: Float32Array; probs: Float32Array }> {
    const px = IMAGE_SIZE * IMAGE_SIZE;
    const n = pixels.length / px;
    const E = this.weights.embedding;
    const K = this.weights.classes;
    const embeddings = new Float32Array(n * E);
    const probs = new Float32Array(n * K);
    const slice = slicer(); // a shopper's requests get through between batches
    for (let i = 0; i < n; i += batchSize) {
      await slice();
      const m = Math.min(batchSize, n - i);
      const [e, own] = tf.tidy(() => {
        const x = tf.tensor2d(pixels.subarray(i * px, (i + m) * px), [m, px]);
        if (!shifted) {
          const out = forward(this.p, x);
          return [tf.div(out.embedding, tf.add(tf.norm(out.embedding, 2, 1, true), 1e-12)), tf.softmax(out.logits)];
        }
        // The picture and four copies moved by one pixel: averaged, the result depends less on exact placement.
        const padded = tf.pad(tf.reshape(x, [m, IMAGE_SIZE, IMAGE_SIZE]), [
          [0, 0],
          [1, 1],
          [1, 1],
        ]);
        const views = [
          [1, 1],
          [0, 1],
          [2, 1],
          [1, 0],
          [1, 2],
        ].map(([dy, dx]) =>
          tf.reshape(tf.slice(padded, [0, dy as number, dx as number], [m, IMAGE_SIZE, IMAGE_SIZE]), [m, px]),
        );
        const out = forward(this.p, tf.concat(views, 0) as tf.Tensor2D);
        const V = views.length;
        const emb = tf.mean(tf.reshape(out.embedding, [V, m, E]), 0);
        const prob = tf.mean(tf.reshape(tf.softmax(out.logits), [V, m, K]), 0);
        return [tf.div(emb, tf.add(tf.norm(emb, 2, 1, true), 1e-12)), prob];
      });
      const pr = this.ref ? this.vote(e as tf.Tensor2D, own as tf.Tensor2D) : own;
      if (pr !== own) own.dispose();
      const [ed, pd] = (await Promise.all([e.data(), pr.data()])) as Float32Array[];
      tf.dispose([e, pr]);
      embeddings.set(ed as Float32Array, i * E);
      probs.set(pd as Float32Array, i * K);
      onProgress?.((i + m) / n);
    }
    return { embeddings, probs };
  }

  /** Blends probabilities [m, K] with the reference pictures' vote for embeddings [m, E], 64 rows at a time. */
  private vote(e: tf.Tensor2D, prob: tf.Tensor2D): tf.Tensor2D {
    const ref = this.ref as NonNullable<Embedder['ref']>;
    const K = prob.shape[1];
    const parts: tf.Tensor2D[] = [];
    for (let s = 0; s < e.shape[0]; s += 64) {
      const rows = Math.min(64, e.shape[0] - s);
      parts.push(
        tf.tidy(() => {
          const q = tf.slice(e, [s, 0], [rows, -1]);
          const { values, indices } = tf.topk(tf.matMul(q, ref.t), Math.min(VOTE.k, ref.labels.shape[0]));
          const w = tf.softmax(tf.div(values, VOTE.temperature)); // [rows, k]
          const votes = tf.sum(tf.mul(tf.oneHot(tf.gather(ref.labels, indices), K), tf.expandDims(w, 2)), 1);
          return tf.add(tf.mul(tf.slice(prob, [s, 0], [rows, -1]), 1 - VOTE.weight), tf.mul(votes, VOTE.weight));
        }),
      );
    }
    const out = tf.concat(parts, 0);
    tf.dispose(parts);
    return out;
  }

  dispose(): void {
    tf.dispose(paramList(this.p));
    if (this.ref) tf.dispose([this.ref.t, this.ref.labels]);
  }
}
