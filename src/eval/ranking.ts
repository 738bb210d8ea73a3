/**
 * The recommendation evaluation protocol (docs/models.md "Evaluation"): each user's last interaction by time is held
 * out; models learn from the rest; each model ranks all items except the user's training items; ties are
 * broken by one seeded permutation shared by all models. Every model is scored in the same run.
 */
import { buildMatrix, type InteractionMatrix } from '../shared/interactions';
import { coverage, hitAt, intraListDiversity, ndcgAt, rankOf, reciprocalRank, tieBreakRanks, topK } from './metrics';

export interface RankingSplit {
  train: InteractionMatrix;
  /** Each user's training items in time order (oldest first). */
  sequences: number[][];
  /** The held-out item per user, or -1 for users with fewer than two interactions. */
  heldOut: Int32Array;
}

export function leaveLastOut(
  user: ArrayLike<number>,
  item: ArrayLike<number>,
  timestamp: ArrayLike<number>,
  numUsers: number,
  numItems: number,
): RankingSplit {
  const rows: { i: number; t: number; k: number }[][] = Array.from({ length: numUsers }, () => []);
  for (let k = 0; k < user.length; k++)
    rows[user[k] as number]?.push({ i: item[k] as number, t: timestamp[k] as number, k });
  const heldOut = new Int32Array(numUsers).fill(-1);
  const sequences: number[][] = [];
  const tu: number[] = [];
  const ti: number[] = [];
  rows.forEach((list, u) => {
    list.sort((a, b) => a.t - b.t || a.k - b.k);
    const last = list.length >= 2 ? (list[list.length - 1] as { i: number }) : undefined;
    if (last) heldOut[u] = last.i;
    const train = (last ? list.slice(0, -1) : list).map((r) => r.i).filter((i) => i !== last?.i);
    sequences.push(train);
    for (const i of train) {
      tu.push(u);
      ti.push(i);
    }
  });
  return { train: buildMatrix(tu, ti, numUsers, numItems), sequences, heldOut };
}

/**
 * The validation split inside a training split: each training sequence's last item held out (users with fewer than
 * two training items hold none out), and the rest trained on. Choices (epochs, blend weights) are made on it, never
 * on the test items.
 */
export function validationSplit(split: RankingSplit): RankingSplit {
  const tu: number[] = [];
  const ti: number[] = [];
  const sequences = split.sequences.map((q, u) => {
    const kept = q.length >= 2 ? q.slice(0, -1) : q;
    for (const i of kept) {
      tu.push(u);
      ti.push(i);
    }
    return kept;
  });
  const heldOut = Int32Array.from(split.sequences, (q) => (q.length >= 2 ? (q[q.length - 1] as number) : -1));
  return { train: buildMatrix(tu, ti, split.train.numUsers, split.train.numItems), sequences, heldOut };
}

/** A model under evaluation: fills `out` with one score per item for user `u`. */
export interface Ranker {
  name: string;
  score(u: number, split: RankingSplit, out: Float32Array): void;
}

export interface RankingRow {
  model: string;
  users: number;
  hr10: number;
  ndcg10: number;
  recall20: number;
  mrr: number;
  coverage10: number;
  diversity10: number;
  ms: number;
  /** NDCG@10 of each evaluated user, in the split's user order (the same users for every row of one split). */
  perUser?: number[];
}

export interface EvaluateOptions {
  seed: number;
  /** Distance between two items for intra-list diversity (e.g. genre Jaccard distance). */
  distance: (a: number, b: number) => number;
  onProgress?: (fraction: number, model: string) => void;
  /** Checked between users; throw to stop. */
  checkCancelled?: () => void;
}

export async function evaluateRankers(
  rankers: Ranker[],
  split: RankingSplit,
  o: EvaluateOptions,
): Promise<RankingRow[]> {
  const numItems = split.train.numItems;
  const tie = tieBreakRanks(numItems, o.seed);
  const scores = new Float32Array(numItems);
  const excluded = new Uint8Array(numItems);
  const users = [...split.heldOut.keys()].filter((u) => (split.heldOut[u] as number) >= 0);
  const rows: RankingRow[] = [];
  for (const [r, ranker] of rankers.entries()) {
    const t0 = performance.now();
    let hr = 0;
    let ndcg = 0;
    let rec20 = 0;
    let mrr = 0;
    let div = 0;
    const lists: number[][] = [];
    const perUser: number[] = [];
    for (const [n, u] of users.entries()) {
      if (n % 32 === 0) {
        // Let progress and cancel messages through.
        await new Promise((resolve) => setTimeout(resolve, 0));
        o.checkCancelled?.();
        o.onProgress?.((r + n / users.length) / rankers.length, ranker.name);
      }
      ranker.score(u, split, scores);
      const seq = split.sequences[u] ?? [];
      for (const i of seq) excluded[i] = 1;
      const rank = rankOf(scores, split.heldOut[u] as number, excluded, tie);
      const top = topK(scores, 10, excluded, tie);
      for (const i of seq) excluded[i] = 0;
      hr += hitAt(rank, 10);
      ndcg += ndcgAt(rank, 10);
      perUser.push(ndcgAt(rank, 10));
      rec20 += hitAt(rank, 20);
      mrr += reciprocalRank(rank);
      div += intraListDiversity(top, o.distance);
      lists.push(top);
    }
    const n = users.length || 1;
    rows.push({
      model: ranker.name,
      users: users.length,
      hr10: hr / n,
      ndcg10: ndcg / n,
      recall20: rec20 / n,
      mrr: mrr / n,
      coverage10: coverage(lists, numItems),
      diversity10: div / n,
      ms: performance.now() - t0,
      perUser,
    });
  }
  return rows;
}
