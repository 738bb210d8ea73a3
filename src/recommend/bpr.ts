/**
 * BPR matrix factorisation (Rendle et al. 2009), trained in the engine worker with tfjs on any backend:
 * user and item embeddings plus an item bias, loss -log sigmoid(s(u,i) - s(u,j)) over (user, seen item,
 * sampled unseen item) triples, Adam. Serving needs only the item side: a shopper is folded in against the
 * fixed item vectors (./fold-in.ts), no retraining.
 */
import * as tf from '@tensorflow/tfjs';
import { runEpochs } from '../runtime/epochs';
import { gaussian } from '../runtime/random';
import type { ProgressCallback } from '../runtime/types';
import { HushCartError } from '../errors';
import { itemsOf, type InteractionMatrix } from '../shared/interactions';
import type { BprConfig } from './bpr-config';
import type { BprWeights } from './contract';
export type { BprWeights };

export { BPR_VERSION, DEFAULT_BPR, type BprConfig } from './bpr-config';

export interface BprResult {
  weights: BprWeights;
  epochLoss: number[];
  examplesPerSec: number;
  ms: number;
}

/** (user, positive) pairs of the matrix, in CSR order. */
function positives(m: InteractionMatrix): { u: Int32Array; i: Int32Array } {
  const n = m.userItems.items.length;
  const u = new Int32Array(n);
  for (let user = 0; user < m.numUsers; user++) u.fill(user, m.userItems.offsets[user], m.userItems.offsets[user + 1]);
  return { u, i: m.userItems.items.slice() };
}

/** A uniformly drawn item the user has not interacted with (rejection sampling on the sorted list). */
function sampleNegative(m: InteractionMatrix, user: number, rand: () => number): number {
  const seen = itemsOf(m, user);
  for (;;) {
    const j = Math.floor(rand() * m.numItems);
    let lo = 0;
    let hi = seen.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((seen[mid] as number) < j) lo = mid + 1;
      else hi = mid;
    }
    if (seen[lo] !== j) return j;
  }
}

export async function trainBpr(
  m: InteractionMatrix,
  config: BprConfig,
  ctx: { jobId: string; signal: AbortSignal; onProgress?: ProgressCallback },
): Promise<BprResult> {
  if (m.userItems.items.length === 0)
    throw new HushCartError('api/invalid-argument', 'BPR needs at least one interaction');
  const t0 = performance.now();
  const { u: posU, i: posI } = positives(m);
  const n = posU.length;
  const [U, V, B] = tf.tidy(() => [
    tf.variable(tf.tensor2d(gaussian(m.numUsers * config.dim, 0.05, config.seed), [m.numUsers, config.dim])),
    tf.variable(tf.tensor2d(gaussian(m.numItems * config.dim, 0.05, config.seed + 1), [m.numItems, config.dim])),
    tf.variable(tf.zeros([m.numItems])),
  ]);
  const optimizer = tf.train.adam(config.learningRate, 0.9, 0.999, 1e-7);
  try {
    const epochLoss = await runEpochs({
      n,
      epochs: config.epochs,
      batchSize: config.batchSize,
      seed: config.seed,
      jobId: ctx.jobId,
      signal: ctx.signal,
      ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}),
      step: (idx, rand) => {
        const bu = new Int32Array(idx.length);
        const bi = new Int32Array(idx.length);
        const bj = new Int32Array(idx.length);
        idx.forEach((k, r) => {
          bu[r] = posU[k] as number;
          bi[r] = posI[k] as number;
          bj[r] = sampleNegative(m, posU[k] as number, rand);
        });
        const [tu, ti, tj] = [tf.tensor1d(bu, 'int32'), tf.tensor1d(bi, 'int32'), tf.tensor1d(bj, 'int32')];
        try {
          // No tidy inside: minimize keeps what the backward pass needs and disposes the rest itself.
          const cost = optimizer.minimize(
            () => {
              const eu = tf.gather(U, tu);
              const ei = tf.gather(V, ti);
              const ej = tf.gather(V, tj);
              const x = tf.add(tf.sum(tf.mul(eu, tf.sub(ei, ej)), 1), tf.sub(tf.gather(B, ti), tf.gather(B, tj)));
              // -log sigmoid(x) as softplus(-x): tfjs-wasm 4.22 fails on logSigmoid's forward pass.
              const nll = tf.mean(tf.softplus(tf.neg(x)));
              const reg = tf.mean(
                tf.add(tf.sum(tf.square(eu), 1), tf.add(tf.sum(tf.square(ei), 1), tf.sum(tf.square(ej), 1))),
              );
              return tf.add(nll, tf.mul(reg, config.l2)) as tf.Scalar;
            },
            true,
            [U, V, B],
          );
          if (!cost) throw new HushCartError('engine/failed', 'the optimizer returned no loss');
          return cost;
        } finally {
          tf.dispose([tu, ti, tj]);
        }
      },
    });
    const [user, item, itemBias] = (await Promise.all([U.data(), V.data(), B.data()])) as Float32Array[];
    const ms = performance.now() - t0;
    return {
      weights: {
        dim: config.dim,
        numUsers: m.numUsers,
        numItems: m.numItems,
        user: user as Float32Array,
        item: item as Float32Array,
        itemBias: itemBias as Float32Array,
      },
      epochLoss,
      ms,
      examplesPerSec: (n * config.epochs) / (ms / 1000),
    };
  } finally {
    optimizer.dispose();
    tf.dispose([U, V, B]);
  }
}

/** Scores of every item for a user vector: V u + b (plain arrays; used for ranking and evaluation). */
export function bprScores(w: BprWeights, userVec: ArrayLike<number>, out: Float32Array): Float32Array {
  const d = w.dim;
  for (let j = 0; j < w.numItems; j++) {
    let s = w.itemBias[j] as number;
    const o = j * d;
    for (let k = 0; k < d; k++) s += (w.item[o + k] as number) * (userVec[k] as number);
    out[j] = s;
  }
  return out;
}
