/**
 * The sequential model's forward pass in plain JS, for serving and evaluation: one history of at most `maxLen`
 * items is a few small matrix products (about 3 million multiply-adds at 64 dimensions and 2 blocks), cheaper
 * here than a round of tensor uploads, and nothing to leak. Same function as `encode` in ./sequential.ts
 * (unit-tested to 1e-4).
 */
import { LN_EPSILON, type SequentialWeights } from './sequential';

/** y[o] = sum_i x[i] W[i, o] (+ b[o]) for row-major W [d x d]. */
function affine(x: Float32Array, w: Float32Array, d: number, b?: Float32Array): Float32Array {
  const y = b ? Float32Array.from(b) : new Float32Array(d);
  for (let i = 0; i < d; i++) {
    const xi = x[i] as number;
    if (xi === 0) continue;
    const row = i * d;
    for (let o = 0; o < d; o++) y[o] = (y[o] as number) + xi * (w[row + o] as number);
  }
  return y;
}

function layerNorm(x: Float32Array, gain: Float32Array, bias: Float32Array): Float32Array {
  const d = x.length;
  let mean = 0;
  for (const v of x) mean += v;
  mean /= d;
  let variance = 0;
  for (const v of x) variance += (v - mean) ** 2;
  const r = 1 / Math.sqrt(variance / d + LN_EPSILON);
  const y = new Float32Array(d);
  for (let k = 0; k < d; k++) y[k] = ((x[k] as number) - mean) * r * (gain[k] as number) + (bias[k] as number);
  return y;
}

export class SequentialScorer {
  constructor(readonly w: SequentialWeights) {}

  /** The model's state after `history` (item indices, oldest first; the last `maxLen` are read), or null if empty. */
  state(history: readonly number[]): Float32Array | null {
    const { w } = this;
    const d = w.dim;
    const seq = history.slice(-w.maxLen).filter((i) => i >= 0 && i < w.numItems);
    const n = seq.length;
    if (n === 0) return null;
    let x = seq.map((item, k) => {
      const p = (w.maxLen - n + k) * d;
      const e = (item + 1) * d;
      const v = new Float32Array(d);
      for (let c = 0; c < d; c++) v[c] = (w.item[e + c] as number) + (w.position[p + c] as number);
      return v;
    });
    const scale = 1 / Math.sqrt(d);
    for (const b of w.block) {
      const a = x.map((v) => layerNorm(v, b.ln1Gain, b.ln1Bias));
      const q = a.map((v) => affine(v, b.wq, d));
      const k = a.map((v) => affine(v, b.wk, d));
      const val = a.map((v) => affine(v, b.wv, d));
      x = x.map((xi, i) => {
        // Causal attention: query i over keys 0..i.
        const logits = new Float64Array(i + 1);
        let max = -Infinity;
        for (let j = 0; j <= i; j++) {
          let s = 0;
          const qi = q[i] as Float32Array;
          const kj = k[j] as Float32Array;
          for (let c = 0; c < d; c++) s += (qi[c] as number) * (kj[c] as number);
          logits[j] = s * scale;
          max = Math.max(max, s * scale);
        }
        let z = 0;
        for (let j = 0; j <= i; j++) z += logits[j] = Math.exp((logits[j] as number) - max);
        const y = Float32Array.from(xi);
        for (let j = 0; j <= i; j++) {
          const p = (logits[j] as number) / z;
          const vj = val[j] as Float32Array;
          for (let c = 0; c < d; c++) y[c] = (y[c] as number) + p * (vj[c] as number);
        }
        const f = layerNorm(y, b.ln2Gain, b.ln2Bias);
        const hidden = affine(f, b.w1, d, b.b1).map((h) => Math.max(0, h));
        const out = affine(hidden, b.w2, d, b.b2);
        for (let c = 0; c < d; c++) y[c] = (y[c] as number) + (out[c] as number);
        return y;
      });
    }
    return layerNorm(x[n - 1] as Float32Array, w.lnGain, w.lnBias);
  }

  /** Next-item scores for every item (length numItems); all equal (the bias) without a history. */
  scores(history: readonly number[], into?: Float32Array): Float32Array {
    const { w } = this;
    const out = into ?? new Float32Array(w.numItems);
    const d = w.dim;
    const h = this.state(history);
    for (let j = 0; j < w.numItems; j++) {
      const e = (j + 1) * d;
      let s = w.itemBias[j + 1] as number;
      if (h) for (let c = 0; c < d; c++) s += (h[c] as number) * (w.item[e + c] as number);
      out[j] = s;
    }
    return out;
  }
}
