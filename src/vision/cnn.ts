/**
 * The product-image embedder: a compact CNN trained in the engine worker with tfjs on any backend, written
 * with reshapes, slices and matmuls only (tfjs-wasm 4.22 cannot differentiate conv2d: it has no
 * Conv2DBackpropFilter, and its conv3d route measured 1 s per batch here).
 *
 *   28x28 image -> 2x2 patches -> relu(P W0)                              [196, S]  a stride-2 "patchify" convolution
 *   -> relu(3x3 convolution over the 14x14 grid, as one matmul) + skip    [196, S]
 *   -> 2x2 cells merged -> relu(M W1)                                     [49, C]   the 7x7 grid
 *   -> relu(3x3 convolution over the 7x7 grid) + skip                     [49, C]
 *   -> flatten -> W3                                                      [E]       the embedding (L2-normalised)
 *   -> W4 -> softmax over the 10 categories                                         the category, with confidence
 *
 * Trained with cross-entropy on the category labels (with light augmentation: random shifts); retrieval
 * uses cosine similarity between normalised embeddings.
 */
import * as tf from '@tensorflow/tfjs';
import { runEpochs, type TrainContext } from '../engine/epochs';
import { matMul2d, ownedVariable } from '../engine/ops';
import { gaussian } from '../engine/random';
import { HushCartError } from '../errors';
import {
  IMAGE_SIZE,
  STEM_GRID,
  GRID,
  CELLS,
  WEIGHT_NAMES,
  weightShapes,
  type EmbedderConfig,
  type WeightName,
} from './cnn-config';

export {
  IMAGE_SIZE,
  STEM_GRID,
  GRID,
  CELLS,
  EMBEDDER_VERSION,
  DEFAULT_EMBEDDER,
  type EmbedderConfig,
} from './cnn-config';

/** Trained weights as plain arrays. */
export interface EmbedderWeights {
  stem: number;
  channels: number;
  embedding: number;
  classes: number;
  patch: Float32Array; // [4, S]
  patchBias: Float32Array; // [S]
  stemConv: Float32Array; // [9S, S]
  stemConvBias: Float32Array; // [S]
  merge: Float32Array; // [4S, C]
  mergeBias: Float32Array; // [C]
  conv: Float32Array; // [9C, C]
  convBias: Float32Array; // [C]
  project: Float32Array; // [49C, E]
  projectBias: Float32Array; // [E]
  classify: Float32Array; // [E, K]
  classifyBias: Float32Array; // [K]
}

type Params = Record<WeightName, tf.Tensor>;

/** [B*G*G, S] cells of a GxG grid -> [B*G*G, S] rows of 2x2 blocks of the grid merged: [B*(G/2)^2, 4S]. */
function merge2x2(x: tf.Tensor, B: number, G: number): tf.Tensor2D {
  const S = x.shape[x.shape.length - 1] as number;
  const h = G / 2;
  return tf.reshape(tf.transpose(tf.reshape(x, [B, h, 2, h, 2, S]), [0, 1, 3, 2, 4, 5]), [B * h * h, 4 * S]);
}

/** relu(3x3 convolution, zero-padded, as one matmul over the 9 shifted copies) + the input: [B*G*G, S]. */
function conv3x3(x: tf.Tensor, B: number, G: number, w: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  const S = x.shape[x.shape.length - 1] as number;
  const grid = tf.pad(tf.reshape(x, [B, G, G, S]), [
    [0, 0],
    [1, 1],
    [1, 1],
    [0, 0],
  ]);
  const windows: tf.Tensor[] = [];
  for (let dy = 0; dy < 3; dy++)
    for (let dx = 0; dx < 3; dx++) windows.push(tf.slice(grid, [0, dy, dx, 0], [B, G, G, S]));
  const cols = tf.reshape(tf.concat(windows, 3), [B * G * G, 9 * S]) as tf.Tensor2D;
  return tf.add(tf.relu(tf.add(matMul2d(cols, w as tf.Tensor2D), bias)), x);
}

/** Pixels [B, 784] (0..1, light object on dark) -> embeddings [B, E] (not normalised) and logits [B, K]. */
function forward(p: Params, x: tf.Tensor2D): { embedding: tf.Tensor2D; logits: tf.Tensor2D } {
  const B = x.shape[0];
  const C = p.mergeBias.shape[0] as number;
  // [B, 14, 2, 14, 2] -> one row of 4 pixels per 2x2 patch.
  const patches = merge2x2(tf.reshape(x, [B * IMAGE_SIZE * IMAGE_SIZE, 1]), B, IMAGE_SIZE);
  const h0 = tf.relu(tf.add(matMul2d(patches, p.patch as tf.Tensor2D), p.patchBias));
  const h1 = conv3x3(h0, B, STEM_GRID, p.stemConv, p.stemConvBias);
  const h2 = tf.relu(tf.add(matMul2d(merge2x2(h1, B, STEM_GRID), p.merge as tf.Tensor2D), p.mergeBias));
  const h3 = conv3x3(h2, B, GRID, p.conv, p.convBias);
  // The embedding is what the classifier reads (after its relu), so neighbours are close in the same terms.
  const embedding = tf.relu(
    tf.add(matMul2d(tf.reshape(h3, [B, CELLS * C]) as tf.Tensor2D, p.project as tf.Tensor2D), p.projectBias),
  );
  const logits = tf.add(matMul2d(embedding as tf.Tensor2D, p.classify as tf.Tensor2D), p.classifyBias);
  return { embedding: embedding as tf.Tensor2D, logits: logits as tf.Tensor2D };
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
  const S = config.stem;
  const C = config.channels;
  const E = config.embedding;
  const shapes = weightShapes(S, C, E, classes);
  // He initialisation for weight matrices (fan-in = rows), the residual convolutions at half scale; biases 0.
  const p = Object.fromEntries(
    WEIGHT_NAMES.map((k, i) => {
      const shape = shapes[k];
      const count = shape.reduce((a, b) => a * b, 1);
      const scale = k === 'stemConv' || k === 'conv' ? 0.5 : 1;
      const values =
        shape.length === 1
          ? new Float32Array(count)
          : gaussian(count, scale * Math.sqrt(2 / (shape[0] as number)), config.seed + i);
      return [k, ownedVariable(tf.tensor(values, shape))];
    }),
  ) as Record<WeightName, tf.Variable>;
  const vars: tf.Variable[] = WEIGHT_NAMES.map((k) => p[k]);
  const optimizer = new ScheduledAdam(config.learningRate);
  const read = async (): Promise<EmbedderWeights> => {
    const data = (await Promise.all(vars.map((v) => v.data()))) as Float32Array[];
    const w = Object.fromEntries(WEIGHT_NAMES.map((k, i) => [k, data[i] as Float32Array])) as Record<
      WeightName,
      Float32Array
    >;
    return { stem: S, channels: C, embedding: E, classes, ...w };
  };
  try {
    const epochLoss = await runEpochs({
      n,
      epochs: config.epochs,
      batchSize: config.batchSize,
      seed: config.seed,
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

/** A trained embedder holding its weights on the active backend. */
export class Embedder {
  private readonly p: Params;
  constructor(readonly weights: EmbedderWeights) {
    const w = weights;
    const shapes = weightShapes(w.stem, w.channels, w.embedding, w.classes);
    this.p = Object.fromEntries(WEIGHT_NAMES.map((k) => [k, tf.tensor(w[k], shapes[k])])) as Params;
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
    for (let i = 0; i < n; i += batchSize) {
      const m = Math.min(batchSize, n - i);
      const [e, pr] = tf.tidy(() => {
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
      const [ed, pd] = (await Promise.all([e.data(), pr.data()])) as Float32Array[];
      tf.dispose([e, pr]);
      embeddings.set(ed as Float32Array, i * E);
      probs.set(pd as Float32Array, i * K);
      onProgress?.((i + m) / n);
    }
    return { embeddings, probs };
  }

  dispose(): void {
    tf.dispose(WEIGHT_NAMES.map((k) => this.p[k]));
  }
}
