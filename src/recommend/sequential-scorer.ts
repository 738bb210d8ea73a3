/**
 * The sequential model's forward pass in plain JS, for serving and evaluation: one history of at most `maxLen`
 * items is a few small matrix products, cheaper here than a round of tensor uploads, and nothing to leak. Same
 * function as `encode` in ./sequential.ts at the last position (unit-tested to 1e-4). Only the last position's
 * output is needed, so the last block computes its query, attention and feed-forward for that position alone
 * (keys and values still cover every position): about 0.4 million multiply-adds for 50 items at 64 dimensions.
 */
import { LN_EPSILON, type SequentialWeights } from './sequential';

/** dst[dOff..dOff+d) = src[sOff..sOff+d) W (+ bias), W row-major [d x d]. */
function rowTimes(
  src: Float32Array,
  sOff: number,
  w: Float32Array,
  d: number,
  dst: Float32Array,
  dOff: number,
  bias?: Float32Array,
): void {
  for (let o = 0; o < d; o++) dst[dOff + o] = bias ? (bias[o] as number) : 0;
  for (let i = 0; i < d; i++) {
    const xi = src[sOff + i] as number;
    if (xi === 0) continue;
    const row = i * d;
    for (let o = 0; o < d; o++) dst[dOff + o] = (dst[dOff + o] as number) + xi * (w[row + o] as number);
  }
}

/** Layer norm of src's row at sOff into dst's row at dOff. */
function layerNorm(
  src: Float32Array,
  sOff: number,
  gain: Float32Array,
  bias: Float32Array,
  d: number,
  dst: Float32Array,
  dOff: number,
): void {
  let mean = 0;
  for (let k = 0; k < d; k++) mean += src[sOff + k] as number;
  mean /= d;
  let variance = 0;
  for (let k = 0; k < d; k++) variance += ((src[sOff + k] as number) - mean) ** 2;
  const r = 1 / Math.sqrt(variance / d + LN_EPSILON);
  for (let k = 0; k < d; k++)
    dst[dOff + k] = ((src[sOff + k] as number) - mean) * r * (gain[k] as number) + (bias[k] as number);
}

/** A map that keeps its `capacity` most recently used entries (a Map keeps insertion order: oldest first). */
class Recent<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly capacity: number) {}

  /** The value for `key`, now the most recently used; undefined when not kept. */
  get(key: K): V | undefined {
    if (!this.map.has(key)) return undefined;
    const v = this.map.get(key) as V;
    this.map.delete(key);
    this.map.set(key, v);
    return v;
  }

  set(key: K, value: V): void {
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }
}

/** States kept per scorer: a page asks for the same history several times per event (For you, Up next, reasons). */
const REMEMBERED = 32;
/**
 * First-block rows kept per scorer, by (item, position): an item's layer-normed input, key and value there depend
 * on nothing else. The reasons re-run the model without each recent item, which moves only the items before it
 * by one position, to where the previous event's history had them: those rows are found here.
 */
const FIRST_ROWS = 4096;

export class SequentialScorer {
  /** The last history scored and its scores (For you and Up next score the same recent movies per event). */
  private lastScores: { key: string; scores: Float32Array } | null = null;
  /** Recent states by history. */
  private readonly remembered = new Recent<string, Float32Array | null>(REMEMBERED);
  /** First-block rows [normed input | key | value] by item * maxLen + position. */
  private readonly firstRows = new Recent<number, Float32Array>(FIRST_ROWS);

  constructor(readonly w: SequentialWeights) {}

  /**
   * The model's state after `history` (item indices, oldest first; the last `maxLen` are read), or null if empty.
   * The result is shared with later calls for the same history: read it, do not change it.
   */
  state(history: readonly number[]): Float32Array | null {
    const { seq, key } = this.window(history);
    const known = this.remembered.get(key);
    if (known !== undefined) return known;
    const h = this.forward(seq);
    this.remembered.set(key, h);
    return h;
  }

  /** The part of `history` the model reads (the last maxLen known items), and its key. */
  private window(history: readonly number[]): { seq: number[]; key: string } {
    const seq = history.slice(-this.w.maxLen).filter((i) => i >= 0 && i < this.w.numItems);
    return { seq, key: seq.join(',') };
  }

  private forward(seq: number[]): Float32Array | null {
    const { w } = this;
    const d = w.dim;
    const n = seq.length;
    if (n === 0) return null;
    let x = new Float32Array(n * d);
    const embScale = w.embeddingScale ?? 1;
    seq.forEach((item, k) => {
      const p = (w.maxLen - n + k) * d;
      const e = (item + 1) * d;
      for (let c = 0; c < d; c++) x[k * d + c] = embScale * (w.item[e + c] as number) + (w.position[p + c] as number);
    });
    const a = new Float32Array(n * d);
    const keys = new Float32Array(n * d);
    const values = new Float32Array(n * d);
    const q = new Float32Array(d);
    const f = new Float32Array(d);
    const hidden = new Float32Array(d);
    const ffn = new Float32Array(d);
    const heads = new Float32Array(d);
    const projected = new Float32Array(d);
    const logits = new Float64Array(n);
    const scale = 1 / Math.sqrt(d);
    w.block.forEach((b, bi) => {
      const last = bi === w.block.length - 1;
      for (let i = 0; i < n; i++) {
        if (bi === 0) {
          const row = this.firstRow(seq[i] as number, w.maxLen - n + i, x.subarray(i * d, i * d + d));
          a.set(row.subarray(0, d), i * d);
          keys.set(row.subarray(d, 2 * d), i * d);
          values.set(row.subarray(2 * d), i * d);
          continue;
        }
        layerNorm(x, i * d, b.ln1Gain, b.ln1Bias, d, a, i * d);
        rowTimes(a, i * d, b.wk, d, keys, i * d, b.bk);
        rowTimes(a, i * d, b.wv, d, values, i * d, b.bv);
      }
      // The last block only needs the last position's output; earlier blocks need every position's.
      const first = last ? n - 1 : 0;
      const y = new Float32Array((n - first) * d);
      for (let i = first; i < n; i++) {
        rowTimes(a, i * d, b.wq, d, q, 0, b.bq);
        let max = -Infinity;
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let c = 0; c < d; c++) s += (q[c] as number) * (keys[j * d + c] as number);
          logits[j] = s * scale;
          max = Math.max(max, s * scale);
        }
        let z = 0;
        for (let j = 0; j <= i; j++) z += logits[j] = Math.exp((logits[j] as number) - max);
        const o = (i - first) * d;
        heads.fill(0);
        for (let j = 0; j <= i; j++) {
          const p = (logits[j] as number) / z;
          for (let c = 0; c < d; c++) heads[c] = (heads[c] as number) + p * (values[j * d + c] as number);
        }
        // SASRec-CE's layers project the attention's output (wo, bo) before the residual.
        if (b.wo) rowTimes(heads, 0, b.wo, d, projected, 0, b.bo);
        const added = b.wo ? projected : heads;
        for (let c = 0; c < d; c++) y[o + c] = (x[i * d + c] as number) + (added[c] as number);
        layerNorm(y, o, b.ln2Gain, b.ln2Bias, d, f, 0);
        rowTimes(f, 0, b.w1, d, hidden, 0, b.b1);
        for (let c = 0; c < d; c++) hidden[c] = Math.max(0, hidden[c] as number);
        rowTimes(hidden, 0, b.w2, d, ffn, 0, b.b2);
        for (let c = 0; c < d; c++) y[o + c] = (y[o + c] as number) + (ffn[c] as number);
      }
      x = y;
    });
    const out = new Float32Array(d);
    layerNorm(x, x.length - d, w.lnGain, w.lnBias, d, out, 0);
    return out;
  }

  /** The first block's [normed input | key | value] for `item` at `position`, whose input row is `x`. */
  private firstRow(item: number, position: number, x: Float32Array): Float32Array {
    const key = item * this.w.maxLen + position;
    const known = this.firstRows.get(key);
    if (known) return known;
    const d = this.w.dim;
    const b = this.w.block[0];
    const row = new Float32Array(3 * d);
    if (!b) return row;
    layerNorm(x, 0, b.ln1Gain, b.ln1Bias, d, row, 0);
    rowTimes(row, 0, b.wk, d, row, d, b.bk);
    rowTimes(row, 0, b.wv, d, row, 2 * d, b.bv);
    this.firstRows.set(key, row);
    return row;
  }

  /** Item j's next-item score for a state (the bias alone without one). */
  scoreOf(h: Float32Array | null, j: number): number {
    const { w } = this;
    const d = w.dim;
    let s = w.itemBias[j + 1] as number;
    if (h) for (let c = 0, e = (j + 1) * d; c < d; c++) s += (h[c] as number) * (w.item[e + c] as number);
    return s;
  }

  /** Next-item scores for every item (length numItems); all equal (the bias) without a history. */
  scores(history: readonly number[], into?: Float32Array): Float32Array {
    const { numItems, dim: d, item, itemBias } = this.w;
    const out = into ?? new Float32Array(numItems);
    const { key } = this.window(history);
    if (this.lastScores?.key === key) {
      out.set(this.lastScores.scores);
      return out;
    }
    const h = this.state(history);
    if (!h) {
      out.set(itemBias.subarray(1, numItems + 1));
      return out;
    }
    // scoreOf for every item, inlined and unrolled by four (d is a multiple of 4; any rest is added after): this
    // loop is the bulk of a request's sequential work.
    const d4 = d - (d % 4);
    for (let j = 0, e = d; j < numItems; j++, e += d) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let c = 0;
      for (; c < d4; c += 4) {
        s0 += (h[c] as number) * (item[e + c] as number);
        s1 += (h[c + 1] as number) * (item[e + c + 1] as number);
        s2 += (h[c + 2] as number) * (item[e + c + 2] as number);
        s3 += (h[c + 3] as number) * (item[e + c + 3] as number);
      }
      for (; c < d; c++) s0 += (h[c] as number) * (item[e + c] as number);
      out[j] = (itemBias[j + 1] as number) + s0 + s1 + s2 + s3;
    }
    this.lastScores = { key, scores: Float32Array.from(out) }; // a copy: callers may change `out`
    return out;
  }
}

/** What serves and evaluates next-item scores: one model (SequentialScorer) or an ensemble (SequentialEnsemble). */
export interface NextItemScorer {
  /** The (first) model's weights: its shape, and For you's weights chosen with it. */
  readonly w: SequentialWeights;
  /** The state after `history` (null when the model reads none of it); shared with later calls: read only. */
  state(history: readonly number[]): Float32Array | null;
  /** Item j's next-item score for a state from `state`. */
  scoreOf(h: Float32Array | null, j: number): number;
  /** Next-item scores for every item. */
  scores(history: readonly number[], into?: Float32Array): Float32Array;
}

/**
 * Several trainings of one recipe served as one model: the mean of their next-item scores (logits). Averaging seeds
 * is the strongest lever the quality protocol measured (docs/models.md "Quality protocol"). The state is the
 * members' states side by side, so that an explanation can re-score an item from a state as for one model.
 */
export class SequentialEnsemble implements NextItemScorer {
  readonly w: SequentialWeights;
  private scratch = new Float32Array(0);

  constructor(readonly members: SequentialScorer[]) {
    const first = members[0];
    if (!first) throw new Error('an ensemble needs a model');
    if (members.some((m) => m.w.numItems !== first.w.numItems || m.w.dim !== first.w.dim))
      throw new Error("an ensemble's models must score the same items at the same width");
    this.w = first.w;
  }

  state(history: readonly number[]): Float32Array | null {
    const d = this.w.dim;
    const states = this.members.map((m) => m.state(history));
    if (states.every((h) => h === null)) return null;
    const h = new Float32Array(d * states.length);
    states.forEach((s, k) => s && h.set(s, k * d));
    return h;
  }

  scoreOf(h: Float32Array | null, j: number): number {
    const d = this.w.dim;
    let s = 0;
    this.members.forEach((m, k) => (s += m.scoreOf(h ? h.subarray(k * d, (k + 1) * d) : null, j)));
    return s / this.members.length;
  }

  scores(history: readonly number[], into?: Float32Array): Float32Array {
    const n = this.w.numItems;
    const out = into ?? new Float32Array(n);
    if (this.scratch.length !== n) this.scratch = new Float32Array(n);
    out.fill(0);
    for (const m of this.members) {
      m.scores(history, this.scratch);
      for (let j = 0; j < n; j++) out[j] = (out[j] as number) + (this.scratch[j] as number);
    }
    const k = 1 / this.members.length;
    for (let j = 0; j < n; j++) out[j] = (out[j] as number) * k;
    return out;
  }
}

/** The scorer that serves `w`: the model alone, or with its ensemble's other members. */
export const scorerOf = (w: SequentialWeights): NextItemScorer =>
  w.members?.length
    ? new SequentialEnsemble([w, ...w.members].map((m) => new SequentialScorer(m)))
    : new SequentialScorer(w);
