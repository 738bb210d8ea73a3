import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HushCartError } from '../errors';
import { createEngine } from './engine';
import { segmentSum } from '../runtime/kernels';
import { gaussian, mulberry32 } from '../runtime/random';
import type { EmbeddingTrainConfig, Engine, RatingTriples } from './types';

/** Ratings from planted 3-dimensional user and item factors plus noise: a model must recover them. */
function planted(
  numUsers: number,
  numItems: number,
  perUser: number,
  seed: number,
): { train: RatingTriples; test: RatingTriples } {
  const rank = 3;
  const U = gaussian(numUsers * rank, 1, seed);
  const V = gaussian(numItems * rank, 1, seed + 1);
  const rand = mulberry32(seed + 2);
  const rows: [number, number, number][] = [];
  for (let u = 0; u < numUsers; u++)
    for (let k = 0; k < perUser; k++) {
      const i = Math.floor(rand() * numItems);
      let r = 3;
      for (let d = 0; d < rank; d++) r += 0.5 * (U[u * rank + d] as number) * (V[i * rank + d] as number);
      rows.push([u, i, r + (rand() - 0.5) * 0.2]);
    }
  const split = (rs: [number, number, number][]): RatingTriples => ({
    user: Int32Array.from(rs, (r) => r[0]),
    item: Int32Array.from(rs, (r) => r[1]),
    rating: Float32Array.from(rs, (r) => r[2]),
    numUsers,
    numItems,
  });
  // Every tenth rating is held out, so every user and item is seen in training.
  return { train: split(rows.filter((_, k) => k % 10 !== 0)), test: split(rows.filter((_, k) => k % 10 === 0)) };
}

const config: EmbeddingTrainConfig = { dim: 8, epochs: 12, batchSize: 256, learningRate: 0.03, seed: 7, l2: 0 };
const data = planted(60, 40, 30, 1);
let engine: Engine;

beforeAll(async () => {
  engine = createEngine();
  await engine.runtime.init({ preference: 'cpu' });
});
afterAll(() => engine.runtime.dispose());

describe('engine (in-thread, cpu)', () => {
  it('reports the requested backend and the others as not tried', async () => {
    const s = await engine.runtime.status();
    expect(s.backend).toBe('cpu');
    expect(s.candidates.find((c) => c.backend === 'cpu')?.reason).toMatch(/^requested/);
    expect(s.candidates.find((c) => c.backend === 'wasm')?.reason).toBe("not tried: 'cpu' was requested");
  });

  it('multiplies matrices correctly', async () => {
    const r = await engine.runtime.matmul(64, 2);
    expect(r.backend).toBe('cpu');
    expect(r.maxAbsError).toBeLessThan(1e-4);
    expect(r.gflops).toBeGreaterThan(0);
    await expect(engine.runtime.matmul(0, 1)).rejects.toMatchObject({ code: 'api/invalid-argument' });
  });

  it('recovers planted structure: loss falls and test RMSE beats the global mean', async () => {
    const r = await engine.runtime.trainEmbedding('planted', data.train, data.test, config);
    expect(r.epochLoss).toHaveLength(12);
    expect(r.epochLoss.at(-1)).toBeLessThan((r.epochLoss[0] as number) * 0.5);
    let mean = 0;
    data.train.rating.forEach((v) => (mean += v / data.train.rating.length));
    const baseline = Math.sqrt(data.test.rating.reduce((s, v) => s + (v - mean) ** 2, 0) / data.test.rating.length);
    expect(r.testRmse).toBeLessThan(baseline * 0.8);
    expect(r.examplesPerSec).toBeGreaterThan(0);
  });

  it('is deterministic for a seed', async () => {
    const a = await engine.runtime.trainEmbedding('det-a', data.train, null, { ...config, epochs: 2 });
    const b = await engine.runtime.trainEmbedding('det-b', data.train, null, { ...config, epochs: 2 });
    expect(a.epochLoss).toEqual(b.epochLoss);
    expect(a.testRmse).toBeNull();
  });

  it('leaks no tensors across training, matmul and a cancelled job (after warm-up)', async () => {
    await engine.runtime.trainEmbedding('warm', data.train, data.test, { ...config, epochs: 1 });
    const before = tf.memory().numTensors;
    await engine.runtime.trainEmbedding('leak', data.train, data.test, { ...config, epochs: 2 });
    await engine.runtime.matmul(32, 1);
    const job = engine.runtime.trainEmbedding(
      'cancel-me',
      data.train,
      data.test,
      { ...config, epochs: 50 },
      () => void engine.runtime.cancel('cancel-me'),
    );
    await expect(job).rejects.toMatchObject({ code: 'engine/cancelled' });
    expect(tf.memory().numTensors).toBe(before);
    expect((await engine.runtime.status()).memory.numTensors).toBe(before);
  });

  it('rejects malformed training data with a clear error', async () => {
    const bad = { ...data.train, item: data.train.item.slice(1) };
    await expect(engine.runtime.trainEmbedding('bad', bad, null, config)).rejects.toThrow(/differ in length/);
    const out = { ...data.train, numItems: 3 };
    await expect(engine.runtime.trainEmbedding('bad2', out, null, config)).rejects.toThrow(/out of range/);
    await expect(engine.runtime.trainEmbedding('bad3', data.train, null, config).then(() => 0)).resolves.toBe(0);
  });

  it('refuses a second job with the same id while the first runs', async () => {
    const first = engine.runtime.trainEmbedding('same', data.train, null, { ...config, epochs: 3 });
    await expect(engine.runtime.trainEmbedding('same', data.train, null, config)).rejects.toBeInstanceOf(HushCartError);
    await first;
  });
});

describe('segment-sum kernel', () => {
  it('matches a hand-computed sum and the gradient of gather', async () => {
    expect([...segmentSum([1, 2, 3, 4, 5, 6], [2, 0, 2], 2, 3)]).toEqual([3, 4, 0, 0, 6, 8]);
    const table = tf.variable(
      tf.tensor2d([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
    );
    const idx = tf.tensor1d([2, 0, 2], 'int32');
    const grad = tf.grad((t: tf.Tensor) =>
      tf.sum(
        tf.mul(
          tf.gather(t, idx),
          tf.tensor2d([
            [1, 2],
            [3, 4],
            [5, 6],
          ]),
        ),
      ),
    );
    const g = grad(table);
    expect(Array.from(await g.data())).toEqual([3, 4, 0, 0, 6, 8]);
    tf.dispose([table, idx, g]);
  });
});

describe('engine with auto selection outside a browser', () => {
  it('passes over webgpu and webgl with reasons and still gets a working backend', async () => {
    const e = createEngine();
    const s = await e.runtime.init({ preference: 'auto' });
    const by = Object.fromEntries(s.candidates.map((c) => [c.backend, c]));
    expect(by.webgpu).toMatchObject({ ok: false });
    expect(by.webgpu?.reason).toMatch(/unavailable: WebGPU is not exposed/);
    expect(by.webgl?.reason).toMatch(/unavailable/);
    expect(s.backend === 'cpu' || s.backend === 'wasm').toBe(true);
    expect(s.selection?.chosen).toBe(s.backend);
    await e.runtime.setBackend('cpu');
  });
});
