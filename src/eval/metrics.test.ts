import { describe, expect, it } from 'vitest';
import {
  coverage,
  hitAt,
  intraListDiversity,
  jaccardDistance,
  mse,
  ndcgAt,
  precisionRecallF1,
  rankOf,
  reciprocalRank,
  tieBreakRanks,
  topK,
} from './metrics';

describe('ranking metrics, against hand-computed values', () => {
  it('HR, NDCG and MRR for one held-out item', () => {
    expect(hitAt(0, 10)).toBe(1);
    expect(hitAt(9, 10)).toBe(1);
    expect(hitAt(10, 10)).toBe(0);
    expect(ndcgAt(0, 10)).toBe(1);
    expect(ndcgAt(1, 10)).toBeCloseTo(1 / Math.log2(3), 12); // 0.6309
    expect(ndcgAt(3, 10)).toBeCloseTo(1 / Math.log2(5), 12); // 0.4307
    expect(ndcgAt(10, 10)).toBe(0);
    expect(reciprocalRank(0)).toBe(1);
    expect(reciprocalRank(3)).toBe(0.25);
  });

  it('precision, recall and F1 of a list', () => {
    const r = precisionRecallF1([1, 2, 3, 4], new Set([2, 4, 9]));
    expect(r.precision).toBe(0.5);
    expect(r.recall).toBeCloseTo(2 / 3, 12);
    expect(r.f1).toBeCloseTo((2 * 0.5 * (2 / 3)) / (0.5 + 2 / 3), 12); // 0.5714
    expect(precisionRecallF1([], new Set([1]))).toEqual({ precision: 0, recall: 0, f1: 0 });
  });

  it('MSE, coverage and intra-list diversity', () => {
    expect(mse([1, 2, 3], [1, 4, 0])).toBeCloseTo((0 + 4 + 9) / 3, 12);
    expect(() => mse([1], [])).toThrow();
    expect(
      coverage(
        [
          [0, 1],
          [1, 2],
        ],
        10,
      ),
    ).toBe(0.3);
    expect(jaccardDistance(['Drama', 'War'], ['Drama', 'Comedy'])).toBeCloseTo(1 - 1 / 3, 12);
    expect(jaccardDistance([], [])).toBe(0);
    const d = (a: number, b: number) => Math.abs(a - b);
    expect(intraListDiversity([0, 1, 3], d)).toBeCloseTo((1 + 3 + 2) / 3, 12);
  });
});

describe('rank and top-k with seeded tie-breaking', () => {
  const tie = Int32Array.from([3, 0, 2, 1]); // tie order: item1, item3, item2, item0
  it('breaks ties by the shared permutation, not in the model’s favour', () => {
    const scores = [1, 1, 1, 1];
    const none = new Uint8Array(4);
    expect([0, 1, 2, 3].map((i) => rankOf(scores, i, none, tie))).toEqual([3, 0, 2, 1]);
    expect(topK(scores, 2, none, tie)).toEqual([1, 3]);
  });

  it('excludes items and agrees with a full sort', () => {
    const t = tieBreakRanks(500, 3);
    const scores = Array.from({ length: 500 }, (_, i) => Math.floor(Math.sin(i * 12.9898) * 20));
    const excluded = new Uint8Array(500);
    for (let i = 0; i < 500; i += 7) excluded[i] = 1;
    const full = [...scores.keys()]
      .filter((i) => !excluded[i])
      .sort((a, b) => (scores[b] as number) - (scores[a] as number) || (t[a] as number) - (t[b] as number));
    expect(topK(scores, 25, excluded, t)).toEqual(full.slice(0, 25));
    expect(rankOf(scores, full[40] as number, excluded, t)).toBe(40);
  });

  it('gives a permutation: every item one distinct rank', () => {
    const t = tieBreakRanks(100, 9);
    expect(new Set(t).size).toBe(100);
    expect(tieBreakRanks(100, 9)).toEqual(t);
  });
});
