/**
 * Turns a pack's interaction log into rating triples for training: users re-indexed densely, each user's
 * last `holdout` interactions by time kept apart as the test set (the leave-last-out protocol).
 */
import type { RatingTriples } from '../runtime/types';
import type { Interactions } from './schema';

export interface TripleSplit {
  train: RatingTriples;
  test: RatingTriples;
  /** Pack user index of each dense user. */
  users: number[];
}

function triples(rows: { u: number; i: number; v: number }[], numUsers: number, numItems: number): RatingTriples {
  return {
    user: Int32Array.from(rows, (r) => r.u),
    item: Int32Array.from(rows, (r) => r.i),
    rating: Float32Array.from(rows, (r) => r.v),
    numUsers,
    numItems,
  };
}

export function ratingTriples(
  x: Interactions,
  numItems: number,
  options: { maxUsers?: number; holdout?: number } = {},
): TripleSplit {
  const holdout = options.holdout ?? 1;
  const byUser = new Map<number, { i: number; v: number; t: number; k: number }[]>();
  for (let k = 0; k < x.user.length; k++) {
    const u = x.user[k] as number;
    let list = byUser.get(u);
    if (!list) {
      if (options.maxUsers !== undefined && byUser.size >= options.maxUsers) continue;
      list = [];
      byUser.set(u, list);
    }
    list.push({ i: x.item[k] as number, v: x.value[k] as number, t: x.timestamp[k] as number, k });
  }
  const users = [...byUser.keys()].sort((a, b) => a - b);
  const train: { u: number; i: number; v: number }[] = [];
  const test: { u: number; i: number; v: number }[] = [];
  users.forEach((packUser, u) => {
    const list = (byUser.get(packUser) ?? []).sort((a, b) => a.t - b.t || a.k - b.k);
    const cut = list.length > holdout ? list.length - holdout : list.length;
    list.forEach((r, j) => (j < cut ? train : test).push({ u, i: r.i, v: r.v }));
  });
  return { train: triples(train, users.length, numItems), test: triples(test, users.length, numItems), users };
}
