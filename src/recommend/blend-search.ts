/**
 * Choosing the served blend's weights on a validation split: every part scores each user once, and every weight
 * combination of the grid is ranked from those scores (the evaluation's own protocol: the user's items excluded,
 * ties broken by the shared seeded permutation, each part standardised over the items as the blend does).
 */
import { hitAt, ndcgAt, rankOf, tieBreakRanks } from '../eval/metrics';
import { userOfQuery, type Ranker, type RankingSplit } from '../eval/ranking';
import { mulberry32, permutation } from '../runtime/random';
import type { FoldChoice } from './protocol-config';
import { standardize } from './recommender';

export interface BlendTrial {
  /** One weight per part, in the parts' order. */
  weights: number[];
  ndcg10: number;
  hr10: number;
}

export interface BlendSearchOptions {
  seed: number;
  onProgress?: (fraction: number) => void;
  /** Checked between users; throw to stop. */
  checkCancelled?: () => void;
}

/** Every combination of the values per part (the cartesian product), in order. */
export function weightGrid(values: number[][]): number[][] {
  return values.reduce<number[][]>((acc, vs) => acc.flatMap((w) => vs.map((v) => [...w, v])), [[]]);
}

/** NDCG@10 and HR@10 of each weight combination over the split's held-out items, best first. */
export async function searchBlend(
  parts: Ranker[],
  split: RankingSplit,
  grid: number[][],
  o: BlendSearchOptions,
): Promise<BlendTrial[]> {
  return (await scoreGrid(parts, split, grid, o)).trials;
}

/** Each combination's NDCG@10 per user (the mean over the user's queries), users in order of first query. */
export interface GridScores {
  /** Best validation NDCG@10 first. */
  trials: BlendTrial[];
  /** perUser[g][k]: combination g of the grid as given, user k. */
  perUser: Float64Array[];
  grid: number[][];
}

/** searchBlend, keeping every combination's NDCG@10 per user (for cross-fitting: ./blend-search.ts crossFit). */
export async function scoreGrid(
  parts: Ranker[],
  split: RankingSplit,
  grid: number[][],
  o: BlendSearchOptions,
): Promise<GridScores> {
  if (grid.some((w) => w.length !== parts.length))
    throw new Error(`searchBlend: every combination needs ${parts.length} weights`);
  const n = split.train.numItems;
  const tie = tieBreakRanks(n, o.seed);
  const excluded = new Uint8Array(n);
  const partScores = parts.map(() => new Float32Array(n));
  const blend = new Float32Array(n);
  const ndcg = new Float64Array(grid.length);
  const hr = new Float64Array(grid.length);
  const queries = [...split.heldOut.keys()].filter((u) => (split.heldOut[u] as number) >= 0);
  const slot = new Map<number, number>();
  for (const q of queries) if (!slot.has(userOfQuery(split, q))) slot.set(userOfQuery(split, q), slot.size);
  const perUser = grid.map(() => new Float64Array(slot.size));
  const perUserQueries = new Float64Array(slot.size);
  for (const [k, u] of queries.entries()) {
    if (k % 32 === 0) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      o.checkCancelled?.();
      o.onProgress?.(k / queries.length);
    }
    parts.forEach((p, q) => {
      p.score(u, split, partScores[q] as Float32Array);
      standardize(partScores[q] as Float32Array);
    });
    const seq = split.sequences[u] ?? [];
    for (const i of seq) excluded[i] = 1;
    const target = split.heldOut[u] as number;
    const at = slot.get(userOfQuery(split, u)) as number;
    perUserQueries[at] = (perUserQueries[at] as number) + 1;
    grid.forEach((weights, g) => {
      blend.fill(0);
      weights.forEach((w, q) => {
        if (!w) return;
        const s = partScores[q] as Float32Array;
        for (let j = 0; j < n; j++) blend[j] = (blend[j] as number) + w * (s[j] as number);
      });
      const rank = rankOf(blend, target, excluded, tie);
      const gain = ndcgAt(rank, 10);
      ndcg[g] = (ndcg[g] as number) + gain;
      hr[g] = (hr[g] as number) + hitAt(rank, 10);
      const row = perUser[g] as Float64Array;
      row[at] = (row[at] as number) + gain;
    });
    for (const i of seq) excluded[i] = 0;
  }
  for (const row of perUser) row.forEach((x, k) => (row[k] = x / (perUserQueries[k] as number)));
  const m = queries.length || 1;
  const trials = grid
    .map((weights, g) => ({ weights, ndcg10: (ndcg[g] as number) / m, hr10: (hr[g] as number) / m }))
    .sort((a, b) => b.ndcg10 - a.ndcg10);
  return { trials, perUser, grid };
}

/**
 * Two-fold cross-fitting over users: the users split in two by a seeded shuffle; the combination best on one half is
 * scored on the other, and the other way round. `ndcg10`: the mean over users of the scores so obtained, a
 * validation score the choice has not flattered.
 */
export function crossFit(s: GridScores, seed: number): { folds: FoldChoice[]; ndcg10: number } {
  const users = s.perUser[0]?.length ?? 0;
  const order = permutation(users, mulberry32(seed));
  const half = new Uint8Array(users);
  order.forEach((u, k) => (half[u] = k < users / 2 ? 0 : 1));
  const mean = (row: Float64Array, f: number) => {
    let sum = 0;
    let n = 0;
    row.forEach((x, u) => {
      if (half[u] === f) {
        sum += x;
        n++;
      }
    });
    return { mean: n ? sum / n : 0, n };
  };
  const folds = [0, 1].map((f) => {
    let best = 0;
    s.perUser.forEach((row, g) => {
      if (mean(row, 1 - f).mean > mean(s.perUser[best] as Float64Array, 1 - f).mean) best = g;
    });
    const row = s.perUser[best] as Float64Array;
    const scored = mean(row, f);
    return { weights: s.grid[best] as number[], chosenOn: mean(row, 1 - f).mean, scored: scored.mean, users: scored.n };
  });
  const total = folds.reduce((a, f) => a + f.users, 0) || 1;
  return { folds, ndcg10: folds.reduce((a, f) => a + f.scored * f.users, 0) / total };
}
