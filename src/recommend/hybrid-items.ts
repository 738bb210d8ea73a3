/**
 * Hybrid item vectors: an item's collaborative (BPR-MF) vector where it has interactions, its content's
 * prediction of that vector where it has few or none. A ridge regression maps content features (genres, decade,
 * the title's GloVe vector) to the BPR item vector and bias, fitted on items with enough interactions; each item's
 * vector is then n/(n + k) of its own plus k/(n + k) of the content prediction (n = its users, k = `shrink`).
 * Items with `minCount` users or more keep their own vector. Items the collaborative model barely saw (the long
 * tail, a newly added item) get a vector from what they are.
 */
import { embedTexts, type WordVectors } from '../shared/word-vectors';
import type { BprWeights } from './bpr';
import { cholesky, choleskySolve } from './fold-in';

export interface ItemFeatures {
  dims: number;
  /** [numItems x dims], row-major. */
  x: Float32Array;
}

export interface ContentItem {
  title: string;
  tags?: string[];
  year?: number;
}

/** Genre one-hots, decade one-hots, and (with word vectors) the title's unit GloVe vector scaled by 0.5. */
export function contentFeatures(items: ContentItem[], wv?: WordVectors | null): ItemFeatures {
  const tags = [...new Set(items.flatMap((i) => i.tags ?? []))].sort();
  const decades = [...new Set(items.map((i) => decade(i.year)).filter((d): d is number => d !== null))].sort();
  const text = wv
    ? embedTexts(
        items.map((i) => i.title),
        wv,
      )
    : null;
  const td = wv?.dims ?? 0;
  const dims = tags.length + decades.length + td;
  const x = new Float32Array(items.length * dims);
  const tagAt = new Map(tags.map((t, k) => [t, k]));
  const decadeAt = new Map(decades.map((d, k) => [d, tags.length + k]));
  items.forEach((item, r) => {
    const o = r * dims;
    const own = item.tags ?? [];
    for (const t of own) x[o + (tagAt.get(t) as number)] = 1 / Math.sqrt(own.length);
    const d = decade(item.year);
    if (d !== null) x[o + (decadeAt.get(d) as number)] = 1;
    if (text) for (let p = 0; p < td; p++) x[o + tags.length + decades.length + p] = 0.5 * (text[r * td + p] as number);
  });
  return { dims, x };
}

function decade(year: number | undefined): number | null {
  return year === undefined || !Number.isFinite(year) ? null : Math.floor(year / 10) * 10;
}

export interface HybridOptions {
  /** Interactions at which an item's own vector and its content prediction weigh the same. */
  shrink: number;
  /** Items with at least this many users fit the regression. */
  minCount: number;
  l2: number;
}

export const DEFAULT_HYBRID: HybridOptions = { shrink: 5, minCount: 10, l2: 1 };

/** Solves A W = B for symmetric positive-definite A [n x n] and B [n x m], column by column (one factorisation). */
function ridgeSolve(a: Float64Array, b: Float64Array, n: number, m: number): Float64Array {
  const l = cholesky(Float64Array.from(a), n);
  const w = new Float64Array(n * m);
  const column = new Float64Array(n);
  for (let k = 0; k < m; k++) {
    for (let r = 0; r < n; r++) column[r] = b[r * m + k] as number;
    choleskySolve(l, n, column).forEach((v, r) => (w[r * m + k] = v));
  }
  return w;
}

/** BPR weights with hybrid item vectors and biases (user vectors unchanged). */
export function hybridItems(
  w: BprWeights,
  counts: ArrayLike<number>,
  f: ItemFeatures,
  o: HybridOptions = DEFAULT_HYBRID,
): BprWeights {
  const n = f.dims + 1; // features and an intercept
  const m = w.dim + 1; // vector and bias
  const a = new Float64Array(n * n);
  const b = new Float64Array(n * m);
  const row = new Float64Array(n);
  const target = new Float64Array(m);
  for (let i = 0; i < w.numItems; i++) {
    if ((counts[i] as number) < o.minCount) continue;
    for (let p = 0; p < f.dims; p++) row[p] = f.x[i * f.dims + p] as number;
    row[f.dims] = 1;
    for (let k = 0; k < w.dim; k++) target[k] = w.item[i * w.dim + k] as number;
    target[w.dim] = w.itemBias[i] as number;
    for (let p = 0; p < n; p++) {
      const rp = row[p] as number;
      if (rp === 0) continue;
      for (let q = 0; q < n; q++) a[p * n + q] = (a[p * n + q] as number) + rp * (row[q] as number);
      for (let k = 0; k < m; k++) b[p * m + k] = (b[p * m + k] as number) + rp * (target[k] as number);
    }
  }
  for (let p = 0; p < n; p++) a[p * n + p] = (a[p * n + p] as number) + o.l2;
  const coef = ridgeSolve(a, b, n, m);
  const item = new Float32Array(w.item.length);
  const itemBias = new Float32Array(w.numItems);
  for (let i = 0; i < w.numItems; i++) {
    const c = counts[i] as number;
    // Well-rated movies keep their own vector (mixing content into them cost NDCG@10 in the evaluation).
    const alpha = c >= o.minCount ? 1 : c / (c + o.shrink);
    for (let k = 0; k < m; k++) {
      let pred = coef[f.dims * m + k] as number;
      for (let p = 0; p < f.dims; p++) {
        const x = f.x[i * f.dims + p] as number;
        if (x !== 0) pred += x * (coef[p * m + k] as number);
      }
      if (k < w.dim) item[i * w.dim + k] = alpha * (w.item[i * w.dim + k] as number) + (1 - alpha) * pred;
      else itemBias[i] = alpha * (w.itemBias[i] as number) + (1 - alpha) * pred;
    }
  }
  return { ...w, item, itemBias };
}
