/**
 * Choosing the served blend's weights on a validation split: every part scores each user once, and every weight
 * combination of the grid is ranked from those scores (the evaluation's own protocol: the user's items excluded,
 * ties broken by the shared seeded permutation, each part standardised over the items as the blend does).
 */
import { hitAt, ndcgAt, rankOf, tieBreakRanks } from '../eval/metrics';
import type { Ranker, RankingSplit } from '../eval/ranking';
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
  if (grid.some((w) => w.length !== parts.length))
    throw new Error(`searchBlend: every combination needs ${parts.length} weights`);
  const n = split.train.numItems;
  const tie = tieBreakRanks(n, o.seed);
  const excluded = new Uint8Array(n);
  const partScores = parts.map(() => new Float32Array(n));
  const blend = new Float32Array(n);
  const ndcg = new Float64Array(grid.length);
  const hr = new Float64Array(grid.length);
  const users = [...split.heldOut.keys()].filter((u) => (split.heldOut[u] as number) >= 0);
  for (const [k, u] of users.entries()) {
    if (k % 32 === 0) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      o.checkCancelled?.();
      o.onProgress?.(k / users.length);
    }
    parts.forEach((p, q) => {
      p.score(u, split, partScores[q] as Float32Array);
      standardize(partScores[q] as Float32Array);
    });
    const seq = split.sequences[u] ?? [];
    for (const i of seq) excluded[i] = 1;
    const target = split.heldOut[u] as number;
    grid.forEach((weights, g) => {
      blend.fill(0);
      weights.forEach((w, q) => {
        if (!w) return;
        const s = partScores[q] as Float32Array;
        for (let j = 0; j < n; j++) blend[j] = (blend[j] as number) + w * (s[j] as number);
      });
      const rank = rankOf(blend, target, excluded, tie);
      ndcg[g] = (ndcg[g] as number) + ndcgAt(rank, 10);
      hr[g] = (hr[g] as number) + hitAt(rank, 10);
    });
    for (const i of seq) excluded[i] = 0;
  }
  const m = users.length || 1;
  return grid
    .map((weights, g) => ({ weights, ndcg10: (ndcg[g] as number) / m, hr10: (hr[g] as number) / m }))
    .sort((a, b) => b.ndcg10 - a.ndcg10);
}
