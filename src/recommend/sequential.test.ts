import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../engine/engine';
import { mulberry32 } from '../runtime/random';
import {
  DEFAULT_SEQUENTIAL,
  disposeVariables,
  encode,
  epochWindows,
  trainingWindows,
  ensembleOf,
  trainEnsemble,
  trainSequential,
  variablesOf,
  type SequentialConfig,
} from './sequential';
import { scorerOf, SequentialEnsemble, SequentialScorer } from './sequential-scorer';
import { buildMatrix } from '../shared/interactions';
import { Recommender, type PackData } from './recommender';
import '@tensorflow/tfjs-backend-wasm';
import { registerKernels } from '../runtime/kernels';
import { sequentialSpec } from '../api/sequential-model';
import { keepBestEpoch } from '../runtime/epochs';
import type { Engine } from '../engine/types';

const ctx = () => ({ jobId: 'seq-test', signal: new AbortController().signal });

/** Users walk one of two cycles over 40 items (0 -> 1 -> ... -> 19 -> 0, or 20 -> 22 -> ... -> 38 -> 20 ...). */
function planted(users = 60, length = 30, seed = 3): number[][] {
  const rand = mulberry32(seed);
  return Array.from({ length: users }, (_, u) => {
    const start = Math.floor(rand() * 20);
    return Array.from({ length }, (_, t) => (u % 2 === 0 ? (start + t) % 20 : 20 + ((start + 2 * t) % 20)));
  });
}

const small: SequentialConfig = {
  ...DEFAULT_SEQUENTIAL,
  dim: 16,
  maxLen: 8,
  blocks: 1,
  epochs: 12,
  batchSize: 32,
  learningRate: 0.01,
  negatives: 16,
  dropout: 0,
};

beforeAll(async () => {
  await createEngine().runtime.init({ preference: 'cpu' });
});

describe('training windows', () => {
  it('predicts every transition once, left-padded, items shifted by one', () => {
    const w = trainingWindows([[5, 6, 7, 8, 9], [1], [2, 3]], 3);
    // [5..9]: windows end at 9 (inputs 6,7,8 -> targets 7,8,9) and at 6 (inputs _,_,5 -> _,_,6); [1]: none; [2,3]: one.
    expect(w.count).toBe(3);
    expect(w.positions).toBe(4 + 1);
    expect([...w.inputs]).toEqual([7, 8, 9, 0, 0, 6, 0, 0, 3]);
    expect([...w.targets]).toEqual([8, 9, 10, 0, 0, 7, 0, 0, 4]);
  });
});

/** The plain-JS scorer's state after each history equals tfjs's encode at the last position, to 1e-4. */
function expectSameAsTfjs(s: SequentialScorer, histories: number[][]): void {
  const w = s.w;
  const v = variablesOf(w);
  const L = w.maxLen;
  const inputs = new Int32Array(histories.length * L);
  histories.forEach((h, b) => h.slice(-L).forEach((item, k, a) => (inputs[b * L + L - a.length + k] = item + 1)));
  const h = tf.tidy(() => encode(v, tf.tensor2d(inputs, [histories.length, L], 'int32'), w).arraySync());
  disposeVariables(v);
  histories.forEach((hist, b) => {
    const js = s.state(hist) as Float32Array;
    const row = h[b * L + L - 1] as number[];
    for (let c = 0; c < w.dim; c++) expect(js[c]).toBeCloseTo(row[c] as number, 4);
  });
}

describe('epoch windows', () => {
  it("trains on every window, each user's last, or the last and older ones by recency", () => {
    const w = trainingWindows(
      [
        [1, 2, 3, 4, 5, 6, 7],
        [1, 2, 3],
      ],
      2,
    );
    // User 0's windows end at 6, 4, 2 (ages 0, 1, 2) and 0 cannot (nothing before it); user 1's at 2 (age 0).
    expect([...w.age]).toEqual([0, 1, 2, 0]);
    const rand = mulberry32(1);
    expect([...epochWindows(w.age, {}, rand)]).toEqual([0, 1, 2, 3]);
    expect([...epochWindows(w.age, { windows: 'last' }, rand)]).toEqual([0, 3]);
    // Recency: the last always; the older ones at decay^age, so over many epochs about 0.5 and 0.25 of the time.
    const counts = [0, 0, 0, 0];
    for (let e = 0; e < 4000; e++)
      for (const k of epochWindows(w.age, { windows: 'recency', recencyDecay: 0.5 }, rand)) counts[k]!++;
    expect(counts[0]).toBe(4000);
    expect(counts[3]).toBe(4000);
    expect((counts[1] as number) / 4000).toBeCloseTo(0.5, 1);
    expect((counts[2] as number) / 4000).toBeCloseTo(0.25, 1);
  });
});

describe('sequential model (SASRec-style)', () => {
  it('learns planted next-item transitions', async () => {
    const seqs = planted();
    const r = await trainSequential(seqs, 40, small, ctx());
    expect(r.epochLoss.at(-1)).toBeLessThan((r.epochLoss[0] as number) * 0.5);
    const s = new SequentialScorer(r.weights);
    let hits = 0;
    const tests = [
      [3, 4, 5],
      [17, 18, 19],
      [20, 22, 24],
      [36, 38],
    ];
    const expected = [6, 0, 26, 20];
    tests.forEach((h, k) => {
      const scores = s.scores(h);
      const best = scores.indexOf(Math.max(...scores));
      if (best === expected[k]) hits++;
    });
    expect(hits).toBe(4);
  });

  it('learns them with full cross-entropy over every item too, from a loss near log(items), leaking nothing', async () => {
    const full = { ...small, loss: 'full' as const };
    await trainSequential(planted(10), 40, { ...full, epochs: 1 }, ctx());
    const before = tf.memory().numTensors;
    const r = await trainSequential(planted(), 40, full, ctx());
    expect(tf.memory().numTensors).toBe(before);
    // Over 40 items a model that knows nothing yet scores about log(40) = 3.7 nats per position.
    expect(r.epochLoss[0]).toBeGreaterThan(Math.log(40) - 1.5);
    expect(r.epochLoss[0]).toBeLessThan(Math.log(40) + 1.5);
    expect(r.epochLoss.at(-1)).toBeLessThan((r.epochLoss[0] as number) * 0.5);
    const s = new SequentialScorer(r.weights);
    const best = (h: number[]) => {
      const scores = s.scores(h);
      return scores.indexOf(Math.max(...scores));
    };
    expect([best([3, 4, 5]), best([17, 18, 19]), best([20, 22, 24]), best([36, 38])]).toEqual([6, 0, 26, 20]);
  });

  it('repeats a training exactly: the same seed gives the same dropout masks and weights', async () => {
    const config = { ...small, dropout: 0.3, epochs: 2 };
    const [a, b] = [
      await trainSequential(planted(10), 40, config, ctx()),
      await trainSequential(planted(10), 40, config, ctx()),
    ];
    expect(b.epochLoss).toEqual(a.epochLoss);
    expect(b.weights.item).toEqual(a.weights.item);
    const other = await trainSequential(planted(10), 40, { ...config, seed: config.seed + 1 }, ctx());
    expect(other.epochLoss).not.toEqual(a.epochLoss);
  });

  it('serves with the plain-JS forward pass: same output as the tfjs one', async () => {
    const r = await trainSequential(planted(20), 40, { ...small, blocks: 2, epochs: 2 }, ctx());
    const w = r.weights;
    // The last three re-use first-block rows of earlier ones (the reasons' histories without one recent item).
    const long = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
    const histories = [[1, 2, 3], [30], long, long.filter((i) => i !== 13), long.slice(0, -1), [...long, 2]];
    const s = new SequentialScorer(w);
    expectSameAsTfjs(s, histories);
    expect(s.state([])).toBeNull();
    // Remembered states answer for their own history only, also after more histories than are kept.
    const first = Array.from(s.state(histories[0] as number[]) as Float32Array);
    for (let k = 0; k < 40; k++) s.state([k, (k + 1) % 40]);
    expect(Array.from(s.state(histories[0] as number[]) as Float32Array)).toEqual(first);
    expect(Array.from(s.state([2, 1]) as Float32Array)).not.toEqual(Array.from(s.state([1, 2]) as Float32Array));
    // Remembered scores too: a caller that changes its copy does not change the next answer.
    const scores = Array.from(s.scores(histories[0] as number[]));
    s.scores(histories[0] as number[]).fill(0);
    expect(Array.from(s.scores(histories[0] as number[]))).toEqual(scores);
    expect(Array.from(s.scores(histories[1] as number[]))).not.toEqual(scores);
  });

  it("serves SASRec-CE's layers (biased Q/K/V, output projection, scaled embeddings) the same as tfjs does", async () => {
    const peer = { ...small, blocks: 2, epochs: 2, peerLayers: true, embeddingStd: 0.02, windows: 'last' as const };
    const r = await trainSequential(planted(20), 40, peer, ctx());
    const w = r.weights;
    expect(w.embeddingScale).toBeCloseTo(4);
    expect(w.block[0]?.wo?.length).toBe(16 * 16);
    // No item bias in this recipe: it stays at zero.
    expect(w.itemBias.every((b) => b === 0)).toBe(true);
    const histories = [[1, 2, 3], [30], [5, 6, 7, 8, 9, 10, 11, 12, 13, 14]];
    const s = new SequentialScorer(w);
    expectSameAsTfjs(s, histories);
    const spec = sequentialSpec({} as Engine, 'movies', async () => []);
    const record = { id: 'x', ...spec.toRecord(w) };
    expect(spec.fromRecord(record)).toEqual(w);
    // A record missing one of a block's five SASRec-CE tensors is refused, not served with a partial layer.
    expect(spec.fromRecord({ ...record, tensors: record.tensors.filter((t) => t.name !== 'block1.bo') })).toBeNull();
  });

  it('keeps a moving average of the weights when asked, and stops early without a better validation', async () => {
    const config = { ...small, epochs: 30, dropout: 0.1 };
    await trainSequential(planted(10), 40, { ...config, epochs: 1, ema: 0.9 }, ctx());
    const before = tf.memory().numTensors;
    const plain = await trainSequential(planted(10), 40, { ...config, epochs: 3 }, ctx());
    const averaged = await trainSequential(planted(10), 40, { ...config, epochs: 3, ema: 0.9 }, ctx());
    expect(tf.memory().numTensors).toBe(before);
    // Same steps (same seed), but what is returned is the average: close to, not equal to, the last weights.
    expect(averaged.epochLoss).toEqual(plain.epochLoss);
    expect(averaged.weights.item).not.toEqual(plain.weights.item);
    // A validation that never improves after epoch 2: validated every 2 epochs, patience 4, so it stops at epoch 6.
    const scores = [0.5, 0.1, 0.1, 0.1];
    let calls = 0;
    const keep = keepBestEpoch(async () => scores[calls++] ?? 0, { every: 2, patience: 4, epochs: 30 });
    const r = await trainSequential(planted(10), 40, config, { ...ctx(), ...keep });
    expect(r.epochLoss.length).toBe(6);
    expect(keep.curve.map((c) => c.epoch)).toEqual([2, 4, 6]);
  });

  it('leaks no tensors after warm-up, and refuses data it cannot learn from', async () => {
    await trainSequential(planted(10), 40, { ...small, epochs: 1 }, ctx());
    const before = tf.memory().numTensors;
    await trainSequential(planted(10), 40, { ...small, epochs: 1 }, ctx());
    expect(tf.memory().numTensors).toBe(before);
    await expect(trainSequential([[1], []], 40, small, ctx())).rejects.toThrow(/two or more/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('saved sequential model', () => {
  it('saves and restores its weights through the model record', async () => {
    const r = await trainSequential(planted(10), 40, { ...small, blocks: 2, epochs: 1 }, ctx());
    const spec = sequentialSpec({} as Engine, 'movies', async () => []);
    const record = { id: 'x', ...spec.toRecord(r.weights) };
    expect(spec.fromRecord(record)).toEqual(r.weights);
    expect(spec.fromRecord({ ...record, tensors: record.tensors.filter((t) => t.name !== 'block1.w2') })).toBeNull();
    expect(spec.fromRecord({ ...record, tensors: record.tensors.slice(1) })).toBeNull();
    // For you's weights chosen for the model travel with it; a model saved before them has none.
    const blend = { knn: 0.75, bpr: 0.25, sequential: 1 };
    const withBlend = { id: 'x', ...spec.toRecord({ ...r.weights, blend }) };
    expect(spec.fromRecord(withBlend)?.blend).toEqual(blend);
    expect(spec.fromRecord(record)?.blend).toBeUndefined();
    const bad = withBlend.tensors.map((t) =>
      t.name === 'blend' ? { ...t, data: Float32Array.of(1, Number.NaN, 1).buffer } : t,
    );
    expect(spec.fromRecord({ ...withBlend, tensors: bad })).toBeNull();
  });

  it('trains an ensemble, serves it as the mean of its models, and saves it whole', async () => {
    const before = tf.memory().numTensors;
    const one = await trainSequential(planted(10), 40, { ...small, epochs: 2 }, ctx());
    const fractions: number[] = [];
    const r = await trainEnsemble(
      planted(10),
      40,
      { ...small, epochs: 2, ensemble: 3 },
      {
        ...ctx(),
        onProgress: (p) => fractions.push(p.fraction),
      },
    );
    expect(tf.memory().numTensors).toBe(before);
    // The first model is the recipe's own seed (an ensemble of one is the plain training); the others differ.
    const models = [r.weights, ...(r.weights.members ?? [])];
    expect(models).toHaveLength(3);
    expect(models[0]?.item).toEqual(one.weights.item);
    expect(models[1]?.item).not.toEqual(models[0]?.item);
    expect(r.epochLoss).toHaveLength(2);
    // Progress runs once from 0 to 1 over the three trainings.
    expect(fractions.every((f, i) => i === 0 || f >= (fractions[i - 1] as number))).toBe(true);
    expect(fractions.at(-1)).toBeCloseTo(1, 6);
    expect(Math.max(...fractions.slice(0, fractions.length / 3))).toBeLessThan(0.4);
    // Served: the mean of the models' scores; an item's score from the state agrees (the explanations use it).
    const served = scorerOf(r.weights);
    expect(served).toBeInstanceOf(SequentialEnsemble);
    const history = [1, 2, 3, 4];
    const each = models.map((w) => new SequentialScorer(w).scores(history));
    const mean = each[0]?.map((_, j) => each.reduce((a, e) => a + (e[j] as number), 0) / 3) as Float32Array;
    const got = served.scores(history);
    for (let j = 0; j < 40; j++) expect(got[j]).toBeCloseTo(mean[j] as number, 4);
    const h = served.state(history);
    for (const j of [0, 5, 39]) expect(served.scoreOf(h, j)).toBeCloseTo(got[j] as number, 4);
    expect(served.state([])).toBeNull();
    // The ensemble's first model, taken alone, is one model (not the ensemble it carries).
    expect(scorerOf(ensembleOf([r.weights]))).toBeInstanceOf(SequentialScorer);
    expect(scorerOf(ensembleOf([r.weights])).scores(history)).toEqual(each[0]);
    expect((scorerOf(ensembleOf(models.slice(0, 2))) as SequentialEnsemble).members).toHaveLength(2);
    // Saved and restored with every model; a record that lost one model's tensor is refused.
    const spec = sequentialSpec({} as Engine, 'movies', async () => []);
    const record = { id: 'x', ...spec.toRecord(r.weights) };
    expect(spec.fromRecord(record)).toEqual(r.weights);
    expect(
      spec.fromRecord({ ...record, tensors: record.tensors.filter((t) => t.name !== 'member2.block0.w1') }),
    ).toBeNull();
  });
});

describe('sequential model on tfjs-wasm', () => {
  it('learns the planted transitions there too and leaks nothing', async () => {
    await tf.setBackend('wasm');
    registerKernels('wasm');
    try {
      for (const loss of ['sampled', 'full'] as const) {
        await trainSequential(planted(10), 40, { ...small, loss, epochs: 1 }, ctx());
        const before = tf.memory().numTensors;
        const r = await trainSequential(planted(), 40, { ...small, loss }, ctx());
        expect(tf.memory().numTensors).toBe(before);
        const s = new SequentialScorer(r.weights);
        const scores = s.scores([3, 4, 5]);
        expect(scores.indexOf(Math.max(...scores))).toBe(6);
      }
    } finally {
      await tf.setBackend('cpu');
    }
  });
});

describe('"Up next" from the sequential model', () => {
  it('recommends the planted next item, explains it by the recent items that lift it, and skips what was seen', async () => {
    const r = await trainSequential(planted(), 40, small, ctx());
    const ids = Array.from({ length: 40 }, (_, i) => `m${i}`);
    const pack: PackData = {
      packId: 'movies',
      kind: 'rating',
      itemIds: ids,
      aisleOf: ids.map(() => 'movies'),
      matrix: buildMatrix([], [], 0, 40),
    };
    const other: PackData = { ...pack, packId: 'shop', itemIds: ['p0', 'p1'], aisleOf: ['shop', 'shop'] };
    const rec = new Recommender([pack, other]);
    const o = { limit: 3, diversity: 0, exclude: new Set<string>() };
    expect(() => rec.next([], o)).not.toThrow();
    rec.useSequence('movies', new SequentialScorer(r.weights));
    expect(rec.next([], o)).toEqual([]); // no history, nothing to follow
    const events = [
      { type: 'view', itemId: 'm3' },
      { type: 'view', itemId: 'p0' },
      { type: 'rate', itemId: 'm4', value: 5 },
    ];
    const next = rec.next(events, o);
    expect(next[0]?.itemId).toBe('m5');
    expect(next.map((x) => x.itemId)).not.toContain('m4');
    expect(next[0]?.score).toBe(1);
    const reason = next[0]?.reasons[0];
    expect(reason?.kind).toBe('next');
    if (reason?.kind === 'next')
      expect(reason.items[0]).toEqual({ itemId: 'm4', action: { verb: 'rated', detail: '5★' } });
    // For you blends the sequential model in, and names the items it leans on.
    const forYou = rec.forYou(events, o);
    expect(forYou[0]?.itemId).toBe('m5');
    const because = forYou[0]?.reasons[0];
    expect(because?.kind).toBe('because');
    if (because?.kind === 'because') expect(because.items[0]?.itemId).toBe('m4');
    // The product on screen is the newest step; a product no sequence model covers gets nothing.
    expect(rec.next(events, o, 'm10')[0]?.itemId).toBe('m11');
    expect(rec.next(events, o, 'p1')).toEqual([]);
    // The same history asked again gets the same list; a new model is used at once (nothing stale remembered).
    expect(rec.forYou(events, o)).toEqual(forYou);
    const other2 = await trainSequential(
      planted().map((s) => [...s].reverse()),
      40,
      small,
      ctx(),
    );
    rec.useSequence('movies', new SequentialScorer(other2.weights));
    expect(rec.forYou(events, o)[0]?.itemId).not.toBe('m5');
  });
});
