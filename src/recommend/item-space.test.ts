import { describe, expect, it } from 'vitest';
import type { WordVectors } from '../shared/word-vectors';
import {
  blockShares,
  categoryBlock,
  describeItems,
  imageBlock,
  itemSpace,
  sharedLabels,
  textBlock,
} from './item-space';
import { buildMatrix } from '../shared/interactions';
import { matrixNeighbourhood } from '../shared/neighbourhood';
import { Recommender } from './recommender';
import { contentPack } from '../test/packs';
import { EVIDENCE_SHRINK, evidenceContributions, evidenceScores, knnShare } from './evidence';

/** A 4-d toy vocabulary: two topics (coffee, dogs) and one shared word. */
const toy: WordVectors = {
  dims: 4,
  index: new Map(['coffee', 'espresso', 'dog', 'puppy', 'great', 'mug'].map((w, i) => [w, i])),
  vectors: Int8Array.from([100, 10, 0, 0, 90, 20, 0, 0, 0, 0, 100, 10, 0, 0, 90, 20, 10, 10, 10, 10, 60, 0, 0, 60]),
  scales: Float32Array.from([0.01, 0.01, 0.01, 0.01, 0.01, 0.01]),
};

const dot = (v: Float32Array, d: number, a: number, b: number) =>
  Array.from({ length: d }, (_, p) => (v[a * d + p] as number) * (v[b * d + p] as number)).reduce((x, y) => x + y);

describe('item space', () => {
  it('gives unit rows whose dot product is the weighted mean of the blocks both items have', () => {
    const text = textBlock('text', ['great coffee', 'espresso', 'unknown words only', 'a great puppy'], toy);
    const category = categoryBlock([{ category: 'Drinks' }, { category: 'Drinks' }, { category: 'Drinks' }, {}]);
    const s = itemSpace(4, [text, category]);
    for (let r = 0; r < 4; r++) expect(Math.sqrt(dot(s.vectors, s.dims, r, r))).toBeCloseTo(1, 5);
    // Item 2 has no known word: no text block (a zero row), so it is its category alone.
    expect(Array.from(text.rows.subarray(8, 12))).toEqual([0, 0, 0, 0]);
    const t01 = dot(text.rows, 4, 0, 1);
    // Items 0 and 1: text (weight 1) and category (weight 0.5) each; item 2: category alone.
    expect(dot(s.vectors, s.dims, 0, 1)).toBeCloseTo((t01 + 0.5) / 1.5, 5);
    expect(dot(s.vectors, s.dims, 0, 2)).toBeCloseTo(0.5 / Math.sqrt(1.5 * 0.5), 5);
    // Item 3 shares no category with anyone and its text is about dogs.
    expect(dot(s.vectors, s.dims, 0, 3)).toBeLessThan(0.5);
    // The shares of the blocks add up to the similarity; the larger one is named first.
    const shares = blockShares(s, 0, 1);
    expect(shares.reduce((a, x) => a + x.share, 0)).toBeCloseTo(dot(s.vectors, s.dims, 0, 1), 5);
    expect(shares[0]?.basis).toBe(t01 > 0.5 ? 'text' : 'category');
    expect(sharedLabels(s, 0, 1)).toEqual(['Drinks']);
  });

  it('describes an item by what its name adds to its category: no SKU, no category words', () => {
    const blocks = describeItems(
      [
        { title: 'Ankle boot no. 3', category: 'Ankle boot', review: '' },
        { title: 'Fine Foods product B00COFFEE', sku: 'B00COFFEE', category: 'Grocery', review: 'great coffee' },
        { title: 'Coffee mug', category: 'Kitchen', review: '' },
        { title: 'Puppy bed', category: 'Pets', review: '' },
      ],
      toy,
    );
    expect(blocks.map((b) => b.basis)).toEqual(['review', 'text', 'category']);
    const text = blocks[1]?.rows as Float32Array;
    // "no" is not in this vocabulary, "ankle boot" is the category: no text; "coffee" inside the SKU is not read.
    expect(Array.from(text.subarray(0, 4))).toEqual([0, 0, 0, 0]);
    expect(Array.from(text.subarray(4, 8))).toEqual([0, 0, 0, 0]);
    expect(Math.hypot(...text.subarray(8, 12))).toBeCloseTo(1, 5);
    // Without word vectors, the category block alone.
    expect(describeItems([{ title: 'x', review: 'y' }], null).map((b) => b.basis)).toEqual(['category']);
  });

  it('refuses a block that does not fit the items', () => {
    expect(() => itemSpace(3, [imageBlock(new Float32Array(4), 2)])).toThrow(/image block has 2 rows for 3 items/);
  });

  it('makes a catalog with titles alone recommendable, by its names and categories', () => {
    const items = [
      { title: 'Espresso coffee', category: 'Drinks' },
      { title: 'Coffee mug', category: 'Kitchen' },
      { title: 'Puppy dog toy', category: 'Pets' },
      { title: 'Great puppy bed', category: 'Pets' },
    ];
    const space = itemSpace(
      4,
      describeItems(
        items.map((i) => ({ ...i, review: '' })),
        toy,
      ),
    );
    const rec = new Recommender([contentPack('shop', ['a', 'b', 'c', 'd'], space)]);
    const o = { limit: 1, diversity: 0, exclude: new Set<string>() };
    expect(rec.similar('c', o)[0]).toMatchObject({ itemId: 'd', reasons: [{ kind: 'content', itemId: 'c' }] });
    expect(rec.forYou([{ type: 'view', itemId: 'a' }], o)[0]).toMatchObject({
      itemId: 'b',
      reasons: [{ kind: 'because', items: [{ itemId: 'a' }] }],
    });
  });

  it('weighs kNN similarities by the evidence behind each history item', () => {
    // Users: 0 and 1 had items 0 and 1; item 2 has one user (2), who also had item 3; item 4 has none.
    const m = matrixNeighbourhood(buildMatrix([0, 0, 1, 1, 2, 2], [0, 1, 0, 1, 2, 3], 3, 5));
    // Item space: 4 looks exactly like 0; 2 exactly like 1; 3 partly like 1 and 2.
    const v = Float32Array.from([1, 0, 0, 1, 0, 1, 0.6, 0.8, 1, 0]);
    const space = itemSpace(5, [imageBlock(v, 2)]);
    expect(knnShare(m, 4)).toBe(0);
    expect(evidenceScores(m, space, [{ item: 4, weight: 1 }])[0]).toBeCloseTo(1, 5); // no users: the space alone
    const a = 1 / (1 + EVIDENCE_SHRINK); // item 2's kNN share (one user)
    expect(knnShare(m, 2)).toBeCloseTo(a, 6);
    const rare = evidenceScores(m, space, [{ item: 2, weight: 1 }]);
    expect(rare[3]).toBeCloseTo(a * 1 + (1 - a) * 0.8, 5); // one shared user (kNN cosine 1), cosine 0.8
    expect(rare[1]).toBeCloseTo((1 - a) * 1, 5); // no shared user, same look
    expect(rare[0]).toBeCloseTo(0, 6);
    // A history of two items: the score is the weighted sum, and splits exactly into one share per item.
    const history = [
      { item: 2, weight: 2 },
      { item: 0, weight: 1 },
    ];
    const both = evidenceScores(m, space, history);
    const parts = evidenceContributions(m, space, history, 3);
    expect(parts.reduce((s, p) => s + p.weight, 0)).toBeCloseTo(both[3] as number, 5);
    expect(parts[0]).toMatchObject({ item: 2 });
    expect(parts[0]?.knn).toBeCloseTo(2 * a, 5);
  });
});
