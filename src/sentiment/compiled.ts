/**
 * The trained sentiment network compiled for serving. Every layer before the attention is linear in one word
 * (or in one word of the context window), so it can be evaluated once per vocabulary word instead of once per
 * token: per word, what it says (s for the plain and the negated form) and its three context projections.
 * Scoring a review is then table lookups and a few adds per token, in plain JavaScript: the same function as
 * ./model.ts computes (tested to 1e-4), about ten times faster, with no tensors to manage.
 * The tables are computed with tfjs on the active backend (one [V, D] x [D, 3H] product).
 */
import * as tf from '@tensorflow/tfjs';
import type { Scored, SentimentWeights } from './model';
import type { Encoded } from './vocab';

export class CompiledSentiment {
  private constructor(
    private readonly hidden: number,
    /** s for word v: say[2v] plain, say[2v + 1] negated. */
    private readonly say: Float32Array,
    /** Context projections of each word for window slots 0, 1, 2: [3][V * H]. */
    private readonly ctx: Float32Array[],
    /** Context projections of the negation vector per slot: [3][H]. */
    private readonly ctxNeg: Float32Array[],
    private readonly ctxBias: Float32Array,
    private readonly attend: Float32Array,
    private readonly bias: number,
  ) {}

  static async compile(w: SentimentWeights): Promise<CompiledSentiment> {
    const V = w.vocab.length;
    const D = w.dims;
    const H = w.hidden;
    const [sayPlain, sayNeg, proj, negProj] = tf.tidy(() => {
      const E = tf.tensor2d(w.embedding, [V, D]);
      const n = tf.tensor2d(w.negation, [1, D]);
      const W = tf.tensor2d(w.word, [D, H]);
      const c = tf.tensor1d(w.wordBias);
      const u = tf.tensor2d(w.say, [H, 1]);
      const A = tf.tensor2d(w.context, [3 * D, H]);
      // The three slots' blocks of A side by side: [D, 3H].
      const blocks = tf.concat(
        [0, 1, 2].map((k) => tf.slice(A, [k * D, 0], [D, H])),
        1,
      );
      const sayOf = (x: tf.Tensor2D) => tf.reshape(tf.matMul(tf.relu(tf.add(tf.matMul(x, W), c)), u), [V]);
      return [sayOf(E), sayOf(tf.add(E, n)), tf.matMul(E, blocks), tf.matMul(n, blocks)];
    });
    try {
      const [sp, sn, pr, np] = (await Promise.all([sayPlain.data(), sayNeg.data(), proj.data(), negProj.data()])) as [
        Float32Array,
        Float32Array,
        Float32Array,
        Float32Array,
      ];
      const say = new Float32Array(2 * V);
      for (let v = 0; v < V; v++) {
        say[2 * v] = sp[v] as number;
        say[2 * v + 1] = sn[v] as number;
      }
      // Split [V, 3H] row-major into three [V, H] tables (contiguous rows per word and slot).
      const ctx = [0, 1, 2].map((k) => {
        const t = new Float32Array(V * H);
        for (let v = 0; v < V; v++) t.set(pr.subarray(v * 3 * H + k * H, v * 3 * H + (k + 1) * H), v * H);
        return t;
      });
      const ctxNeg = [0, 1, 2].map((k) => np.slice(k * H, (k + 1) * H));
      return new CompiledSentiment(H, say, ctx, ctxNeg, w.contextBias, w.attend, w.bias);
    } finally {
      tf.dispose([sayPlain, sayNeg, proj, negProj]);
    }
  }

  score(doc: Encoded): Scored {
    const H = this.hidden;
    const n = doc.ids.length;
    const logits = new Float64Array(n);
    const g = new Float32Array(H);
    let maxLogit = -Infinity;
    for (let t = 0; t < n; t++) {
      g.set(this.ctxBias);
      for (let k = 0; k < 3; k++) {
        const pos = t - 1 + k;
        if (pos < 0 || pos >= n) continue;
        const row = (doc.ids[pos] as number) * H;
        const table = this.ctx[k] as Float32Array;
        for (let j = 0; j < H; j++) g[j] = (g[j] as number) + (table[row + j] as number);
        if (doc.negated[pos]) {
          const nv = this.ctxNeg[k] as Float32Array;
          for (let j = 0; j < H; j++) g[j] = (g[j] as number) + (nv[j] as number);
        }
      }
      let z = 0;
      for (let j = 0; j < H; j++) {
        const x = g[j] as number;
        if (x > 0) z += x * (this.attend[j] as number);
      }
      logits[t] = z;
      if (z > maxLogit) maxLogit = z;
    }
    let sum = 0;
    for (let t = 0; t < n; t++) sum += logits[t] = Math.exp((logits[t] as number) - maxLogit);
    const terms = new Float32Array(n);
    let logit = this.bias;
    for (let t = 0; t < n; t++) {
      const s = this.say[2 * (doc.ids[t] as number) + (doc.negated[t] ? 1 : 0)] as number;
      const term = ((logits[t] as number) / sum) * s;
      terms[t] = term;
      logit += term;
    }
    return { logit, probability: 1 / (1 + Math.exp(-logit)), terms };
  }
}
