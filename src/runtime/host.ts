/**
 * The runtime's host: the backend (chosen, switched, its status), jobs (cancel), the device (its loss drilled), and
 * the reference probes the Lab runs (a timed matmul, matrix factorisation on rating triples that survives a lost
 * device by resuming from its last epoch's checkpoint).
 */
import * as tf from '@tensorflow/tfjs';
import { HushCartError } from '../errors';
import type { BackendRuntime } from './backend-runtime';
import { timeMatmul } from './backends';
import { initialWeights, rmse, trainMf, type TrainState } from './embedding-trainer';
import type { BackendName, RatingTriples, RuntimeHost } from './types';

export function runtimeHost(rt: BackendRuntime): RuntimeHost {
  return {
    init: (options) => rt.init(options),
    status: () => rt.status(),
    setBackend: (preference) => rt.setBackend(preference),
    async matmul(size, reps) {
      if (!Number.isInteger(size) || size < 1 || size > 4096 || !Number.isInteger(reps) || reps < 1 || reps > 100)
        throw new HushCartError('api/invalid-argument', 'matmul size must be 1..4096 and reps 1..100');
      const backend = rt.requireBackend();
      const r = await timeMatmul(size, reps);
      return {
        backend,
        size,
        reps: r.reps,
        medianMs: r.medianMs,
        gflops: (2 * size ** 3) / (r.medianMs * 1e6),
        maxAbsError: r.maxAbsError,
      };
    },
    async trainEmbedding(jobId, train, test, config, onProgress) {
      checkTriples('train', train);
      if (test) checkTriples('test', test);
      if (test && (test.numUsers > train.numUsers || test.numItems > train.numItems))
        throw new HushCartError('api/invalid-argument', 'test triples use more users or items than training');
      rt.requireBackend();
      return rt.job(jobId, async (signal) => {
        const t0 = performance.now();
        let state: TrainState = { weights: initialWeights(train, config.dim, config.seed), epoch: 0, epochLoss: [] };
        const recoveredFrom: BackendName[] = [];
        for (;;) {
          const backend = rt.requireBackend();
          try {
            const ctx = {
              jobId,
              signal,
              backendLost: () => rt.deviceLost,
              onCheckpoint: (s: TrainState) => (state = s),
              ...(onProgress ? { onProgress } : {}),
            };
            const { model } = await trainMf(train, config, state, ctx);
            let testRmse: number | null = null;
            try {
              testRmse = test ? await rmse(model, test) : null;
            } finally {
              model.dispose();
            }
            const ms = performance.now() - t0;
            const examples = train.rating.length * config.epochs;
            return {
              backend: rt.requireBackend(),
              epochLoss: state.epochLoss,
              testRmse,
              examples,
              ms,
              examplesPerSec: examples / (ms / 1000),
              recoveredFrom,
            };
          } catch (e) {
            if (!(await rt.lostDevice(e))) throw e;
            recoveredFrom.push(backend);
            await rt.recover();
          }
        }
      });
    },
    async cancel(jobId) {
      rt.cancel(jobId);
    },
    async loseDevice() {
      return rt.loseDevice();
    },
    async dispose() {
      tf.disposeVariables();
    },
  };
}

function checkTriples(name: string, t: RatingTriples): void {
  const n = t.user.length;
  if (t.item.length !== n || t.rating.length !== n)
    throw new HushCartError('api/invalid-argument', `${name}: user, item and rating arrays differ in length`);
  if (n === 0) throw new HushCartError('api/invalid-argument', `${name}: no triples`);
  for (let k = 0; k < n; k++) {
    const u = t.user[k] as number;
    const i = t.item[k] as number;
    if (u < 0 || u >= t.numUsers || i < 0 || i >= t.numItems || !Number.isFinite(t.rating[k]))
      throw new HushCartError('api/invalid-argument', `${name}: triple ${k} is out of range (user ${u}, item ${i})`);
  }
}
