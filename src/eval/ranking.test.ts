import { describe, expect, it } from 'vitest';
import {
  evaluateRankers,
  holdOutLast,
  leaveLastOut,
  trainingSequences,
  userSequences,
  validationSplit,
  type Ranker,
} from './ranking';

describe('splits', () => {
  it('holds out the last n items, each ranked from everything before it', () => {
    const seqs = [[0, 1, 2, 3, 4, 5, 6], [7, 8], [9]];
    const one = holdOutLast(seqs, 10);
    expect([...one.heldOut]).toEqual([6, 8, -1]);
    expect(one.sequences).toEqual([[0, 1, 2, 3, 4, 5], [7], [9]]);
    expect(one.userOf).toBeUndefined();
    const five = holdOutLast(seqs, 10, 5);
    // User 0: 2..6 held out, each from its prefix; user 1: only 8 (one item must stay); user 2: none.
    expect([...five.heldOut]).toEqual([2, 3, 4, 5, 6, 8]);
    expect(five.sequences[0]).toEqual([0, 1]);
    expect(five.sequences[4]).toEqual([0, 1, 2, 3, 4, 5]);
    expect([...(five.userOf ?? [])]).toEqual([0, 0, 0, 0, 0, 1]);
    expect(trainingSequences(five)).toEqual([[0, 1], [7], [9]]);
    expect(five.train.itemCount[3]).toBe(0);
    // The validation split inside it holds out the last training items of each user, from the training alone.
    const valid = validationSplit(five, 1);
    expect([...valid.heldOut]).toEqual([1, -1, -1]);
    expect(valid.sequences[0]).toEqual([0]);
  });

  it('orders ratings that share a timestamp by the log, or by a seeded shuffle', () => {
    const user = [0, 0, 0, 0, 0, 0];
    const item = [0, 1, 2, 3, 4, 5];
    const time = [1, 2, 2, 2, 2, 3];
    expect(userSequences(user, item, time, 1)[0]).toEqual([0, 1, 2, 3, 4, 5]);
    const shuffled = userSequences(user, item, time, 1, { tieSeed: 7 })[0] as number[];
    expect(shuffled[0]).toBe(0);
    expect(shuffled[5]).toBe(5);
    expect([...shuffled].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const orders = new Set(
      [1, 2, 3, 4, 5, 6].map((s) => userSequences(user, item, time, 1, { tieSeed: s })[0]?.join()),
    );
    expect(orders.size).toBeGreaterThan(1);
    expect(userSequences(user, item, time, 1, { tieSeed: 7 })).toEqual([shuffled]);
    expect([...leaveLastOut(user, item, time, 1, 6, { last: 2 }).heldOut]).toEqual([shuffled[4], 5]);
  });

  it('scores each query and gives each user the mean over their queries', async () => {
    const split = holdOutLast(
      [
        [0, 1, 2, 3],
        [4, 5, 6, 7],
      ],
      8,
      2,
    );
    // Ranks the item after the last one first: right for every query.
    const next: Ranker = {
      name: 'next',
      score: (u, s, out) => {
        out.fill(0);
        out[((s.sequences[u]?.at(-1) as number) + 1) % 8] = 1;
      },
    };
    const [row] = await evaluateRankers([next], split, { seed: 1, distance: () => 0 });
    expect(row?.users).toBe(2);
    expect(row?.queries).toBe(4);
    expect(row?.ndcg10).toBeCloseTo(1);
    expect(row?.perUser).toEqual([1, 1]);
  });
});
