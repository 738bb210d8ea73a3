/**
 * Taste segments: k-means (k-means++ seeding, seeded) over the BPR user vectors of the MovieLens users, each
 * segment described by the genres its members like more than everyone does (lift of the genre share).
 * The shopper's folded-in vector is assigned to the nearest centre: "your taste is closest to …".
 */
import { mulberry32 } from '../runtime/random';
import type { InteractionMatrix } from '../shared/interactions';

export interface Segment {
  id: number;
  size: number;
  /** Genres with the highest lift in this segment's items, with the lift. */
  top: { tag: string; lift: number }[];
}

export interface Segmentation {
  k: number;
  dim: number;
  centres: Float32Array;
  assignment: Int32Array;
  segments: Segment[];
}

const dist2 = (a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, d: number) => {
  let s = 0;
  for (let p = 0; p < d; p++) s += ((a[ao + p] as number) - (b[bo + p] as number)) ** 2;
  return s;
};

/** k-means on n rows of `data` (row-major, `dim` wide). */
export function kmeans(
  data: Float32Array,
  n: number,
  dim: number,
  k: number,
  seed: number,
  iterations = 50,
): { centres: Float32Array; assignment: Int32Array } {
  const rand = mulberry32(seed);
  const centres = new Float32Array(k * dim);
  // k-means++: each next centre drawn with probability proportional to its squared distance to the chosen ones.
  const first = Math.floor(rand() * n);
  centres.set(data.subarray(first * dim, first * dim + dim), 0);
  const d2 = new Float64Array(n).fill(Infinity);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      d2[i] = Math.min(d2[i] as number, dist2(data, i * dim, centres, (c - 1) * dim, dim));
      total += d2[i] as number;
    }
    let r = rand() * total;
    let pick = n - 1;
    for (let i = 0; i < n; i++) {
      r -= d2[i] as number;
      if (r <= 0) {
        pick = i;
        break;
      }
    }
    centres.set(data.subarray(pick * dim, pick * dim + dim), c * dim);
  }
  const assignment = new Int32Array(n).fill(-1);
  for (let it = 0; it < iterations; it++) {
    let moved = 0;
    for (let i = 0; i < n; i++) {
      const c = nearest(centres, k, dim, data, i * dim);
      if (c !== assignment[i]) {
        assignment[i] = c;
        moved++;
      }
    }
    const sums = new Float64Array(k * dim);
    const counts = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      const c = assignment[i] as number;
      counts[c] = (counts[c] as number) + 1;
      for (let p = 0; p < dim; p++) sums[c * dim + p] = (sums[c * dim + p] as number) + (data[i * dim + p] as number);
    }
    for (let c = 0; c < k; c++)
      if (counts[c])
        for (let p = 0; p < dim; p++) centres[c * dim + p] = (sums[c * dim + p] as number) / (counts[c] as number);
    if (!moved) break;
  }
  return { centres, assignment };
}

export function nearest(centres: Float32Array, k: number, dim: number, v: ArrayLike<number>, offset = 0): number {
  let best = 0;
  let bestD = Infinity;
  for (let c = 0; c < k; c++) {
    const d = dist2(v, offset, centres, c * dim, dim);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/** Segments the users of `m` by their vectors and describes each by the tags of the items its members have. */
export function segmentUsers(
  userVectors: Float32Array,
  dim: number,
  m: InteractionMatrix,
  tags: string[][],
  k: number,
  seed: number,
): Segmentation {
  const { centres, assignment } = kmeans(userVectors, m.numUsers, dim, k, seed);
  const global = new Map<string, number>();
  let globalTotal = 0;
  const per = Array.from({ length: k }, () => ({ size: 0, total: 0, tags: new Map<string, number>() }));
  for (let u = 0; u < m.numUsers; u++) {
    const s = per[assignment[u] as number];
    if (!s) continue;
    s.size++;
    for (const i of m.userItems.items.subarray(m.userItems.offsets[u], m.userItems.offsets[u + 1]))
      for (const t of tags[i] ?? []) {
        s.tags.set(t, (s.tags.get(t) ?? 0) + 1);
        s.total++;
        global.set(t, (global.get(t) ?? 0) + 1);
        globalTotal++;
      }
  }
  const segments = per.map((s, id) => ({
    id,
    size: s.size,
    top: [...s.tags]
      .filter(([, c]) => c >= 20) // ignore genres too rare in the segment to say anything
      .map(([tag, c]) => ({ tag, lift: c / s.total / ((global.get(tag) ?? 1) / globalTotal) }))
      .sort((a, b) => b.lift - a.lift)
      .slice(0, 3),
  }));
  return { k, dim, centres, assignment, segments };
}
