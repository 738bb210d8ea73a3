/**
 * Folds a shopper into a trained factor model without retraining: with the item vectors fixed, the shopper's
 * vector is the weighted ridge solution u = (sum c_h v_h v_h^T + lambda I)^-1 sum c_h t_h v_h over the history
 * (t = +1 for liked, -1 for disliked; c = how strongly). The score of item j then splits exactly into one
 * share per history item, c_h t_h (A^-1 v_j) . v_h: the reasons shown to the shopper.
 */
import type { WeightedItem } from './knn';

export interface FoldIn {
  user: Float32Array;
  /** Solves A x = b for the fold-in's A (for contributions). */
  solve: (b: ArrayLike<number>) => Float64Array;
}

/** Cholesky factorisation of a symmetric positive-definite d x d matrix (row-major), in place. */
export function cholesky(a: Float64Array, d: number): Float64Array {
  for (let i = 0; i < d; i++)
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j] as number;
      for (let k = 0; k < j; k++) s -= (a[i * d + k] as number) * (a[j * d + k] as number);
      a[i * d + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / (a[j * d + j] as number);
    }
  return a;
}

/** Solves L L^T x = b for the factor `l` from cholesky. */
export function choleskySolve(l: Float64Array, d: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[i * d + k] as number) * (y[k] as number);
    y[i] = s / (l[i * d + i] as number);
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i] as number;
    for (let k = i + 1; k < d; k++) s -= (l[k * d + i] as number) * (x[k] as number);
    x[i] = s / (l[i * d + i] as number);
  }
  return x;
}

export function foldIn(item: Float32Array, dim: number, history: WeightedItem[], lambda = 0.5): FoldIn {
  const a = new Float64Array(dim * dim);
  const b = new Float64Array(dim);
  for (let k = 0; k < dim; k++) a[k * dim + k] = lambda;
  for (const { item: h, weight } of history) {
    if (!weight) continue;
    const c = Math.abs(weight);
    const t = Math.sign(weight);
    const o = h * dim;
    for (let p = 0; p < dim; p++) {
      const vp = item[o + p] as number;
      b[p] = (b[p] as number) + c * t * vp;
      for (let q = 0; q <= p; q++) a[p * dim + q] = (a[p * dim + q] as number) + c * vp * (item[o + q] as number);
    }
  }
  for (let p = 0; p < dim; p++) for (let q = p + 1; q < dim; q++) a[p * dim + q] = a[q * dim + p] as number;
  const l = cholesky(a, dim);
  return { user: Float32Array.from(choleskySolve(l, dim, b)), solve: (rhs) => choleskySolve(l, dim, rhs) };
}

/** Each history item's share of item j's (non-bias) score under the fold-in. */
export function foldInContributions(
  f: FoldIn,
  item: Float32Array,
  dim: number,
  history: WeightedItem[],
  j: number,
): WeightedItem[] {
  const z = f.solve(item.subarray(j * dim, (j + 1) * dim));
  return history
    .map(({ item: h, weight }) => {
      let dot = 0;
      for (let p = 0; p < dim; p++) dot += (z[p] as number) * (item[h * dim + p] as number);
      return { item: h, weight: weight * dot };
    })
    .sort((x, y) => y.weight - x.weight);
}
