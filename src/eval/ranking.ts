/**
 * The recommendation evaluation protocol (docs/models.md "Evaluation"): each user's last interaction by time is held
 * out; models learn from the rest; each model ranks all items except the user's training items; ties are
 * broken by one seeded permutation shared by all models. Every model is scored in the same run.
 */
import { buildMatrix, type InteractionMatrix } from '../shared/interactions';
import { mulberry32, permutation } from '../runtime/random';
import { coverage, hitAt, intraListDiversity, ndcgAt, rankOf, reciprocalRank, tieBreakRanks, topK } from './metrics';

export interface RankingSplit {
  train: InteractionMatrix;
  /**
   * Each query's history in time order (oldest first), what it is ranked from. With one query per user (the
   * default), query k is user k and this is the user's training items.
   */
  sequences: number[][];
  /** Each query's held-out item, or -1 for none (a user with fewer than two interactions). */
  heldOut: Int32Array;
  /** Each query's user where users have several (holdOutLast with n > 1); absent: query k is user k. */
  userOf?: Int32Array;
  /** Each user's training items in time order, where they differ from `sequences` (several queries per user). */
  training?: number[][];
}

/** What models train on: each user's training items in time order. */
export const trainingSequences = (s: RankingSplit): number[][] => s.training ?? s.sequences;

/** The user a query belongs to. */
export const userOfQuery = (s: RankingSplit, q: number): number => s.userOf?.[q] ?? q;

/**
 * Each user's items in time order. Items rated at the same time keep the log's order (MovieLens: by movie id), or,
 * with `tieSeed`, an order drawn by a seeded shuffle (the protocol's robustness row).
 */
export function userSequences(
  user: ArrayLike<number>,
  item: ArrayLike<number>,
  timestamp: ArrayLike<number>,
  numUsers: number,
  o: { tieSeed?: number } = {},
): number[][] {
  const tie = o.tieSeed === undefined ? null : permutation(user.length, mulberry32(o.tieSeed));
  const rows: { i: number; t: number; k: number }[][] = Array.from({ length: numUsers }, () => []);
  for (let k = 0; k < user.length; k++)
    rows[user[k] as number]?.push({ i: item[k] as number, t: timestamp[k] as number, k: tie ? (tie[k] as number) : k });
  return rows.map((list) => list.sort((a, b) => a.t - b.t || a.k - b.k).map((r) => r.i));
}

/**
 * Holds out each user's last `n` items (at most all but the first). With n = 1, one query per user (query k is
 * user k; -1 where nothing is held out). With n > 1, one query per held-out item, ranked from everything the user had
 * before it (the earlier held-out items included), its user in `userOf`. The training items are the rest, less any
 * repeat of a held-out item; a held-out item the user had before is not a query.
 */
export function holdOutLast(seqs: number[][], numItems: number, n = 1): RankingSplit {
  const tu: number[] = [];
  const ti: number[] = [];
  const training = seqs.map((list, u) => {
    const h = Math.min(n, Math.max(0, list.length - 1));
    const held = new Set(list.slice(list.length - h));
    const train = list.slice(0, list.length - h).filter((i) => !held.has(i));
    for (const i of train) {
      tu.push(u);
      ti.push(i);
    }
    return train;
  });
  const train = buildMatrix(tu, ti, seqs.length, numItems);
  if (n === 1) {
    const heldOut = Int32Array.from(seqs, (list) => (list.length >= 2 ? (list[list.length - 1] as number) : -1));
    return { train, sequences: training, heldOut };
  }
  const sequences: number[][] = [];
  const held: number[] = [];
  const users: number[] = [];
  seqs.forEach((list, u) => {
    const h = Math.min(n, Math.max(0, list.length - 1));
    for (let at = list.length - h; at < list.length; at++) {
      const prefix = list.slice(0, at);
      if (prefix.includes(list[at] as number)) continue;
      sequences.push(prefix);
      held.push(list[at] as number);
      users.push(u);
    }
  });
  return { train, sequences, heldOut: Int32Array.from(held), userOf: Int32Array.from(users), training };
}

/** Each user's last interaction by time held out (`last`: the last n, each a query of its own). */
export function leaveLastOut(
  user: ArrayLike<number>,
  item: ArrayLike<number>,
  timestamp: ArrayLike<number>,
  numUsers: number,
  numItems: number,
  o: { last?: number; tieSeed?: number } = {},
): RankingSplit {
  return holdOutLast(userSequences(user, item, timestamp, numUsers, o), numItems, o.last ?? 1);
}

/**
 * The validation split inside a training split: each user's last `n` training items held out (users with fewer
 * than two training items hold none out), and the rest trained on. Choices (epochs, blend weights) are made on it,
 * never on the test items.
 */
export function validationSplit(split: RankingSplit, n = 1): RankingSplit {
  return holdOutLast(trainingSequences(split), split.train.numItems, n);
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
  /**
   * NDCG@10 of each evaluated user (the mean over the user's queries), in the split's user order (the same users
   * for every row of one split).
   */
  perUser?: number[];
  /** Queries scored (the held-out items); `users` where each user has one. */
  queries?: number;
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
  // Each query's user's place in perUser (first appearance order).
  const slot = new Map<number, number>();
  for (const q of users) if (!slot.has(userOfQuery(split, q))) slot.set(userOfQuery(split, q), slot.size);
  const rows: RankingRow[] = [];
  for (const [r, ranker] of rankers.entries()) {
    const t0 = performance.now();
    let hr = 0;
    let ndcg = 0;
    let rec20 = 0;
    let mrr = 0;
    let div = 0;
    const lists: number[][] = [];
    const perUser = new Array<number>(slot.size).fill(0);
    const perUserQueries = new Array<number>(slot.size).fill(0);
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
      const at = slot.get(userOfQuery(split, u)) as number;
      perUser[at] = (perUser[at] as number) + ndcgAt(rank, 10);
      perUserQueries[at] = (perUserQueries[at] as number) + 1;
      rec20 += hitAt(rank, 20);
      mrr += reciprocalRank(rank);
      div += intraListDiversity(top, o.distance);
      lists.push(top);
    }
    const n = users.length || 1;
    rows.push({
      model: ranker.name,
      users: slot.size,
      ...(slot.size !== users.length ? { queries: users.length } : {}),
      hr10: hr / n,
      ndcg10: ndcg / n,
      recall20: rec20 / n,
      mrr: mrr / n,
      coverage10: coverage(lists, numItems),
      diversity10: div / n,
      ms: performance.now() - t0,
      perUser: perUser.map((x, k) => x / (perUserQueries[k] as number)),
    });
  }
  return rows;
}
