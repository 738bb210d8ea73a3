/**
 * The minibatch loop every trainer shares: a seeded order per epoch, one optimizer step per batch, the loss
 * summed on the device and read once per epoch (no per-batch GPU stalls), progress, cancellation, a lost device
 * noticed before each batch (./device-loss.ts), time-sliced yields so a shopper's requests never wait long behind a
 * training (./jobs.ts), a divergence check, and an end-of-epoch hook (checkpoints).
 */
import * as tf from '@tensorflow/tfjs';
import { HushCartError } from '../errors';
import { throwIfBackendLost } from './device-loss';
import { slicer, throwIfCancelled, yieldToLoop } from './jobs';
import { mulberry32, permutation } from './random';
import type { ProgressCallback } from './types';

export interface EpochLoop {
  /** Number of training examples. */
  n: number;
  epochs: number;
  batchSize: number;
  seed: number;
  /** First epoch to run (0, or a checkpoint's). */
  startEpoch?: number;
  jobId: string;
  signal: AbortSignal;
  onProgress?: ProgressCallback;
  /**
   * One optimizer step on the examples at positions `idx`; returns the batch's mean loss, which the loop
   * disposes. `rand` is the epoch's seeded stream (e.g. for negative sampling).
   */
  step: (idx: Int32Array, rand: () => number) => tf.Scalar;
  /** Report progress and yield to the worker's event loop every this many batches (default 8). */
  yieldEvery?: number;
  /** Called before each batch (e.g. to stop when the device is gone). */
  beforeBatch?: () => void;
  /**
   * Called with the finished epoch's number (1-based) and mean loss, before its progress report; metrics it
   * returns (e.g. validation accuracy) are added to that report.
   */
  afterEpoch?: (epoch: number, loss: number) => Promise<Record<string, number> | void> | Record<string, number> | void;
  /** The examples (0..n-1) an epoch trains on, drawn with the epoch's stream; absent: all n. */
  sample?: (epoch: number, rand: () => number) => Int32Array;
  /** Checked after each epoch's hook: true ends the training there (early stopping). */
  shouldStop?: () => boolean;
}

/** Runs the epochs; returns the mean loss of each epoch run. */
export async function runEpochs(o: EpochLoop): Promise<number[]> {
  const losses: number[] = [];
  // Serving first: queued requests run between batches once a slice has passed (not only every `yieldEvery`).
  const slice = slicer();
  for (let epoch = o.startEpoch ?? 0; epoch < o.epochs; epoch++) {
    const rand = mulberry32(o.seed * 7919 + epoch);
    const examples = o.sample?.(epoch, rand);
    const n = examples ? examples.length : o.n;
    const shuffled = permutation(n, rand);
    const order = examples ? shuffled.map((k) => examples[k] as number) : shuffled;
    const batches = Math.ceil(n / o.batchSize);
    let lossSum: tf.Tensor = tf.scalar(0);
    try {
      for (let b = 0; b < batches; b++) {
        throwIfCancelled(o.signal, o.jobId);
        throwIfBackendLost();
        o.beforeBatch?.();
        const idx = order.subarray(b * o.batchSize, Math.min(n, (b + 1) * o.batchSize));
        const cost = o.step(idx, rand);
        // In tidy: the scalar made from idx.length is a tensor too.
        const next = tf.tidy(() => tf.add(lossSum, tf.mul(cost, idx.length)));
        tf.dispose([lossSum, cost]);
        lossSum = next;
        const every = o.yieldEvery ?? 8;
        if (b % every === every - 1) {
          o.onProgress?.({
            jobId: o.jobId,
            fraction: (epoch + (b + 1) / batches) / o.epochs,
            message: `epoch ${epoch + 1}/${o.epochs}, batch ${b + 1}/${batches}`,
          });
          await yieldToLoop();
        } else await slice();
      }
      const total = (await lossSum.data())[0] as number;
      if (!Number.isFinite(total)) throw new HushCartError('engine/failed', `training diverged in epoch ${epoch + 1}`);
      losses.push(total / Math.max(1, n));
    } finally {
      lossSum.dispose();
    }
    const loss = losses[losses.length - 1] as number;
    const extra = (await o.afterEpoch?.(epoch + 1, loss)) ?? {};
    o.onProgress?.({
      jobId: o.jobId,
      fraction: (epoch + 1) / o.epochs,
      message: `epoch ${epoch + 1}/${o.epochs}: loss ${loss.toFixed(4)}`,
      metrics: { epoch: epoch + 1, loss, ...extra },
    });
    await yieldToLoop();
    if (o.shouldStop?.()) break;
  }
  return losses;
}

/** What a trainer takes besides its data and config: the job, progress, and a per-epoch hook given the weights. */
export interface TrainContext<W> {
  jobId: string;
  signal: AbortSignal;
  onProgress?: ProgressCallback;
  /** After each epoch, with a reader for the current weights; returned metrics join the progress report. */
  afterEpoch?: (epoch: number, loss: number, weights: () => Promise<W>) => Promise<Record<string, number> | void>;
  /** Checked after each epoch's hook: true ends the training there (early stopping). */
  shouldStop?: () => boolean;
}

/**
 * Keeps the weights of the epoch that scores best on validation (accuracy, higher is better): its `afterEpoch`
 * goes into a trainer's context and reports the score as `validationAccuracy`; `chosen` gives the kept weights.
 */
export function keepBestEpoch<W>(
  validate: (weights: W) => Promise<number>,
  o: { every?: number; patience?: number; epochs?: number } = {},
): {
  afterEpoch: NonNullable<TrainContext<W>['afterEpoch']>;
  chosen: (last: W) => W;
  /** With `patience`: true once that many epochs have passed since the best validation. */
  shouldStop: () => boolean;
  /** Each validation run: the epoch (1-based) and its score. */
  curve: { epoch: number; score: number }[];
} {
  let best: { accuracy: number; weights: W; epoch: number } | null = null;
  let last = 0;
  const curve: { epoch: number; score: number }[] = [];
  return {
    curve,
    afterEpoch: async (epoch, _loss, read) => {
      last = epoch;
      // `every` > 1: validated on every every-th epoch and on the last.
      if (o.every && o.every > 1 && epoch % o.every !== 0 && epoch !== o.epochs) return;
      const weights = await read();
      const accuracy = await validate(weights);
      curve.push({ epoch, score: accuracy });
      if (!best || accuracy > best.accuracy) best = { accuracy, weights, epoch };
      return { validationAccuracy: accuracy };
    },
    chosen: (lastWeights) => best?.weights ?? lastWeights,
    shouldStop: () => o.patience !== undefined && best !== null && last - best.epoch >= o.patience,
  };
}
