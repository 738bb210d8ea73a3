import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../engine/engine';
import { mulberry32 } from '../runtime/random';
import { trainBpr } from './bpr';
import { DEFAULT_SEQUENTIAL, SASREC_CE, SEQUENTIAL_RECIPES, type SequentialConfig } from './sequential-config';
import {
  meanCurve,
  ProtocolArgs,
  protocolOptions,
  runProtocol,
  seedSpread,
  STORE_SEQUENTIAL_RECIPE,
  type ProtocolOptions,
} from './protocol';
import { parseArgs } from '../shared/args';

beforeAll(async () => {
  await createEngine().runtime.init({ preference: 'cpu' });
});

/** 40 users walking one of two cycles over 40 items (16 steps: no repeats), one step per time unit (users 0-1 rate two items at once). */
function plantedLog() {
  const rand = mulberry32(5);
  const user: number[] = [];
  const item: number[] = [];
  const timestamp: number[] = [];
  for (let u = 0; u < 40; u++) {
    const start = Math.floor(rand() * 20);
    for (let t = 0; t < 16; t++) {
      user.push(u);
      item.push(u % 2 === 0 ? (start + t) % 20 : 20 + ((start + 3 * t) % 20));
      timestamp.push(u < 2 ? Math.floor(t / 2) : t);
    }
  }
  return { user, item, timestamp, numUsers: 40 };
}

const small: SequentialConfig = {
  ...DEFAULT_SEQUENTIAL,
  dim: 16,
  maxLen: 8,
  epochs: 6,
  negatives: 8,
  dropout: 0,
};

const options: ProtocolOptions = {
  recipe: small,
  validationSeeds: [1, 2],
  testSeeds: [3, 4],
  peer: { ...SASREC_CE, dim: 16, maxLen: 8, blocks: 1, epochs: 10, validateEvery: 5, patience: 5, learningRate: 0.01 },
  protocols: ['leave-last-out', 'leave-last-5-out', 'ties-shuffled'],
  validationLast: 3,
  ease: true,
};

const job = () => ({
  jobId: 'protocol-test',
  signal: new AbortController().signal,
  trainBpr: async (m: Parameters<typeof trainBpr>[0]) =>
    (
      await trainBpr(
        m,
        { dim: 8, epochs: 3, batchSize: 64, learningRate: 0.05, l2: 1e-3, seed: 1 },
        { jobId: 'b', signal: new AbortController().signal },
      )
    ).weights,
});

describe('the quality protocol', () => {
  it('chooses epochs on the mean validation curve, cross-fits the blend, and reports every test over seeds', async () => {
    const before = tf.memory().numTensors;
    const messages: string[] = [];
    const r = await runProtocol(options, {
      ...job(),
      log: plantedLog(),
      numItems: 40,
      onProgress: (p) => messages.push(p.message),
    });
    expect(tf.memory().numTensors).toBe(before);
    // Validation: 3 queries for each of 40 users; the recipe validated every epoch for both seeds; the peer every 5.
    expect(r.validation.queries).toBe(120);
    expect(r.validation.users).toBe(40);
    const [recipe, peer] = r.validation.curves;
    expect(recipe?.curves.map((c) => c.length)).toEqual([6, 6]);
    expect(peer?.curves[0]?.map((p) => p.epoch)).toEqual([5, 10]);
    const peak = recipe?.mean.reduce((a, b) => (b.score > a.score ? b : a));
    // Two validation seeds' models averaged: scored on the same queries.
    expect(r.validation.averaged?.models).toBe(2);
    expect(r.validation.averaged?.ndcg10).toBeGreaterThan(0);
    expect(recipe?.epochs).toBe(peak?.epoch);
    // The blend's weights come from the grid; the cross-fitted score is an honest one, never above the in-sample best.
    expect(r.blend.grid).toContainEqual(r.blend.chosen);
    expect(r.blend.crossFitted).toBeLessThanOrEqual((r.blend.inSample ?? 0) + 1e-9);
    expect(r.blend.folds.map((f) => f.users).reduce((a, b) => a + b)).toBe(40);
    // Every test protocol: the recipe, For you, the peer and EASE; two seeds each for the trained ones.
    expect(r.tests.map((t) => t.protocol)).toEqual(options.protocols);
    for (const t of r.tests) {
      expect(t.rows.map((x) => x.model.split(' (')[0])).toEqual([
        'sequential',
        'For you as served',
        'SASRec-CE',
        'EASE',
      ]);
      expect(t.rows[0]?.ndcg10.values).toHaveLength(2);
      expect(t.rows[3]?.ndcg10.values).toHaveLength(1);
      // The planted cycles are learnt: far above a random ranking's NDCG@10 (about 0.07 over 40 items here).
      expect(t.rows[0]?.ndcg10.mean).toBeGreaterThan(0.5);
      expect(t.intervals.map((i) => `${i.model} / ${i.against.split(' (')[0]}`)).toEqual([
        'sequential (the recipe) / SASRec-CE',
        'For you as served / SASRec-CE',
        'sequential (the recipe) / EASE',
        'For you as served / EASE',
      ]);
      for (const i of t.intervals) expect(i.low).toBeLessThanOrEqual(i.ratio);
    }
    // Leave-last-5-out: five queries for each user.
    expect(r.tests[1]?.rows[0]?.queries).toBe(200);
    expect(messages.some((m) => /validation: the recipe, seed 2: epoch 3\/6/.test(m))).toBe(true);
  });

  it('tests an ensemble recipe beside its first models alone, with the weights and epochs given', async () => {
    const before = tf.memory().numTensors;
    const messages: string[] = [];
    const r = await runProtocol(
      {
        ...options,
        recipe: { ...small, ensemble: 2 },
        peer: null,
        ease: false,
        protocols: ['leave-last-out'],
        epochs: { recipe: 4 },
        blend: [0.5, 0, 1],
      },
      { ...job(), log: plantedLog(), numItems: 40, onProgress: (p) => messages.push(p.message) },
    );
    expect(tf.memory().numTensors).toBe(before);
    // Nothing trained or chosen on validation: the weights and the epoch count are the ones given.
    expect(messages.some((m) => m.startsWith('validation'))).toBe(false);
    expect(r.blend).toMatchObject({ chosen: [0.5, 0, 1], inSample: null, crossFitted: null });
    const t = r.tests[0];
    expect(t?.rows.map((x) => x.model)).toEqual([
      'sequential (the recipe)',
      'For you as served',
      'sequential (the recipe), one model',
      'For you as served, one model',
    ]);
    expect(t?.rows[0]?.ndcg10.values).toHaveLength(2);
    expect(t?.rows[0]?.ndcg10.mean).toBeGreaterThan(0.5);
    // Two models per test seed, four epochs each.
    expect(messages.filter((m) => /the recipe, seed 3: epoch 4\/4/.test(m))).toHaveLength(2);
    // A validation-only run: the ensemble trained once on the validation split, the weights chosen on the grid.
    const v = await runProtocol(
      { ...options, recipe: { ...small, ensemble: 2 }, peer: null, ease: false, protocols: [], epochs: { recipe: 4 } },
      { ...job(), log: plantedLog(), numItems: 40 },
    );
    expect(v.tests).toEqual([]);
    expect(v.blend.grid).toContainEqual(v.blend.chosen);
    expect(v.blend.inSample).toBeGreaterThan(0.5);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('averages curves at the epochs every seed reached, and spreads values over seeds', () => {
    expect(
      meanCurve([
        [
          { epoch: 5, score: 0.2 },
          { epoch: 10, score: 0.4 },
        ],
        [{ epoch: 5, score: 0.4 }],
      ]),
    ).toEqual([{ epoch: 5, score: expect.closeTo(0.3, 9) }]);
    const s = seedSpread([1, 2, 3]);
    expect(s.mean).toBe(2);
    expect(s.sd).toBeCloseTo(1);
    expect(seedSpread([4]).sd).toBe(0);
  });
});

describe('protocol requests', () => {
  it('fills every default, names the recipe, and says what is wrong with a bad request', () => {
    const o = protocolOptions();
    expect(o.validationSeeds).toHaveLength(3);
    expect(o.testSeeds).toHaveLength(5);
    expect(o.protocols).toEqual(['leave-last-out', 'leave-last-5-out', 'ties-shuffled']);
    // The store's recipe, its validation curves as long as when it was chosen.
    const store = SEQUENTIAL_RECIPES[STORE_SEQUENTIAL_RECIPE].config;
    expect(o.recipe).toEqual({ ...store, epochs: store.chosen?.curveEpochs ?? store.epochs });
    expect(o.peer).toEqual(SASREC_CE);
    expect(protocolOptions({ peer: false, recipe: { base: 'quick', epochs: 3 } })).toMatchObject({
      peer: null,
      recipe: { ...SEQUENTIAL_RECIPES.quick.config, epochs: 3 },
    });
    const problem = (r: unknown) => {
      try {
        parseArgs(ProtocolArgs, r);
        return null;
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(problem({ testSeeds: [1, 2] })).toBeNull();
    expect(problem({ testSeeds: [] })).toMatch(/testSeeds needs at least one seed/);
    expect(problem({ validationSeeds: [1.5] })).toMatch(/validationSeeds must be a list of whole numbers/);
    expect(problem({ protocols: ['leave-one-out'] })).toMatch(/protocols are leave-last-out, leave-last-5-out/);
    expect(problem('all')).toMatch(/must be an object/);
    expect(problem({ protocols: [] })).toBeNull();
    expect(problem({ blend: [1, 0] })).toMatch(/blend must be three weights from 0 to 10/);
  });
});
