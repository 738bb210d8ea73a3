import { describe, expect, it } from 'vitest';
import { evaluateRankers, leaveLastOut } from '../eval/ranking';
import { knnHistoryRanker, knnLastItemRanker, popularityRanker } from './baselines';
import { buildMatrix, intersectCount } from '../shared/interactions';
import { matrixNeighbourhood } from '../shared/neighbourhood';
import { contributions, itemSimilarity, knnScores } from './knn';
import { Recommender, type PackData } from './recommender';

/** Two planted taste groups: users 0-19 use items 0-9, users 20-39 use items 10-19; item 20 is universal. */
function planted() {
  const user: number[] = [];
  const item: number[] = [];
  const ts: number[] = [];
  for (let u = 0; u < 40; u++) {
    const base = u < 20 ? 0 : 10;
    for (let k = 0; k < 6; k++) {
      user.push(u);
      item.push(base + ((u + k * 3) % 10));
      ts.push(k);
    }
    user.push(u);
    item.push(20);
    ts.push(-1);
  }
  return { user, item, ts };
}

describe('item-kNN', () => {
  const { user, item } = planted();
  const m = buildMatrix(user, item, 40, 21);

  it('matches the explicit item-item formula sum_i h_i c_ij / sqrt(n_i n_j)', () => {
    const history = [
      { item: 2, weight: 1 },
      { item: 5, weight: 0.5 },
      { item: 13, weight: -1 },
    ];
    const s = knnScores(m, history);
    for (let j = 0; j < 21; j++) {
      const direct = history.reduce((acc, h) => acc + h.weight * itemSimilarity(m, h.item, j), 0);
      expect(s[j]).toBeCloseTo(direct, 5);
    }
    expect(intersectCount(Int32Array.from([1, 3, 5, 7]), Int32Array.from([3, 4, 5]))).toBe(2);
  });

  it('recovers the planted groups: a group-A history scores group-A items above group B', () => {
    const s = knnScores(m, [{ item: 1, weight: 1 }]);
    const a = Math.min(...[0, 2, 3, 4].map((j) => s[j] as number));
    const b = Math.max(...[10, 11, 12, 13].map((j) => s[j] as number));
    expect(a).toBeGreaterThan(b);
    expect(
      contributions(
        matrixNeighbourhood(m),
        [
          { item: 1, weight: 1 },
          { item: 12, weight: 1 },
        ],
        3,
      )[0]?.item,
    ).toBe(1);
  });

  it('evaluates baselines under leave-last-out with sensible numbers', async () => {
    const { user: u, item: i, ts } = planted();
    const split = leaveLastOut(u, i, ts, 40, 21);
    expect(split.heldOut[0]).toBe(item[5]); // the last by time; the universal item came first
    expect(split.train.itemCount[20]).toBe(40);
    const rows = await evaluateRankers([popularityRanker, knnHistoryRanker, knnLastItemRanker], split, {
      seed: 1,
      distance: () => 1,
    });
    const by = Object.fromEntries(rows.map((r) => [r.model, r]));
    expect(by['item-kNN (whole history)']?.hr10).toBe(1); // 10 items per group, 5 seen: the held-out is in the top 10
    expect(by['item-kNN (whole history)']?.ndcg10).toBeGreaterThan(by.popularity?.ndcg10 as number);
    for (const r of rows) {
      expect(r.users).toBe(40);
      expect(r.ndcg10).toBeLessThanOrEqual(r.hr10);
      expect(r.hr10).toBeLessThanOrEqual(r.recall20);
      expect(r.coverage10).toBeGreaterThan(0);
    }
  });
});

describe('Recommender', () => {
  const { user, item } = planted();
  const pack: PackData = {
    packId: 'p',
    kind: 'purchase',
    itemIds: Array.from({ length: 21 }, (_, k) => `i${k}`),
    aisleOf: Array.from({ length: 21 }, (_, k) => (k < 10 ? 'a' : 'b')),
    matrix: buildMatrix(user, item, 40, 21),
  };
  const rec = new Recommender([pack]);
  const opts = { limit: 5, diversity: 0, exclude: new Set<string>() };

  it('with no history, shows popular items from every aisle', () => {
    const list = rec.forYou([], opts);
    expect(list[0]?.itemId).toBe('i20');
    expect(list[0]?.reasons[0]).toMatchObject({ kind: 'popular', users: 40 });
    expect(new Set(list.map((r) => pack.aisleOf[Number(r.itemId.slice(1))])).size).toBe(2);
  });

  it('never calls an item nobody chose popular: an aisle without interactions gets first looks instead', () => {
    const quiet: PackData = {
      ...pack,
      itemIds: [...pack.itemIds, 'q0', 'q1', 'q2'],
      aisleOf: [...pack.aisleOf, 'quiet', 'quiet', 'quiet'],
      matrix: buildMatrix(user, item, 40, 24),
    };
    const list = new Recommender([quiet]).forYou([], { ...opts, limit: 8, aisle: 'quiet' });
    expect(list.map((r) => r.itemId).sort()).toEqual(['q0', 'q1', 'q2']);
    expect(list.every((r) => r.reasons[0]?.kind === 'first-look')).toBe(true);
  });

  it('turns personal after one event, explains with the history items, and hides what was seen', () => {
    const list = rec.forYou([{ type: 'rate', itemId: 'i12', value: 5 }], { ...opts, limit: 4 });
    expect(list.every((r) => Number(r.itemId.slice(1)) >= 10)).toBe(true);
    expect(list.map((r) => r.itemId)).not.toContain('i12');
    expect(list[0]?.reasons[0]).toEqual({
      kind: 'because',
      items: [{ itemId: 'i12', action: { verb: 'rated', detail: '5★' } }],
    });
  });

  it('counts low ratings against, and honours exclusions and the aisle filter', () => {
    const liked = rec.forYou([{ type: 'purchase', itemId: 'i3' }], { ...opts, exclude: new Set(['i4']) });
    expect(liked.map((r) => r.itemId)).not.toContain('i4');
    const aisleB = rec.forYou([{ type: 'purchase', itemId: 'i3' }], { ...opts, aisle: 'b' });
    expect(aisleB.every((r) => Number(r.itemId.slice(1)) >= 10)).toBe(true);
    const s = rec.forYou([{ type: 'rate', itemId: 'i3', value: 1 }], opts);
    expect(s[0]?.reasons[0]?.kind).toBe('popular'); // a 1-star rating is no reason to recommend its neighbours
  });

  it("gives the sequential model's training the shopper's sequence: positive items by their latest event", () => {
    const events = [
      { type: 'view', itemId: 'i1' },
      { type: 'view', itemId: 'i2' },
      { type: 'rate', itemId: 'i3', value: 1 }, // a 1-star rating leaves the sequence
      { type: 'view', itemId: 'i1' }, // seen again: now the newest
      { type: 'view', itemId: 'nowhere' },
    ] as const;
    expect(rec.movieSequence([...events], 'p')).toEqual([2, 1]);
    expect(rec.movieSequence([...events], 'other')).toEqual([]);
  });

  it('diversity changes the list', () => {
    const plain = rec.forYou(
      [
        { type: 'purchase', itemId: 'i3' },
        { type: 'view', itemId: 'i15' },
      ],
      { ...opts, limit: 6 },
    );
    const diverse = rec.forYou(
      [
        { type: 'purchase', itemId: 'i3' },
        { type: 'view', itemId: 'i15' },
      ],
      { ...opts, limit: 6, diversity: 0.9 },
    );
    expect(diverse.map((r) => r.itemId)).not.toEqual(plain.map((r) => r.itemId));
  });

  it('similar items come from the same group', () => {
    const sim = rec.similar('i2', opts);
    expect(sim.length).toBeGreaterThan(0);
    expect(sim.every((r) => Number(r.itemId.slice(1)) < 10 || r.itemId === 'i20')).toBe(true);
  });
});
