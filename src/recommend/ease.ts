/**
 * EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019): item-item weights in closed form,
 * B = I - P / diag(P) with P = (X^T X + lambda I)^-1 and a zero diagonal, scored as x_u B. The inverse is a dense
 * items x items solve (n^3 multiply-adds), so it is taken over the items with at least `minCount` training
 * interactions; the others rank below every kept item. No library does this in the browser: tfjs
 * has no matrix inverse or Cholesky, so the solve is written here (Gauss-Jordan on the symmetric positive-definite
 * Gram matrix, which needs no pivoting), in float64, one pivot row at a time.
 */
import type { InteractionMatrix } from '../shared/interactions';

export interface EaseConfig {
  lambda: number;
  /** Items with fewer training interactions are left out of the solve. */
  minCount: number;
}

export interface EaseWeights {
  /** Catalog index of each kept item. */
  items: Int32Array;
  /** Kept-item index of each catalog item, or -1. */
  slot: Int32Array;
  /** [kept x kept] item-item weights, row-major (row: the item in the history). */
  b: Float32Array;
  config: EaseConfig;
  /** Seconds spent in the solve alone. */
  solveSeconds: number;
}

export interface EaseOptions {
  onProgress?: (fraction: number) => void;
  /** Checked between pivot rows; throw to stop. */
  checkCancelled?: () => void;
}

/** Inverts the SPD matrix `a` (n x n, row-major) in place by Gauss-Jordan elimination without pivoting. */
export async function invertSpd(a: Float64Array, n: number, o: EaseOptions = {}): Promise<void> {
  const pivotRow = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    if (k % 64 === 0) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      o.checkCancelled?.();
      o.onProgress?.(k / n);
    }
    const kk = k * n;
    const p = a[kk + k] as number;
    if (!(p > 0)) throw new Error(`invertSpd: the matrix is not positive definite (pivot ${k} is ${p})`);
    const inv = 1 / p;
    // Row k becomes the pivot row divided by the pivot, with the identity's column k folded in.
    for (let j = 0; j < n; j++) a[kk + j] = (a[kk + j] as number) * inv;
    a[kk + k] = inv;
    pivotRow.set(a.subarray(kk, kk + n));
    for (let i = 0; i < n; i++) {
      if (i === k) continue;
      const ii = i * n;
      const f = a[ii + k] as number;
      if (f === 0) continue;
      for (let j = 0; j < n; j++) a[ii + j] = (a[ii + j] as number) - f * (pivotRow[j] as number);
      a[ii + k] = -f * inv;
    }
  }
}

export async function trainEase(m: InteractionMatrix, config: EaseConfig, o: EaseOptions = {}): Promise<EaseWeights> {
  const slot = new Int32Array(m.numItems).fill(-1);
  const kept: number[] = [];
  for (let i = 0; i < m.numItems; i++)
    if ((m.itemCount[i] as number) >= config.minCount) {
      slot[i] = kept.length;
      kept.push(i);
    }
  const n = kept.length;
  const g = new Float64Array(n * n);
  const row: number[] = [];
  for (let u = 0; u < m.numUsers; u++) {
    row.length = 0;
    const { offsets, items } = m.userItems;
    for (let k = offsets[u] as number; k < (offsets[u + 1] as number); k++) {
      const s = slot[items[k] as number] as number;
      if (s >= 0) row.push(s);
    }
    for (const a of row) for (const b of row) g[a * n + b] = (g[a * n + b] as number) + 1;
  }
  for (let i = 0; i < n; i++) g[i * n + i] = (g[i * n + i] as number) + config.lambda;
  const t0 = performance.now();
  await invertSpd(g, n, o);
  const solveSeconds = (performance.now() - t0) / 1000;
  // B_ij = -P_ij / P_jj, B_jj = 0.
  const b = new Float32Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) if (i !== j) b[i * n + j] = -(g[i * n + j] as number) / (g[j * n + j] as number);
  o.onProgress?.(1);
  return { items: Int32Array.from(kept), slot, b, config, solveSeconds };
}

/** x_u B for a history of catalog items (kept ones count), into `out` (one score per catalog item). */
export function easeScores(w: EaseWeights, history: number[], out: Float32Array): Float32Array {
  const n = w.items.length;
  const acc = new Float32Array(n);
  for (const item of history) {
    const s = w.slot[item] ?? -1;
    if (s < 0) continue;
    const r = s * n;
    for (let j = 0; j < n; j++) acc[j] = (acc[j] as number) + (w.b[r + j] as number);
  }
  // Items left out of the solve rank below every kept one.
  let min = 0;
  for (let j = 0; j < n; j++) if ((acc[j] as number) < min) min = acc[j] as number;
  out.fill(min - 1);
  for (let j = 0; j < n; j++) out[w.items[j] as number] = acc[j] as number;
  return out;
}
