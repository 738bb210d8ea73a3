import { describe, expect, it } from 'vitest';
import { leaveLastOut, validationSplit, type Ranker } from '../eval/ranking';
import { crossFit, scoreGrid, searchBlend, weightGrid } from './blend-search';

/** Users 0-3 with five items each in time order, from items 0-9 of 40. */
function split() {
  const user: number[] = [];
  const item: number[] = [];
  const ts: number[] = [];
  for (let u = 0; u < 4; u++)
    for (let k = 0; k < 5; k++) {
      user.push(u);
      item.push((u * 2 + k) % 10);
      ts.push(k);
    }
  return leaveLastOut(user, item, ts, 4, 40);
}

/** A part that ranks the held-out item first for the users in `knows`, and last for the others. */
function oracle(name: string, knows: number[]): Ranker {
  return {
    name,
    score: (u, s, out) => {
      out.fill(0);
      const target = s.heldOut[u] as number;
      out[target] = knows.includes(u) ? 10 : -10;
    },
  };
}

describe('validationSplit', () => {
  it("holds out each training sequence's last item and trains on the rest", () => {
    const test = split();
    const valid = validationSplit(test);
    for (let u = 0; u < 4; u++) {
      const q = test.sequences[u] as number[];
      expect(valid.heldOut[u]).toBe(q[q.length - 1]);
      expect(valid.sequences[u]).toEqual(q.slice(0, -1));
      // The held-out item is in neither the sequence nor the matrix the models learn from.
      expect(valid.train.itemCount[valid.heldOut[u] as number]).toBe(
        (test.train.itemCount[valid.heldOut[u] as number] as number) - 1,
      );
    }
    expect(valid.train.numUsers).toBe(test.train.numUsers);
  });
});

describe('searchBlend', () => {
  it('tries every combination and ranks them by NDCG@10 on the held-out items', async () => {
    expect(weightGrid([[0, 1], [2], [3, 4]])).toEqual([
      [0, 2, 3],
      [0, 2, 4],
      [1, 2, 3],
      [1, 2, 4],
    ]);
    const s = split();
    // Part a knows users 0-2, part b user 3 only.
    const parts = [oracle('a', [0, 1, 2]), oracle('b', [3])];
    const trials = await searchBlend(
      parts,
      s,
      weightGrid([
        [0, 1],
        [0, 1],
      ]),
      { seed: 1 },
    );
    expect(trials).toHaveLength(4);
    const of = (w: number[]) => trials.find((t) => t.weights.join() === w.join());
    expect(of([1, 0])?.ndcg10).toBeCloseTo(3 / 4, 6);
    expect(of([0, 1])?.hr10).toBeCloseTo(1 / 4, 6);
    expect(trials[0]?.weights).toEqual([1, 0]);
    for (const [k, t] of trials.entries()) if (k) expect(t.ndcg10).toBeLessThanOrEqual(trials[k - 1]?.ndcg10 ?? 0);
  });

  it('cross-fits: weights chosen on one half of the users are scored on the other', async () => {
    const s = split();
    // Part a knows users 0-2, part b user 3 only: whichever half holds user 3, a wins on the other half (or ties).
    const scores = await scoreGrid(
      [oracle('a', [0, 1, 2]), oracle('b', [3])],
      s,
      [
        [1, 0],
        [0, 1],
      ],
      { seed: 1 },
    );
    expect(scores.perUser[0]).toEqual(Float64Array.of(1, 1, 1, 0));
    const fit = crossFit(scores, 3);
    expect(fit.folds).toHaveLength(2);
    expect(fit.folds.reduce((a, f) => a + f.users, 0)).toBe(4);
    // Each fold's score is its own users' under the other half's choice; the mean over users is never above the
    // best combination's in-sample score (3/4) and here equals it (a is chosen on both halves).
    expect(fit.folds.every((f) => f.weights.join() === '1,0')).toBe(true);
    expect(fit.ndcg10).toBeCloseTo(3 / 4, 6);
    // An oracle that knows every user it was chosen on and none of the others: in sample 1, cross-fitted 0.
    const flatter = { ...scores, perUser: [Float64Array.of(1, 1, 0, 0), Float64Array.of(0, 0, 1, 1)] };
    const halves = crossFit(flatter, 3);
    const inSample = Math.max(...halves.folds.map((f) => f.chosenOn));
    expect(inSample).toBeGreaterThanOrEqual(halves.ndcg10);
  });

  it('refuses combinations of the wrong length', async () => {
    await expect(searchBlend([oracle('a', [0])], split(), [[1, 2]], { seed: 1 })).rejects.toThrow(/1 weights/);
  });
});
