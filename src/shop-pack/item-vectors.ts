/**
 * Learned item vectors for a shop pack, with their model card. Two sources:
 * - **from the released pairs** (the default when the pack has pairs): a spectral embedding of the pairs the pack
 *   already releases. The cosine matrix of the "also bought" and "bought together" pairs (plus the identity) is
 *   factorised by subspace iteration; each item's vector is its row of the top `dims` eigenvectors, scaled by the
 *   square roots of their eigenvalues. It is computed from released counts alone (post-processing), so it costs no
 *   privacy budget beyond theirs and holds nothing the pairs do not; an item is in a released pair only when at
 *   least k customers support that pair. Training a model on the raw orders instead (BPR on each customer's rows)
 *   would carry those rows into the pack with no bound on what it memorises: that needs DP training, which HushCart
 *   does not have.
 * - **imported** (`--item-vectors`): factors trained in the shop's own warehouse, e.g. Spark MLlib ALS's
 *   `itemFactors` written as JSON Lines (`{"id": "...", "features": [...]}`) or as a CSV with `id` and `features`
 *   (numbers in brackets, or separated by spaces or semicolons). Only items whose popularity passed the k rule keep
 *   theirs; their card says they are not differentially private.
 * Either way an item without a vector is served by its content (title, category, picture).
 */
import type { Aggregates, ItemVectors, VectorCard } from '../catalog/schema';
import { HushCartError } from '../errors';
import { pairCosines } from '../shared/neighbourhood';
import { warn } from './products';
import { csvRows, field, head, inputError, jsonLines, type InputFile } from './source';

/** Dimensions of the vectors computed from the released pairs. */
export const PAIR_VECTOR_DIMS = 16;
/** Imported vectors: at most this many dimensions (a pack is downloaded by every visitor). */
export const MAX_IMPORTED_DIMS = 256;
const ITERATIONS = 40;

type Warnings = Map<string, { count: number; example: string }>;

/** The released "also bought" and "bought together" pairs (the larger count where both have a pair) as cosines. */
function releasedPairCosines(agg: Aggregates, n: number): ReturnType<typeof pairCosines> {
  const pairs = new Map<number, number>();
  for (const kind of ['alsoBought', 'together'] as const) {
    const p = agg[kind];
    for (let k = 0; k < p.a.length; k++) {
      const a = p.a[k] as number;
      const b = p.b[k] as number;
      const key = a < b ? a * n + b : b * n + a;
      pairs.set(key, Math.max(pairs.get(key) ?? 0, p.count[k] as number));
    }
  }
  const keys = [...pairs.keys()];
  return pairCosines({
    numItems: n,
    item: agg.popularity.item,
    itemCount: agg.popularity.count,
    a: keys.map((key) => Math.floor(key / n)),
    b: keys.map((key) => key % n),
    count: keys.map((key) => pairs.get(key) as number),
  });
}

/** Gram-Schmidt on the columns of a [rows x d] row-major block; returns each column's norm before scaling. */
function orthonormalise(m: Float64Array, rows: number, d: number): Float64Array {
  const norms = new Float64Array(d);
  for (let c = 0; c < d; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let r = 0; r < rows; r++) dot += (m[r * d + c] as number) * (m[r * d + p] as number);
      for (let r = 0; r < rows; r++) m[r * d + c] = (m[r * d + c] as number) - dot * (m[r * d + p] as number);
    }
    let sq = 0;
    for (let r = 0; r < rows; r++) sq += (m[r * d + c] as number) ** 2;
    const norm = Math.sqrt(sq);
    norms[c] = norm;
    for (let r = 0; r < rows; r++) m[r * d + c] = norm > 1e-12 ? (m[r * d + c] as number) / norm : 0;
  }
  return norms;
}

/**
 * Vectors from the released pairs: (S + I) V = V diag(lambda) for the top `dims` eigenpairs of the pairs' cosine
 * matrix S restricted to the items in a pair, found by subspace iteration from a fixed start (the same pack gives the
 * same vectors); an item's vector is its row of V diag(sqrt(lambda)). Null when no pair was released.
 */
export function vectorsFromPairs(
  agg: Aggregates,
  n: number,
  dims = PAIR_VECTOR_DIMS,
): Omit<ItemVectors, 'card'> | null {
  const { offsets, cols, sims: vals } = releasedPairCosines(agg, n);
  const members: number[] = [];
  for (let i = 0; i < n; i++) if ((offsets[i + 1] as number) > (offsets[i] as number)) members.push(i);
  if (members.length < 2) return null;
  const rows = members.length;
  const d = Math.min(dims, rows);
  const at = new Int32Array(n).fill(-1);
  members.forEach((i, r) => (at[i] = r));
  let v: Float64Array = new Float64Array(rows * d);
  // A fixed, well-spread start: a hash of (row, column) in [-1, 1).
  for (let x = 0; x < v.length; x++) v[x] = ((Math.imul(x + 1, 2654435761) >>> 0) / 2 ** 32) * 2 - 1;
  orthonormalise(v, rows, d);
  let lambda: Float64Array = new Float64Array(d);
  for (let it = 0; it < ITERATIONS; it++) {
    const next = Float64Array.from(v); // the identity's part
    for (let r = 0; r < rows; r++) {
      const i = members[r] as number;
      for (let e = offsets[i] as number; e < (offsets[i + 1] as number); e++) {
        const s = vals[e] as number;
        const q = at[cols[e] as number] as number;
        for (let c = 0; c < d; c++) next[r * d + c] = (next[r * d + c] as number) + s * (v[q * d + c] as number);
      }
    }
    lambda = orthonormalise(next, rows, d);
    v = next;
  }
  const item: number[] = [];
  const values: number[] = [];
  members.forEach((i, r) => {
    item.push(i);
    for (let c = 0; c < d; c++) values.push(round((v[r * d + c] as number) * Math.sqrt(lambda[c] as number)));
  });
  return { dims: d, item, values };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

function parseFeatures(raw: unknown): number[] | null {
  const list = Array.isArray(raw)
    ? raw
    : typeof raw === 'string'
      ? raw.replace(/^\s*\[|\]\s*$/g, '').split(/[\s,;]+/)
      : null;
  if (!list || !list.length) return null;
  const out = list.filter((x) => x !== '').map(Number);
  return out.length && out.every(Number.isFinite) ? out : null;
}

/**
 * Reads imported vectors (JSON Lines or CSV with `id` and `features`), keyed by product id. Every vector must have
 * the same number of dimensions; a line naming no product is skipped and counted.
 */
export async function readItemVectors(
  file: InputFile,
  ids: string[],
  warnings: Warnings,
): Promise<{ vectors: Map<number, number[]>; dims: number; rows: number }> {
  const index = new Map(ids.map((id, k) => [id, k]));
  const vectors = new Map<number, number[]>();
  let dims = 0;
  let rows = 0;
  const take = (id: string, raw: unknown, line: number) => {
    rows++;
    const f = parseFeatures(raw);
    if (!f) throw inputError(file.name, `line ${line}, field "features": not a list of numbers`);
    if (f.length > MAX_IMPORTED_DIMS)
      throw inputError(file.name, `line ${line}: ${f.length} dimensions (at most ${MAX_IMPORTED_DIMS})`);
    if (dims && f.length !== dims)
      throw inputError(file.name, `line ${line}: ${f.length} dimensions where the lines before have ${dims}`);
    dims = f.length;
    const k = index.get(id);
    if (k === undefined)
      warn({ warnings }, 'item vector of no product in the catalog (skipped)', `${file.name} line ${line}`);
    else if (vectors.has(k)) warn({ warnings }, 'second vector for a product (skipped)', `${file.name} line ${line}`);
    else vectors.set(k, f);
  };
  if ((await head(file, 64)).trimStart().startsWith('{')) {
    for await (const { value, line } of jsonLines(file)) {
      if (value.id === undefined || value.id === null || value.id === '')
        throw inputError(file.name, `line ${line}, field "id": missing`);
      take(String(value.id), value.features, line);
    }
  } else {
    for await (const row of csvRows(file))
      take(field(file.name, row, 'id', true), field(file.name, row, 'features', true), row.line);
  }
  if (!rows) throw inputError(file.name, 'no item vectors in the file');
  return { vectors, dims, rows };
}

/**
 * Imported vectors for the items whose popularity passed the k rule (the others are dropped and counted): an
 * item fewer than k customers bought gets no vector of its own.
 */
export function keepSupported(
  imported: { vectors: Map<number, number[]>; dims: number },
  agg: Aggregates | undefined,
  ids: string[],
  warnings: Warnings,
): Omit<ItemVectors, 'card'> {
  if (!agg)
    throw new HushCartError(
      'api/invalid-argument',
      'item vectors need orders or counts beside them: without them no item can be shown to have k customers',
    );
  const supported = new Set(agg.popularity.item);
  const item: number[] = [];
  const values: number[] = [];
  for (const [k, f] of [...imported.vectors].sort((a, b) => a[0] - b[0])) {
    if (!supported.has(k)) {
      warn({ warnings }, 'item vector of a product fewer than k customers bought (dropped)', `'${ids[k] ?? k}'`);
      continue;
    }
    item.push(k);
    for (const x of f) values.push(round(x));
  }
  return { dims: imported.dims, item, values };
}

export type { ItemVectors, VectorCard };
