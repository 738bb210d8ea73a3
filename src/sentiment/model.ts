/**
 * The review sentiment network, trained in the engine worker with tfjs on any backend (only gather, matmul,
 * elementwise and softmax: no convolution kernels, which tfjs-wasm cannot differentiate).
 *
 *   x_t  = E[w_t] + negated_t * n                         word vectors initialised from GloVe, fine-tuned
 *   h_t  = relu(W x_t + c)                                what token t says, s_t = u . h_t
 *   g_t  = relu(A [x_{t-1}; x_t; x_{t+1}] + d)            its context: a width-3 convolution as one matmul
 *   a_t  = softmax_t(q . g_t)                             how much the review rests on token t
 *   logit = sum_t a_t s_t + b                             P(positive) = sigmoid(logit)
 *
 * The logit is exactly the sum of per-token terms a_t s_t plus the bias, and s_t depends on token t alone
 * (with its negation flag): the context only decides how much it counts. So each highlighted word's weight is
 * the model's own decomposition of its decision and belongs to that word, not a lexicon lookup and not a
 * neighbour's meaning leaking in through a convolution window.
 */
import * as tf from '@tensorflow/tfjs';
import { runEpochs, type TrainContext } from '../runtime/epochs';
import { matMul2d, ownedVariable } from '../runtime/ops';
import { gaussian, mulberry32 } from '../runtime/random';
import { HushCartError } from '../errors';
import type { Encoded } from './vocab';
import type { SentimentConfig } from './model-config';
import type { SentimentWeights } from './contract';
export type { SentimentWeights };

export { SENTIMENT_VERSION, DEFAULT_SENTIMENT, type SentimentConfig } from './model-config';

type Params = {
  E: tf.Tensor2D;
  n: tf.Tensor1D;
  W: tf.Tensor2D;
  c: tf.Tensor1D;
  u: tf.Tensor2D;
  A: tf.Tensor2D;
  d: tf.Tensor1D;
  q: tf.Tensor2D;
  b: tf.Scalar;
};

/** One padded batch: ids [B, L], negation flags [B, L], mask [B, L]. */
interface Batch {
  ids: tf.Tensor2D;
  negated: tf.Tensor2D;
  mask: tf.Tensor2D;
}

function makeBatch(docs: Encoded[], maxTokens: number): Batch {
  const clip = (d: Encoded): Encoded => {
    if (d.ids.length <= maxTokens) return d;
    const head = Math.round(maxTokens * 0.75);
    const tail = maxTokens - head;
    const cut = <T extends Int32Array | Float32Array>(a: T): T => {
      const out = a.slice(0, maxTokens) as T;
      out.set(a.subarray(a.length - tail), head);
      return out;
    };
    return { ids: cut(d.ids), negated: cut(d.negated) };
  };
  const clipped = docs.map(clip);
  const L = Math.max(1, ...clipped.map((d) => d.ids.length));
  const ids = new Int32Array(docs.length * L);
  const neg = new Float32Array(docs.length * L);
  const mask = new Float32Array(docs.length * L);
  clipped.forEach((d, r) => {
    ids.set(d.ids, r * L);
    neg.set(d.negated, r * L);
    mask.fill(1, r * L, r * L + d.ids.length);
  });
  return {
    ids: tf.tensor2d(ids, [docs.length, L], 'int32'),
    negated: tf.tensor2d(neg, [docs.length, L]),
    mask: tf.tensor2d(mask, [docs.length, L]),
  };
}

/** Logits [B] and per-token terms a_t s_t [B, L] (zero at padding). Call inside a tidy or minimize. */
function forward(p: Params, x: Batch, dropout: { rate: number; seed: number } | null) {
  const [B, L] = x.ids.shape;
  const D = p.E.shape[1];
  // Padding positions are zero vectors (so the context window past either end sees nothing).
  let e = tf.mul(
    tf.add(tf.gather(p.E, x.ids), tf.mul(tf.expandDims(x.negated, 2), p.n)),
    tf.expandDims(x.mask, 2),
  ) as tf.Tensor3D;
  if (dropout && dropout.rate > 0) e = tf.dropout(e, dropout.rate, undefined, dropout.seed) as tf.Tensor3D;
  const padded = tf.pad(e, [
    [0, 0],
    [1, 1],
    [0, 0],
  ]);
  const windows = tf.concat(
    [0, 1, 2].map((k) => tf.slice(padded, [0, k, 0], [B, L, D])),
    2,
  );
  const h = tf.relu(tf.add(matMul2d(tf.reshape(e, [B * L, D]), p.W), p.c)) as tf.Tensor2D;
  const s = tf.reshape(matMul2d(h, p.u), [B, L]);
  const g = tf.relu(tf.add(matMul2d(tf.reshape(windows, [B * L, 3 * D]), p.A), p.d)) as tf.Tensor2D;
  const a = tf.softmax(tf.add(tf.reshape(matMul2d(g, p.q), [B, L]), tf.mul(tf.sub(x.mask, 1), 1e9)));
  const terms = tf.mul(tf.mul(a, s), x.mask);
  return { logits: tf.add(tf.sum(terms, 1), p.b) as tf.Tensor1D, terms: terms as tf.Tensor2D };
}

function toParams(w: SentimentWeights): Params {
  const V = w.vocab.length;
  return {
    E: tf.tensor2d(w.embedding, [V, w.dims]),
    n: tf.tensor1d(w.negation),
    W: tf.tensor2d(w.word, [w.dims, w.hidden]),
    c: tf.tensor1d(w.wordBias),
    u: tf.tensor2d(w.say, [w.hidden, 1]),
    A: tf.tensor2d(w.context, [3 * w.dims, w.hidden]),
    d: tf.tensor1d(w.contextBias),
    q: tf.tensor2d(w.attend, [w.hidden, 1]),
    b: tf.scalar(w.bias),
  };
}

export interface SentimentTrainResult {
  weights: SentimentWeights;
  epochLoss: number[];
  ms: number;
  examplesPerSec: number;
}

/**
 * Trains on encoded documents with 0/1 labels. `init` gives the starting embedding (GloVe rows) for `vocab`.
 * Batches group documents of similar length (less padding); their order is shuffled each epoch.
 */
export async function trainSentiment(
  docs: Encoded[],
  labels: Uint8Array,
  vocab: string[],
  init: { embedding: Float32Array; dims: number },
  config: SentimentConfig,
  ctx: TrainContext<SentimentWeights>,
): Promise<SentimentTrainResult> {
  if (docs.length === 0 || docs.length !== labels.length)
    throw new HushCartError('api/invalid-argument', 'sentiment training needs documents with one label each');
  const t0 = performance.now();
  const D = init.dims;
  const H = config.hidden;
  const order = docs.map((d, k) => ({ k, len: Math.min(d.ids.length, config.maxTokens) }));
  order.sort((a, b) => a.len - b.len || a.k - b.k);
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += config.batchSize)
    batches.push(order.slice(i, i + config.batchSize).map((o) => o.k));
  const glorot = (fanIn: number, fanOut: number, n: number, seed: number) =>
    gaussian(n, Math.sqrt(2 / (fanIn + fanOut)), seed);
  const p = {
    E: ownedVariable(tf.tensor2d(init.embedding, [vocab.length, D])),
    n: ownedVariable(tf.tensor1d(new Float32Array(D))),
    W: ownedVariable(tf.tensor2d(glorot(D, H, D * H, config.seed), [D, H])),
    c: ownedVariable(tf.tensor1d(new Float32Array(H))),
    u: ownedVariable(tf.tensor2d(glorot(H, 1, H, config.seed + 1), [H, 1])),
    A: ownedVariable(tf.tensor2d(glorot(3 * D, H, 3 * D * H, config.seed + 3), [3 * D, H])),
    d: ownedVariable(tf.tensor1d(new Float32Array(H))),
    q: ownedVariable(tf.tensor2d(glorot(H, 1, H, config.seed + 2), [H, 1])),
    b: ownedVariable(tf.scalar(0)),
  };
  const vars: tf.Variable[] = [p.E, p.n, p.W, p.c, p.u, p.A, p.d, p.q, p.b];
  const trained = config.tuneEmbedding ? vars : vars.filter((v) => v !== p.E);
  const optimizer = tf.train.adam(config.learningRate);
  const read = async (): Promise<SentimentWeights> => {
    const [E, n, W, c, u, A, d, q, b] = (await Promise.all(vars.map((v) => v.data()))) as Float32Array[];
    return {
      vocab,
      dims: D,
      hidden: H,
      embedding: E as Float32Array,
      negation: n as Float32Array,
      word: W as Float32Array,
      wordBias: c as Float32Array,
      say: u as Float32Array,
      context: A as Float32Array,
      contextBias: d as Float32Array,
      attend: q as Float32Array,
      bias: (b as Float32Array)[0] as number,
    };
  };
  try {
    const epochLoss = await runEpochs({
      n: batches.length,
      epochs: config.epochs,
      batchSize: 1,
      // A batch of reviews takes tens of ms: yield after each so recommendations are not held up.
      yieldEvery: 1,
      seed: config.seed,
      jobId: ctx.jobId,
      signal: ctx.signal,
      ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}),
      step: (idx, rand) => {
        const members = batches[idx[0] as number] as number[];
        const x = makeBatch(
          members.map((k) => docs[k] as Encoded),
          config.maxTokens,
        );
        const y = tf.tensor1d(Float32Array.from(members, (k) => labels[k] as number));
        const seed = Math.floor(rand() * 2 ** 31);
        try {
          const cost = optimizer.minimize(
            () => {
              const { logits } = forward(p, x, { rate: config.dropout, seed });
              // Binary cross-entropy from logits: softplus(z) - y z.
              const bce = tf.mean(tf.sub(tf.softplus(logits), tf.mul(y, logits)));
              const reg = tf.addN([p.W, p.u, p.A, p.q].map((w) => tf.sum(tf.square(w))));
              return tf.add(bce, tf.mul(reg, config.l2)) as tf.Scalar;
            },
            true,
            trained,
          );
          if (!cost) throw new HushCartError('engine/failed', 'the optimizer returned no loss');
          return cost;
        } finally {
          tf.dispose([x.ids, x.negated, x.mask, y]);
        }
      },
      ...(ctx.afterEpoch ? { afterEpoch: (epoch, loss) => ctx.afterEpoch?.(epoch, loss, read) } : {}),
    });
    const weights = await read();
    const ms = performance.now() - t0;
    return { weights, epochLoss, ms, examplesPerSec: (docs.length * config.epochs) / (ms / 1000) };
  } finally {
    optimizer.dispose();
    tf.dispose(vars);
  }
}

export interface Scored {
  /** P(positive) */
  probability: number;
  logit: number;
  /** Per-token share of the logit (a_t s_t), in token order. */
  terms: Float32Array;
}

/** Scores documents with trained weights; batches of similar length, tensors freed. */
export class SentimentModel {
  private readonly p: Params;
  constructor(readonly weights: SentimentWeights) {
    this.p = tf.tidy(() => {
      const p = toParams(weights);
      Object.values(p).forEach((t: tf.Tensor) => tf.keep(t));
      return p;
    });
  }

  async score(docs: Encoded[], batchSize = 128, maxBatchTokens = 32_768): Promise<Scored[]> {
    const out = new Array<Scored>(docs.length);
    const order = docs
      .map((_, k) => k)
      .sort((a, b) => (docs[a] as Encoded).ids.length - (docs[b] as Encoded).ids.length);
    for (let i = 0; i < order.length;) {
      // Longer documents go in smaller batches so one batch stays within maxBatchTokens.
      const len = Math.max(1, (docs[order[Math.min(order.length, i + batchSize) - 1] as number] as Encoded).ids.length);
      const size = Math.max(1, Math.min(batchSize, Math.floor(maxBatchTokens / len)));
      const members = order.slice(i, i + size);
      i += size;
      const batchDocs = members.map((k) => docs[k] as Encoded);
      const x = makeBatch(batchDocs, Number.MAX_SAFE_INTEGER);
      const [logits, terms] = tf.tidy(() => {
        const r = forward(this.p, x, null);
        return [r.logits, r.terms];
      });
      tf.dispose([x.ids, x.negated, x.mask]);
      const [lv, tv] = (await Promise.all([logits.data(), terms.data()])) as Float32Array[];
      tf.dispose([logits, terms]);
      const L = x.ids.shape[1];
      members.forEach((k, r) => {
        const logit = (lv as Float32Array)[r] as number;
        const n = (docs[k] as Encoded).ids.length;
        out[k] = {
          logit,
          probability: 1 / (1 + Math.exp(-logit)),
          terms: (tv as Float32Array).slice(r * L, r * L + n),
        };
      });
    }
    return out;
  }

  dispose(): void {
    tf.dispose(Object.values(this.p) as tf.Tensor[]);
  }
}

/** Seeded noise for embedding rows of words GloVe does not have. */
export function wordNoise(n: number, seed: number): Float32Array {
  const r = mulberry32(seed);
  return Float32Array.from({ length: n }, () => (r() - 0.5) * 0.1);
}
