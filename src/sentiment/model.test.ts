import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerKernels } from '../runtime/kernels';
import { matMul2d } from '../runtime/ops';
import { mulberry32 } from '../runtime/random';
import { sentimentSpec } from '../api/sentiment-model';
import type { Engine } from '../engine/types';
import { CompiledSentiment } from './compiled';
import { trainLogReg, logRegScores } from './logreg';
import { DEFAULT_SENTIMENT, SentimentModel, trainSentiment, wordNoise, type SentimentConfig } from './model';
import { tokenize } from './tokenize';
import { buildVocabulary, encode, initialEmbedding } from './vocab';

/**
 * A planted rule: a text is positive when it contains "zing" and negative when it contains "zonk", among
 * filler words drawn at random; "not zing" is negative (negation must be learned from the flag).
 */
function planted(n: number, seed: number): { texts: string[]; labels: Uint8Array } {
  const filler = ['the', 'box', 'came', 'today', 'with', 'some', 'tea', 'and', 'a', 'note'];
  const r = mulberry32(seed);
  const texts: string[] = [];
  const labels = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const words = Array.from({ length: 4 + Math.floor(r() * 8) }, () => filler[Math.floor(r() * filler.length)]);
    const kind = k % 3;
    words.splice(Math.floor(r() * words.length), 0, kind === 0 ? 'zing' : kind === 1 ? 'zonk' : 'not zing');
    texts.push(words.join(' '));
    labels[k] = kind === 0 ? 1 : 0;
  }
  return { texts, labels };
}

const config: SentimentConfig = {
  ...DEFAULT_SENTIMENT,
  hidden: 8,
  epochs: 12,
  batchSize: 16,
  learningRate: 0.02,
  dropout: 0,
};
const ctx = () => ({ jobId: 't', signal: new AbortController().signal });

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerKernels('cpu');
});

function setup(n: number, seed: number) {
  const { texts, labels } = planted(n, seed);
  const tokens = texts.map((t) => tokenize(t).tokens);
  const vocab = buildVocabulary(tokens, null, 1);
  const dims = 8;
  const docs = tokens.map((t) => encode(t, vocab));
  return {
    texts,
    labels,
    tokens,
    vocab,
    dims,
    docs,
    init: { embedding: initialEmbedding(vocab, null, dims, wordNoise(vocab.words.length * dims, 1)), dims },
  };
}

describe('sentiment network', () => {
  it('learns a planted rule, negation included, and its token weights point at the rule words', async () => {
    const s = setup(240, 1);
    const r = await trainSentiment(s.docs, s.labels, s.vocab.words, s.init, config, ctx());
    expect(r.epochLoss.at(-1)).toBeLessThan((r.epochLoss[0] as number) * 0.5);
    const m = new SentimentModel(r.weights);
    try {
      const test = setup(60, 2);
      const docs = test.tokens.map((t) => encode(t, s.vocab));
      const scored = await m.score(docs);
      const correct = scored.filter((x, k) => (x.probability > 0.5 ? 1 : 0) === test.labels[k]).length;
      expect(correct / scored.length).toBeGreaterThan(0.95);
      // In a positive text, "zing" carries the largest positive share; logit = sum of shares + bias.
      const k = test.labels.indexOf(1);
      const terms = (scored[k] as (typeof scored)[number]).terms;
      const toks = test.tokens[k] ?? [];
      const top = toks[terms.indexOf(Math.max(...terms))];
      expect(top?.norm).toBe('zing');
      const sum = terms.reduce((a, b) => a + b, 0) + r.weights.bias;
      expect(sum).toBeCloseTo((scored[k] as (typeof scored)[number]).logit, 4);
    } finally {
      m.dispose();
    }
  });

  it('compiled for serving, it computes the same logits and token shares as the tfjs network', async () => {
    const s = setup(120, 8);
    // Negated words included (the "not zing" texts).
    const r = await trainSentiment(s.docs, s.labels, s.vocab.words, s.init, { ...config, epochs: 3 }, ctx());
    const reference = new SentimentModel(r.weights);
    const compiled = await CompiledSentiment.compile(r.weights);
    const expected = await reference.score(s.docs);
    reference.dispose();
    s.docs.forEach((d, k) => {
      const got = compiled.score(d);
      const want = expected[k] as (typeof expected)[number];
      expect(got.logit).toBeCloseTo(want.logit, 4);
      got.terms.forEach((t, i) => expect(t).toBeCloseTo(want.terms[i] as number, 4));
    });
    expect(compiled.score({ ids: new Int32Array(0), negated: new Float32Array(0) }).logit).toBeCloseTo(
      r.weights.bias,
      6,
    );
  });

  it('leaks no tensors in training or scoring (after warm-up)', async () => {
    const s = setup(48, 3);
    const small = { ...config, epochs: 1 };
    const warm = await trainSentiment(s.docs, s.labels, s.vocab.words, s.init, small, ctx());
    new SentimentModel(warm.weights).dispose();
    const before = tf.memory().numTensors;
    const r = await trainSentiment(s.docs, s.labels, s.vocab.words, s.init, small, ctx());
    const m = new SentimentModel(r.weights);
    await m.score(s.docs);
    await m.score([{ ids: new Int32Array(0), negated: new Float32Array(0) }]);
    m.dispose();
    (await CompiledSentiment.compile(r.weights)).score(
      s.docs[0] ?? { ids: new Int32Array(0), negated: new Float32Array(0) },
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('scores an empty document as the bias alone', async () => {
    const s = setup(30, 4);
    const r = await trainSentiment(s.docs, s.labels, s.vocab.words, s.init, { ...config, epochs: 1 }, ctx());
    const m = new SentimentModel(r.weights);
    const [x] = await m.score([{ ids: new Int32Array(0), negated: new Float32Array(0) }]);
    m.dispose();
    expect(x?.logit).toBeCloseTo(r.weights.bias, 5);
  });

  it('saves and restores its weights and vocabulary through the model record', async () => {
    const s = setup(30, 5);
    const r = await trainSentiment(s.docs, s.labels, s.vocab.words, s.init, { ...config, epochs: 1 }, ctx());
    const spec = sentimentSpec({} as Engine);
    const record = { id: 'x', ...spec.toRecord(r.weights) };
    expect(spec.fromRecord(record)).toEqual(r.weights);
    expect(spec.fromRecord({ ...record, extra: {} })).toBeNull();
    expect(spec.fromRecord({ ...record, tensors: record.tensors.slice(1) })).toBeNull();
  });
});

describe('sentiment network on tfjs-wasm', () => {
  it('trains to the same planted rule and leaks nothing there too', async () => {
    await tf.setBackend('wasm');
    registerKernels('wasm');
    try {
      const s = setup(240, 1);
      const before = tf.memory().numTensors;
      const r = await trainSentiment(s.docs, s.labels, s.vocab.words, s.init, config, ctx());
      expect(tf.memory().numTensors).toBe(before);
      const compiled = await CompiledSentiment.compile(r.weights);
      const test = setup(60, 2);
      const correct = test.tokens.filter(
        (t, k) => (compiled.score(encode(t, s.vocab)).probability > 0.5 ? 1 : 0) === test.labels[k],
      ).length;
      expect(correct / test.tokens.length).toBeGreaterThan(0.95);
    } finally {
      await tf.setBackend('cpu');
    }
  });
});

describe('matMul2d', () => {
  it('has the same value and gradients as tf.matMul', () => {
    const a = tf.randomNormal([5, 3], 0, 1, 'float32', 1) as tf.Tensor2D;
    const b = tf.randomNormal([3, 4], 0, 1, 'float32', 2) as tf.Tensor2D;
    const f = (mm: (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Tensor2D) =>
      tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(mm(x as tf.Tensor2D, y as tf.Tensor2D))))([a, b]);
    const [ga, gb] = f(matMul2d);
    const [ra, rb] = f((x, y) => tf.matMul(x, y));
    expect(Array.from(matMul2d(a, b).dataSync())).toEqual(Array.from(tf.matMul(a, b).dataSync()));
    expect(tf.max(tf.abs(tf.sub(ga as tf.Tensor, ra as tf.Tensor))).dataSync()[0]).toBeLessThan(1e-5);
    expect(tf.max(tf.abs(tf.sub(gb as tf.Tensor, rb as tf.Tensor))).dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose([a, b, ga, gb, ra, rb]);
  });
});

describe('logistic regression baseline', () => {
  it('learns the planted rule from unigrams and bigrams', () => {
    const s = setup(240, 6);
    const lr = trainLogReg(s.tokens, s.labels, { epochs: 20, learningRate: 0.3, l2: 1e-4, seed: 1 });
    const test = setup(60, 7);
    const scores = logRegScores(lr, test.tokens);
    const correct = Array.from(scores).filter((p, k) => (p > 0.5 ? 1 : 0) === test.labels[k]).length;
    expect(correct / scores.length).toBeGreaterThan(0.95);
  });
});
