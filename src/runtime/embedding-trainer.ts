/**
 * The engine's reference training job: a biased matrix-factorisation model (user and item embeddings, trained
 * with minibatch Adam on MSE) over rating triples. It is the workload behind the cross-backend check, the
 * training-throughput benchmark and the device-loss recovery path, and the shape later recommenders reuse.
 * Initialisation and batch order come from seeded JS randomness, so every backend computes the same thing.
 */
import { BackendLostError } from './device-loss';
import * as tf from '@tensorflow/tfjs';
import { HushCartError } from '../errors';
import { runEpochs } from './epochs';
import { gaussian } from './random';
import type { EmbeddingTrainConfig, ProgressCallback, RatingTriples } from './types';

export interface MfWeights {
  dim: number;
  user: Float32Array;
  item: Float32Array;
  userBias: Float32Array;
  itemBias: Float32Array;
  mean: number;
}

/** Thrown when the backend's device goes away mid-job; the engine resumes from the last checkpoint. */
export { BackendLostError };

export function initialWeights(train: RatingTriples, dim: number, seed: number): MfWeights {
  let sum = 0;
  for (let k = 0; k < train.rating.length; k++) sum += train.rating[k] as number;
  return {
    dim,
    user: gaussian(train.numUsers * dim, 0.1, seed),
    item: gaussian(train.numItems * dim, 0.1, seed + 1),
    userBias: new Float32Array(train.numUsers),
    itemBias: new Float32Array(train.numItems),
    mean: train.rating.length ? sum / train.rating.length : 0,
  };
}

/** Owns the model's variables; `dispose` frees them. */
export class MfModel {
  readonly user: tf.Variable;
  readonly item: tf.Variable;
  readonly userBias: tf.Variable;
  readonly itemBias: tf.Variable;
  readonly mean: number;

  constructor(w: MfWeights) {
    const nu = w.userBias.length;
    const ni = w.itemBias.length;
    // tidy frees the initial-value tensors; the variables (tracked apart from tidy) stay.
    [this.user, this.item, this.userBias, this.itemBias] = tf.tidy(() => [
      tf.variable(tf.tensor2d(w.user, [nu, w.dim])),
      tf.variable(tf.tensor2d(w.item, [ni, w.dim])),
      tf.variable(tf.tensor1d(w.userBias)),
      tf.variable(tf.tensor1d(w.itemBias)),
    ]);
    this.mean = w.mean;
  }

  get variables(): tf.Variable[] {
    return [this.user, this.item, this.userBias, this.itemBias];
  }

  predict(u: tf.Tensor1D, i: tf.Tensor1D): tf.Tensor1D {
    return tf.tidy(() => {
      const dot = tf.sum(tf.mul(tf.gather(this.user, u), tf.gather(this.item, i)), 1);
      return tf.add(tf.add(dot, tf.add(tf.gather(this.userBias, u), tf.gather(this.itemBias, i))), this.mean);
    });
  }

  /** Mean squared error plus L2 on the rows the batch touched. */
  loss(u: tf.Tensor1D, i: tf.Tensor1D, r: tf.Tensor1D, l2: number): tf.Scalar {
    return tf.tidy(() => {
      const err = tf.mean(tf.square(tf.sub(this.predict(u, i), r)));
      if (l2 === 0) return err as tf.Scalar;
      const reg = tf.add(
        tf.mean(tf.sum(tf.square(tf.gather(this.user, u)), 1)),
        tf.mean(tf.sum(tf.square(tf.gather(this.item, i)), 1)),
      );
      return tf.add(err, tf.mul(reg, l2)) as tf.Scalar;
    });
  }

  async snapshot(): Promise<MfWeights> {
    const [user, item, userBias, itemBias] = await Promise.all(this.variables.map((v) => v.data()));
    return {
      dim: this.user.shape[1] as number,
      user: user as Float32Array,
      item: item as Float32Array,
      userBias: userBias as Float32Array,
      itemBias: itemBias as Float32Array,
      mean: this.mean,
    };
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

export interface TrainState {
  weights: MfWeights;
  /** Epochs finished. */
  epoch: number;
  epochLoss: number[];
}

export interface TrainContext {
  jobId: string;
  signal: AbortSignal;
  onProgress?: ProgressCallback;
  /** True once the active backend's device is gone. */
  backendLost: () => boolean;
  /** Called with the state after each finished epoch (the resume point). */
  onCheckpoint: (s: TrainState) => void;
}

/** Subset of triples as int32/float32 tensors. */
function batchTensors(t: RatingTriples, idx: Int32Array): [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D] {
  const u = new Int32Array(idx.length);
  const i = new Int32Array(idx.length);
  const r = new Float32Array(idx.length);
  for (let k = 0; k < idx.length; k++) {
    const j = idx[k] as number;
    u[k] = t.user[j] as number;
    i[k] = t.item[j] as number;
    r[k] = t.rating[j] as number;
  }
  return [tf.tensor1d(u, 'int32'), tf.tensor1d(i, 'int32'), tf.tensor1d(r, 'float32')];
}

/** Trains from `state` (epoch 0 or a checkpoint) to `config.epochs`. Returns the final state. */
export async function trainMf(
  train: RatingTriples,
  config: EmbeddingTrainConfig,
  state: TrainState,
  ctx: TrainContext,
): Promise<{ state: TrainState; model: MfModel }> {
  const model = new MfModel(state.weights);
  const optimizer = tf.train.adam(config.learningRate, 0.9, 0.999, 1e-7);
  const epochLoss = [...state.epochLoss];
  const lost = () => {
    if (ctx.backendLost()) throw new BackendLostError('the backend device was lost');
  };
  try {
    await runEpochs({
      n: train.rating.length,
      epochs: config.epochs,
      batchSize: config.batchSize,
      seed: config.seed,
      startEpoch: state.epoch,
      jobId: ctx.jobId,
      signal: ctx.signal,
      ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}),
      beforeBatch: lost,
      step: (idx) => {
        const [u, i, r] = batchTensors(train, idx);
        try {
          const cost = optimizer.minimize(() => model.loss(u, i, r, config.l2), true, model.variables);
          if (!cost) throw new HushCartError('engine/failed', 'the optimizer returned no loss');
          return cost;
        } finally {
          tf.dispose([u, i, r]);
        }
      },
      afterEpoch: async (epoch, loss) => {
        lost();
        epochLoss.push(loss);
        ctx.onCheckpoint({ weights: await model.snapshot(), epoch, epochLoss: [...epochLoss] });
      },
    });
    return { state: { weights: await model.snapshot(), epoch: config.epochs, epochLoss }, model };
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    optimizer.dispose();
  }
}

/** Root mean squared error of the model on `test`, in batches. */
export async function rmse(model: MfModel, test: RatingTriples, batchSize = 8192): Promise<number> {
  let sq = 0;
  const n = test.rating.length;
  if (n === 0) return NaN;
  for (let s = 0; s < n; s += batchSize) {
    const e = Math.min(n, s + batchSize);
    const u = tf.tensor1d(test.user.subarray(s, e), 'int32');
    const i = tf.tensor1d(test.item.subarray(s, e), 'int32');
    const r = tf.tensor1d(test.rating.subarray(s, e), 'float32');
    const se = tf.tidy(() => tf.sum(tf.square(tf.sub(model.predict(u, i), r))));
    sq += (await se.data())[0] as number;
    tf.dispose([u, i, r, se]);
  }
  return Math.sqrt(sq / n);
}
