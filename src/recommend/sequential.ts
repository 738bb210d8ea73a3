/**
 * A sequential next-item recommender in the style of SASRec (Kang & McAuley 2018): the shopper's recent items,
 * oldest first, pass through causal self-attention blocks; the output at the last position, dotted with every
 * item's embedding (tied with the input embedding) plus an item bias, scores what comes next.
 *
 * Training (here, tfjs on any backend) uses every user's training sequence cut into windows of `maxLen` steps,
 * left-padded, predicting each next item with a sampled softmax (the target against `negatives` items drawn by
 * popularity and shared by the batch; a negative equal to the target is masked out) or with cross-entropy over
 * every item (`loss: 'full'`). Serving and evaluation use
 * the plain-JS forward pass in ./sequential-scorer.ts (the same function; unit-tested against this one).
 *
 * Written with reshape/gather/matmul/softmax only, so it trains on WebGPU, WebGL, WASM and CPU alike.
 */
import * as tf from '@tensorflow/tfjs';
import { runEpochs, type TrainContext } from '../runtime/epochs';
import { matMul2d, ownedVariable } from '../runtime/ops';
import { gaussian, mulberry32 } from '../runtime/random';
import { HushCartError } from '../errors';
import { memberSeed, SEQUENTIAL_VERSION, type SequentialConfig } from './sequential-config';
import type { SequentialWeights, BlockWeights } from './contract';
export type { SequentialWeights, BlockWeights };

export { SEQUENTIAL_VERSION, DEFAULT_SEQUENTIAL, type SequentialConfig } from './sequential-config';

export interface SequentialResult {
  weights: SequentialWeights;
  epochLoss: number[];
  /** Predicted positions per second over the whole job. */
  examplesPerSec: number;
  ms: number;
  /** Number of training windows and predicted positions per epoch. */
  windows: number;
  positions: number;
}

/**
 * Several trainings of one shape as one ensemble's weights: the first carries the others as `members`. Each model
 * counts alone: members it carried itself are dropped (the first model of an ensemble is one model).
 */
export function ensembleOf(models: SequentialWeights[]): SequentialWeights {
  const [first, ...members] = models.map(({ members: _, ...w }) => w);
  if (!first) throw new HushCartError('api/invalid-argument', 'an ensemble needs a model');
  return members.length ? { ...first, members } : first;
}

/**
 * Trains `config.ensemble` models (default 1) one after another, each with its member seed (the first with
 * config.seed itself, so an ensemble of one is trainSequential), served as one (`scorerOf`). Progress spans them
 * all; the epoch losses are the models' mean.
 */
export async function trainEnsemble(
  sequences: number[][],
  numItems: number,
  config: SequentialConfig,
  ctx: TrainContext<SequentialWeights>,
): Promise<SequentialResult> {
  const k = Math.max(1, config.ensemble ?? 1);
  const runs: SequentialResult[] = [];
  const { onProgress } = ctx;
  for (let m = 0; m < k; m++) {
    runs.push(
      await trainSequential(
        sequences,
        numItems,
        { ...config, seed: memberSeed(config.seed, m) },
        {
          ...ctx,
          ...(onProgress
            ? {
                onProgress: (p) =>
                  onProgress({
                    ...p,
                    fraction: (m + p.fraction) / k,
                    message: k > 1 ? `model ${m + 1} of ${k}, ${p.message}` : p.message,
                  }),
              }
            : {}),
        },
      ),
    );
  }
  const first = runs[0] as SequentialResult;
  if (k === 1) return first;
  const ms = runs.reduce((a, r) => a + r.ms, 0);
  const epochs = Math.min(...runs.map((r) => r.epochLoss.length));
  return {
    ...first,
    weights: ensembleOf(runs.map((r) => r.weights)),
    epochLoss: Array.from({ length: epochs }, (_, e) => runs.reduce((a, r) => a + (r.epochLoss[e] as number), 0) / k),
    ms,
    examplesPerSec: runs.reduce((a, r) => a + r.positions * r.epochLoss.length, 0) / (ms / 1000),
  };
}

/**
 * Cuts sequences into training windows: for a sequence s, the windows end at its last item and every `maxLen`
 * items before it; each window is `maxLen` inputs (item index + 1, 0 = padding, padding on the left) and the
 * `maxLen` next items to predict (0 = nothing to predict). Every transition is predicted exactly once.
 */
export function trainingWindows(
  sequences: number[][],
  maxLen: number,
): { inputs: Int32Array; targets: Int32Array; count: number; positions: number; age: Int32Array } {
  const ends: [number, number][] = [];
  const ages: number[] = [];
  for (const [u, s] of sequences.entries())
    for (let e = s.length - 1, a = 0; e >= 1; e -= maxLen, a++) {
      ends.push([u, e]);
      ages.push(a);
    }
  const inputs = new Int32Array(ends.length * maxLen);
  const targets = new Int32Array(ends.length * maxLen);
  let positions = 0;
  ends.forEach(([u, e], w) => {
    const s = sequences[u] as number[];
    // Targets s[e - maxLen + 1 .. e], inputs one step earlier; slots before the sequence start stay 0.
    for (let k = 0; k < maxLen; k++) {
      const t = e - (maxLen - 1 - k);
      if (t < 1) continue;
      inputs[w * maxLen + k] = (s[t - 1] as number) + 1;
      targets[w * maxLen + k] = (s[t] as number) + 1;
      positions++;
    }
  });
  return { inputs, targets, count: ends.length, positions, age: Int32Array.from(ages) };
}

/**
 * The windows one epoch trains on (indices into trainingWindows' windows), by `config.windows`: all of them; each
 * user's last one (age 0); or the last one and each older one with probability recencyDecay^age, drawn per epoch.
 */
export function epochWindows(
  age: Int32Array,
  c: Pick<SequentialConfig, 'windows' | 'recencyDecay'>,
  rand: () => number,
): Int32Array {
  const mode = c.windows ?? 'all';
  if (mode === 'all') return Int32Array.from(age.keys());
  const decay = c.recencyDecay ?? 0.5;
  const kept: number[] = [];
  age.forEach((a, w) => {
    if (a === 0 || (mode === 'recency' && rand() < decay ** a)) kept.push(w);
  });
  return Int32Array.from(kept);
}

type Vars = {
  item: tf.Variable;
  itemBias: tf.Variable;
  position: tf.Variable;
  block: BlockWeights<tf.Variable>[];
  lnGain: tf.Variable;
  lnBias: tf.Variable;
  /** Item embeddings' factor before the position is added (1: none). */
  embeddingScale: number;
};

function createVariables(numItems: number, c: SequentialConfig): Vars {
  let seed = c.seed * 101;
  const normal = (shape: number[], std: number) =>
    ownedVariable(
      tf.tensor(
        gaussian(
          shape.reduce((a, b) => a * b, 1),
          std,
          seed++,
        ),
        shape,
      ),
    );
  const fill = (n: number, v: number) => ownedVariable(tf.fill([n], v));
  const d = c.dim;
  const w = Math.sqrt(1 / d);
  const embStd = c.embeddingStd ?? w;
  return {
    embeddingScale: c.peerLayers ? Math.sqrt(d) : 1,
    item: normal([numItems + 1, d], embStd),
    itemBias: fill(numItems + 1, 0),
    position: normal([c.maxLen, d], embStd),
    block: Array.from({ length: c.blocks }, () => ({
      ...(c.peerLayers
        ? { bq: fill(d, 0), bk: fill(d, 0), bv: fill(d, 0), wo: normal([d, d], w), bo: fill(d, 0) }
        : {}),
      ln1Gain: fill(d, 1),
      ln1Bias: fill(d, 0),
      wq: normal([d, d], w),
      wk: normal([d, d], w),
      wv: normal([d, d], w),
      ln2Gain: fill(d, 1),
      ln2Bias: fill(d, 0),
      w1: normal([d, d], w),
      b1: fill(d, 0),
      w2: normal([d, d], w),
      b2: fill(d, 0),
    })),
    lnGain: fill(d, 1),
    lnBias: fill(d, 0),
  };
}

const allVariables = (v: Vars): tf.Variable[] => [
  v.item,
  v.itemBias,
  v.position,
  ...v.block.flatMap((b) => Object.values(b) as tf.Variable[]),
  v.lnGain,
  v.lnBias,
];

/** The variables a training changes: all but the item bias where the recipe has none (SASRec-CE's). */
const trainedVariables = (v: Vars, c: SequentialConfig): tf.Variable[] =>
  allVariables(v).filter((t) => !(c.peerLayers && t === v.itemBias));

export const LN_EPSILON = 1e-5;

function layerNorm(x: tf.Tensor2D, gain: tf.Tensor, bias: tf.Tensor): tf.Tensor2D {
  const mean = tf.mean(x, 1, true);
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centred), 1, true);
  return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, LN_EPSILON))), gain), bias) as tf.Tensor2D;
}

/**
 * Hidden states [B * L, d] for input windows [B, L] (item index + 1, 0 = padding). `dropout` > 0 only in
 * training, its masks drawn from `seed` (one seed per mask, counting up from it) so that a training repeats.
 * Causal attention, and no attention to padding.
 */
export function encode(
  v: Vars,
  inputs: tf.Tensor2D,
  c: Pick<SequentialConfig, 'dim'>,
  dropout = 0,
  seed?: number,
): tf.Tensor2D {
  const [B, L] = inputs.shape;
  const d = c.dim;
  let masks = 0;
  const drop = <T extends tf.Tensor>(t: T): T =>
    dropout > 0 ? (tf.dropout(t, dropout, undefined, seed === undefined ? undefined : seed + masks++) as T) : t;
  const valid = tf.cast(tf.notEqual(inputs, 0), 'float32'); // [B, L]
  const keep = tf.reshape(valid, [B * L, 1]);
  const gathered = tf.gather(v.item, tf.reshape(inputs, [B * L]));
  const emb = tf.reshape(v.embeddingScale === 1 ? gathered : tf.mul(gathered, v.embeddingScale), [B, L, d]);
  let x = tf.mul(drop(tf.reshape(tf.add(emb, v.position), [B * L, d])), keep) as tf.Tensor2D;
  // Additive mask [B, L, L]: -1e9 on future positions and on padded keys.
  const causal = new Float32Array(L * L);
  for (let q = 0; q < L; q++) causal.fill(1, q * L, q * L + q + 1); // a query sees itself and earlier steps
  const allowed = tf.mul(tf.tensor3d(causal, [1, L, L]), tf.reshape(valid, [B, 1, L]));
  const mask = tf.mul(tf.sub(1, allowed), -1e9);
  const scale = 1 / Math.sqrt(d);
  for (const b of v.block) {
    const a = layerNorm(x, b.ln1Gain, b.ln1Bias);
    const project = (m: tf.Tensor, bias: tf.Tensor | undefined) => {
      const p = matMul2d(a, m as tf.Tensor2D);
      return tf.reshape(bias ? tf.add(p, bias) : p, [B, L, d]) as tf.Tensor3D;
    };
    const q = project(b.wq, b.bq);
    const k = project(b.wk, b.bk);
    const val = project(b.wv, b.bv);
    const att = tf.softmax(tf.add(tf.mul(tf.matMul(q, k, false, true), scale), mask)); // [B, L, L]
    let heads = tf.reshape(tf.matMul(drop(att), val), [B * L, d]) as tf.Tensor2D;
    if (b.wo) heads = tf.add(matMul2d(heads, b.wo as tf.Tensor2D), b.bo as tf.Tensor) as tf.Tensor2D;
    x = tf.add(x, drop(heads)) as tf.Tensor2D;
    const f = layerNorm(x, b.ln2Gain, b.ln2Bias);
    const hidden = tf.relu(tf.add(matMul2d(f, b.w1 as tf.Tensor2D), b.b1)) as tf.Tensor2D;
    x = tf.add(x, drop(tf.add(matMul2d(drop(hidden), b.w2 as tf.Tensor2D), b.b2))) as tf.Tensor2D;
    x = tf.mul(x, keep) as tf.Tensor2D;
  }
  return layerNorm(x, v.lnGain, v.lnBias);
}

/**
 * Cross-entropy with the target in column 0 of each row of `logits` [P, C]: logsumexp(row) - row[0], per row.
 * Written with its gradient (softmax - onehot) because tfjs-wasm 4.22 differentiates logSumExp about 15x
 * slower than this (measured at [6400, 1024]: 1.3 s against 0.09 s).
 */
const firstColumnCrossEntropy = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [logits, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
  const max = tf.max(logits, 1, true);
  const e = tf.exp(tf.sub(logits, max));
  const total = tf.sum(e, 1, true);
  const probs = tf.div(e, total);
  save([probs]);
  const first = tf.slice(logits, [0, 0], [-1, 1]);
  return {
    value: tf.reshape(tf.sub(tf.add(max, tf.log(total)), first), [-1]),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [p] = saved as [tf.Tensor2D];
      const g = tf.reshape(dy, [-1, 1]);
      const firstColumn = tf.oneHot([0], p.shape[1]).cast('float32'); // [1, C]
      return [tf.mul(tf.sub(p, firstColumn), g)];
    },
  };
});

/**
 * Sampled-softmax loss over the predicted positions of a batch (mean over positions with a target).
 * `hits` [P, K] is 1 where a sampled negative is the position's own target (it is then left out).
 */
function sampledLoss(
  v: Vars,
  h: tf.Tensor2D,
  targets: tf.Tensor1D,
  negatives: tf.Tensor1D,
  hits: tf.Tensor2D,
  logQ: tf.Tensor1D,
): tf.Scalar {
  const valid = tf.cast(tf.notEqual(targets, 0), 'float32');
  // Sampled softmax's correction: each candidate's logit less the log of how often it is drawn.
  const pos = tf.sub(
    tf.add(tf.sum(tf.mul(h, tf.gather(v.item, targets)), 1), tf.gather(v.itemBias, targets)),
    tf.gather(logQ, targets),
  ); // [P]
  const negEmb = tf.gather(v.item, negatives) as tf.Tensor2D; // [K, d]
  const neg = tf.add(
    matMul2d(h, tf.transpose(negEmb)),
    tf.sub(tf.gather(v.itemBias, negatives), tf.gather(logQ, negatives)),
  ); // [P, K]
  const logits = tf.concat([tf.reshape(pos, [-1, 1]), tf.add(neg, tf.mul(hits, -1e9))], 1) as tf.Tensor2D;
  const nll = firstColumnCrossEntropy(logits) as tf.Tensor1D;
  return tf.div(tf.sum(tf.mul(nll, valid)), tf.maximum(tf.sum(valid), 1)) as tf.Scalar;
}

/** logsumexp of each row, with its gradient (softmax) written out for the same reason as above. */
const rowLogSumExp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [logits, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
  const max = tf.max(logits, 1, true);
  const e = tf.exp(tf.sub(logits, max));
  const total = tf.sum(e, 1, true);
  save([tf.div(e, total)]);
  return {
    value: tf.reshape(tf.add(max, tf.log(total)), [-1]),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(saved[0] as tf.Tensor2D, tf.reshape(dy, [-1, 1]))],
  };
});

/**
 * Full cross-entropy over every item (column 0, the padding row, excluded) at the positions that have a target
 * (`at`: their row indices in `h`), the mean over them.
 */
function fullLoss(v: Vars, h: tf.Tensor2D, targets: tf.Tensor1D, at: tf.Tensor1D, padMask: tf.Tensor2D): tf.Scalar {
  const hv = tf.gather(h, at) as tf.Tensor2D; // [P, d]
  const t = tf.gather(targets, at) as tf.Tensor1D;
  const pos = tf.add(tf.sum(tf.mul(hv, tf.gather(v.item, t)), 1), tf.gather(v.itemBias, t)); // [P]
  const logits = tf.add(tf.add(matMul2d(hv, tf.transpose(v.item as tf.Tensor2D)), v.itemBias), padMask) as tf.Tensor2D; // [P, N+1]
  return tf.mean(tf.sub(rowLogSumExp(logits) as tf.Tensor1D, pos)) as tf.Scalar;
}

/**
 * Draws negatives in proportion to (count + 1)^power over the training targets (power 0: uniform; popular items
 * are the hard negatives), and gives log(K q(item)) for the sampled-softmax correction (index 0 unused).
 */
export function negativeSampler(
  targets: Int32Array,
  numItems: number,
  k: number,
  power: number,
): { draw: (rand: () => number) => number; logQ: Float32Array } {
  const count = new Float64Array(numItems + 1);
  for (const t of targets) if (t > 0) count[t] = (count[t] as number) + 1;
  const cumulative = new Float64Array(numItems + 1);
  const logQ = new Float32Array(numItems + 1);
  let total = 0;
  for (let i = 1; i <= numItems; i++) total += ((count[i] as number) + 1) ** power;
  let run = 0;
  for (let i = 1; i <= numItems; i++) {
    const w = ((count[i] as number) + 1) ** power;
    run += w;
    cumulative[i] = run;
    logQ[i] = Math.log((k * w) / total);
  }
  return {
    logQ,
    draw: (rand) => {
      const x = rand() * run;
      let lo = 1;
      let hi = numItems;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((cumulative[mid] as number) < x) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
  };
}

/** The [P, K] mask of (position, negative) pairs where the negative is the target, built sparse in JS. */
function hitMask(targets: Int32Array, negatives: Int32Array): tf.Tensor2D {
  const column = new Map<number, number[]>();
  negatives.forEach((item, k) => column.set(item, [...(column.get(item) ?? []), k]));
  const at: number[] = [];
  targets.forEach((item, p) => {
    for (const k of column.get(item) ?? []) at.push(p, k);
  });
  if (at.length === 0) return tf.zeros([targets.length, negatives.length]);
  return tf.tidy(() =>
    tf.scatterND(tf.tensor2d(at, [at.length / 2, 2], 'int32'), tf.ones([at.length / 2]), [
      targets.length,
      negatives.length,
    ]),
  ) as tf.Tensor2D;
}

async function readWeights(v: Vars, c: SequentialConfig, numItems: number): Promise<SequentialWeights> {
  const read = async (t: tf.Tensor) => (await t.data()) as Float32Array;
  return {
    version: SEQUENTIAL_VERSION,
    dim: c.dim,
    maxLen: c.maxLen,
    blocks: c.blocks,
    numItems,
    ...(v.embeddingScale === 1 ? {} : { embeddingScale: v.embeddingScale }),
    item: await read(v.item),
    itemBias: await read(v.itemBias),
    position: await read(v.position),
    block: await Promise.all(
      v.block.map(async (b) => {
        const out = {} as BlockWeights<Float32Array>;
        for (const [name, t] of Object.entries(b) as [keyof BlockWeights<unknown>, tf.Variable][])
          out[name] = await read(t);
        return out;
      }),
    ),
    lnGain: await read(v.lnGain),
    lnBias: await read(v.lnBias),
  };
}

/** Trains on time-ordered item sequences (item indices 0..numItems-1) in this thread, with tfjs. */
export async function trainSequential(
  sequences: number[][],
  numItems: number,
  config: SequentialConfig,
  ctx: TrainContext<SequentialWeights>,
): Promise<SequentialResult> {
  const win = trainingWindows(sequences, config.maxLen);
  if (win.positions === 0)
    throw new HushCartError('api/invalid-argument', 'the sequential model needs sequences of two or more items');
  if (numItems < 2) throw new HushCartError('api/invalid-argument', 'the sequential model needs two or more items');
  const t0 = performance.now();
  const L = config.maxLen;
  const K = Math.min(config.negatives, numItems);
  const v = createVariables(numItems, config);
  const trained = trainedVariables(v, config);
  const optimizer = tf.train.adam(config.learningRate, 0.9, config.adamBeta2 ?? 0.98, 1e-7);
  // The moving average's copies, in allVariables' order; what validation reads and the training returns.
  const ema = config.ema ? allVariables(v).map((t) => ownedVariable(t.clone())) : null;
  const kept = ema ? withTensors(v, ema) : v;
  const negRand = mulberry32(config.seed * 31 + 7);
  const sampler = negativeSampler(win.targets, numItems, K, config.negativePower);
  const logQ = tf.tensor1d(sampler.logQ);
  const full = config.loss === 'full';
  let steps = 0;
  // Row 0 of the item table is padding: never a candidate.
  const padMask = full ? tf.tensor2d([-1e9, ...new Array<number>(numItems).fill(0)], [1, numItems + 1]) : null;
  try {
    const epochLoss = await runEpochs({
      n: win.count,
      ...(config.windows && config.windows !== 'all'
        ? { sample: (_epoch: number, rand: () => number) => epochWindows(win.age, config, rand) }
        : {}),
      ...(ctx.shouldStop ? { shouldStop: ctx.shouldStop } : {}),
      epochs: config.epochs,
      batchSize: config.batchSize,
      seed: config.seed,
      jobId: ctx.jobId,
      signal: ctx.signal,
      yieldEvery: 2,
      ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}),
      step: (idx) => {
        const B = idx.length;
        const xin = new Int32Array(B * L);
        const yout = new Int32Array(B * L);
        idx.forEach((w, r) => {
          xin.set(win.inputs.subarray(w * L, (w + 1) * L), r * L);
          yout.set(win.targets.subarray(w * L, (w + 1) * L), r * L);
        });
        const inputs = tf.tensor2d(xin, [B, L], 'int32');
        const targets = tf.tensor1d(yout, 'int32');
        const owned: tf.Tensor[] = [inputs, targets];
        // Each step's dropout masks from the config's seed (1 + 4 per block: 16 covers 3 blocks).
        const dropSeed = config.seed * 1_000_003 + 16 * steps++;
        let loss: () => tf.Scalar;
        if (full) {
          const at = tf.tensor1d(
            yout.reduce<number[]>((a, y, p) => (y > 0 ? (a.push(p), a) : a), []),
            'int32',
          );
          owned.push(at);
          loss = () =>
            fullLoss(v, encode(v, inputs, config, config.dropout, dropSeed), targets, at, padMask as tf.Tensor2D);
        } else {
          const negs = new Int32Array(K);
          for (let k = 0; k < K; k++) negs[k] = sampler.draw(negRand);
          const negatives = tf.tensor1d(negs, 'int32');
          const hits = hitMask(yout, negs);
          owned.push(negatives, hits);
          loss = () =>
            sampledLoss(v, encode(v, inputs, config, config.dropout, dropSeed), targets, negatives, hits, logQ);
        }
        try {
          // No tidy inside: minimize keeps what the backward pass needs and disposes the rest itself.
          const cost = optimizer.minimize(loss, true, trained);
          if (!cost) throw new HushCartError('engine/failed', 'the optimizer returned no loss');
          if (ema) updateAverage(ema, allVariables(v), config.ema as number);
          return cost;
        } finally {
          tf.dispose(owned);
        }
      },
      ...(ctx.afterEpoch
        ? { afterEpoch: (epoch, loss) => ctx.afterEpoch?.(epoch, loss, () => readWeights(kept, config, numItems)) }
        : {}),
    });
    const weights = await readWeights(kept, config, numItems);
    const ms = performance.now() - t0;
    return {
      weights,
      epochLoss,
      ms,
      examplesPerSec: (win.positions * epochLoss.length) / (ms / 1000),
      windows: win.count,
      positions: win.positions,
    };
  } finally {
    optimizer.dispose();
    logQ.dispose();
    padMask?.dispose();
    tf.dispose(allVariables(v));
    if (ema) tf.dispose(ema);
  }
}

/** `v` with its tensors replaced by `tensors`, given in allVariables' order. */
function withTensors(v: Vars, tensors: tf.Variable[]): Vars {
  let k = 0;
  const next = () => tensors[k++] as tf.Variable;
  const item = next();
  const itemBias = next();
  const position = next();
  const block = v.block.map(
    (b) => Object.fromEntries(Object.keys(b).map((name) => [name, next()])) as unknown as BlockWeights<tf.Variable>,
  );
  return { item, itemBias, position, block, lnGain: next(), lnBias: next(), embeddingScale: v.embeddingScale };
}

/** average = decay * average + (1 - decay) * current, for each pair. */
function updateAverage(average: tf.Variable[], current: tf.Variable[], decay: number): void {
  tf.tidy(() =>
    average.forEach((a, k) => a.assign(tf.add(tf.mul(a, decay), tf.mul(current[k] as tf.Tensor, 1 - decay)))),
  );
}

/** Variables holding given weights (for checking the tfjs forward pass against the plain-JS one). */
export function variablesOf(w: SequentialWeights): Vars {
  const d = w.dim;
  const t = (a: Float32Array, shape: number[]) => ownedVariable(tf.tensor(a, shape));
  return {
    item: t(w.item, [w.numItems + 1, d]),
    itemBias: t(w.itemBias, [w.numItems + 1]),
    position: t(w.position, [w.maxLen, d]),
    embeddingScale: w.embeddingScale ?? 1,
    block: w.block.map((b) => ({
      ...(b.wo && b.bq && b.bk && b.bv && b.bo
        ? { bq: t(b.bq, [d]), bk: t(b.bk, [d]), bv: t(b.bv, [d]), wo: t(b.wo, [d, d]), bo: t(b.bo, [d]) }
        : {}),
      ln1Gain: t(b.ln1Gain, [d]),
      ln1Bias: t(b.ln1Bias, [d]),
      wq: t(b.wq, [d, d]),
      wk: t(b.wk, [d, d]),
      wv: t(b.wv, [d, d]),
      ln2Gain: t(b.ln2Gain, [d]),
      ln2Bias: t(b.ln2Bias, [d]),
      w1: t(b.w1, [d, d]),
      b1: t(b.b1, [d]),
      w2: t(b.w2, [d, d]),
      b2: t(b.b2, [d]),
    })),
    lnGain: t(w.lnGain, [d]),
    lnBias: t(w.lnBias, [d]),
  };
}

export function disposeVariables(v: Vars): void {
  tf.dispose(allVariables(v));
}
