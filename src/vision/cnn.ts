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
 * Trained with cross-entropy on the category labels (with light augmentation: random shifts); retrieval
 * uses cosine similarity between normalised embeddings.
 */
import * as tf from '@tensorflow/tfjs';
import { runEpochs, type TrainContext } from '../engine/epochs';
import { matMul2d, ownedVariable } from '../engine/ops';
import { gaussian } from '../engine/random';
import { HushCartError } from '../errors';
import { IMAGE_SIZE, PATCH, GRID, CELLS, type EmbedderConfig } from './cnn-config';

export { IMAGE_SIZE, PATCH, GRID, CELLS, EMBEDDER_VERSION, DEFAULT_EMBEDDER, type EmbedderConfig } from './cnn-config';

/** Trained weights as plain arrays. */
export interface EmbedderWeights {
  channels: number;
  embedding: number;
  classes: number;
  patch: Float32Array; // [16, C]
  patchBias: Float32Array; // [C]
  conv: Float32Array; // [9C, C]
  convBias: Float32Array; // [C]
  project: Float32Array; // [49C, E]
  projectBias: Float32Array; // [E]
  classify: Float32Array; // [E, K]
  classifyBias: Float32Array; // [K]
}

type Params = {
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

/** Pixels [B, 784] (0..1, light object on dark) -> embeddings [B, E] (not normalised) and logits [B, K]. */
function forward(p: Params, x: tf.Tensor2D): { embedding: tf.Tensor2D; logits: tf.Tensor2D } {
  const B = x.shape[0];
  const C = p.patchBias.shape[0];
  // [B, 7, 4, 7, 4] -> [B, 7, 7, 4, 4]: one row of 16 pixels per patch.
  const patches = tf.reshape(tf.transpose(tf.reshape(x, [B, GRID, PATCH, GRID, PATCH]), [0, 1, 3, 2, 4]), [
    B * CELLS,
    PATCH * PATCH,
  ]);
  const h1 = tf.relu(tf.add(matMul2d(patches as tf.Tensor2D, p.patch), p.patchBias));
  const grid = tf.pad(tf.reshape(h1, [B, GRID, GRID, C]), [
    [0, 0],
    [1, 1],
    [1, 1],
    [0, 0],
  ]);
  const windows: tf.Tensor[] = [];
  for (let dy = 0; dy < 3; dy++)
    for (let dx = 0; dx < 3; dx++) windows.push(tf.slice(grid, [0, dy, dx, 0], [B, GRID, GRID, C]));
  const cols = tf.reshape(tf.concat(windows, 3), [B * CELLS, 9 * C]) as tf.Tensor2D;
  const h2 = tf.add(tf.relu(tf.add(matMul2d(cols, p.conv), p.convBias)), h1);
  // The embedding is what the classifier reads (after its relu), so neighbours are close in the same terms.
  const embedding = tf.relu(tf.add(matMul2d(tf.reshape(h2, [B, CELLS * C]) as tf.Tensor2D, p.project), p.projectBias));
  const logits = tf.add(matMul2d(embedding as tf.Tensor2D, p.classify), p.classifyBias);
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
  const C = config.channels;
  const E = config.embedding;
  const he = (fanIn: number, count: number, seed: number) => gaussian(count, Math.sqrt(2 / fanIn), seed);
  const s = config.seed;
  const p = {
    patch: ownedVariable(tf.tensor2d(he(PATCH * PATCH, PATCH * PATCH * C, s), [PATCH * PATCH, C])),
    patchBias: ownedVariable(tf.tensor1d(new Float32Array(C))),
    conv: ownedVariable(
      tf.tensor2d(
        he(9 * C, 9 * C * C, s + 1).map((v) => v * 0.5),
        [9 * C, C],
      ),
    ),
    convBias: ownedVariable(tf.tensor1d(new Float32Array(C))),
    project: ownedVariable(tf.tensor2d(he(CELLS * C, CELLS * C * E, s + 2), [CELLS * C, E])),
    projectBias: ownedVariable(tf.tensor1d(new Float32Array(E))),
    classify: ownedVariable(tf.tensor2d(he(E, E * classes, s + 3), [E, classes])),
    classifyBias: ownedVariable(tf.tensor1d(new Float32Array(classes))),
  };
  const vars: tf.Variable[] = NAMES.map((k) => p[k]);
  const optimizer = new ScheduledAdam(config.learningRate);
  const read = async (): Promise<EmbedderWeights> => {
    const data = (await Promise.all(vars.map((v) => v.data()))) as Float32Array[];
    const w = Object.fromEntries(NAMES.map((k, i) => [k, data[i] as Float32Array])) as Record<
      (typeof NAMES)[number],
      Float32Array
    >;
    return { channels: C, embedding: E, classes, ...w };
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

/** A trained embedder holding its weights on the active backend. */
export class Embedder {
  private readonly p: Params;
  constructor(readonly weights: EmbedderWeights) {
    const w = weights;
    const C = w.channels;
    const E = w.embedding;
    this.p = {
      patch: tf.tensor2d(w.patch, [PATCH * PATCH, C]),
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
    tf.dispose(NAMES.map((k) => this.p[k]));
  }
}
