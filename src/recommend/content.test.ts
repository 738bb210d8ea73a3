import { describe, expect, it } from 'vitest';
import { diskFetcher } from '../test/disk-fetcher';
import { contentScores } from './content';
import { loadWordVectors } from '../catalog/word-vectors-file';
import { embedTexts, words, type WordVectors } from '../shared/word-vectors';
import { contentPack } from '../test/packs';
import { categoryBlock, imageBlock, itemSpace, textBlock } from './item-space';
import { eventWeight, Recommender } from './recommender';

/** A 4-d toy vocabulary: two topics (coffee, dogs) and one shared word. */
const toy: WordVectors = {
  dims: 4,
  index: new Map(['coffee', 'espresso', 'dog', 'puppy', 'great'].map((w, i) => [w, i])),
  vectors: Int8Array.from([100, 10, 0, 0, 90, 20, 0, 0, 0, 0, 100, 10, 0, 0, 90, 20, 10, 10, 10, 10]),
  scales: Float32Array.from([0.01, 0.01, 0.01, 0.01, 0.01]),
};

describe('content vectors', () => {
  it('tokenizes like the word list was built (case, <br />, apostrophes)', () => {
    expect(words("Great COFFEE<br />isn't bad")).toEqual(['great', 'coffee', "isn't", 'bad']);
  });

  it('puts texts on the same topic together and scores by meaning', () => {
    const v = embedTexts(['great coffee', 'espresso, great!', 'a great puppy', 'dog dog dog'], toy);
    const s = contentScores(v, 4, [{ item: 0, weight: 1 }]);
    expect(s[1]).toBeGreaterThan(0.9);
    expect(s[2]).toBeLessThan(0.5);
    for (let r = 0; r < 4; r++) expect(Math.hypot(...v.subarray(r * 4, r * 4 + 4))).toBeCloseTo(1, 5);
  });

  it('recommends cold items from the first view, with the viewed item as the reason', () => {
    const space = itemSpace(4, [textBlock('review', ['great coffee', 'espresso', 'a great puppy', 'dog'], toy)]);
    const rec = new Recommender([contentPack('p', ['c1', 'c2', 'd1', 'd2'], space)]);
    const list = rec.forYou([{ type: 'view', itemId: 'c1' }], { limit: 2, diversity: 0, exclude: new Set() });
    expect(list[0]).toMatchObject({ itemId: 'c2', reasons: [{ kind: 'because', items: [{ itemId: 'c1' }] }] });
    expect(rec.similar('d2', { limit: 1, diversity: 0, exclude: new Set() })[0]).toMatchObject({
      itemId: 'd1',
      reasons: [{ kind: 'content', basis: 'review' }],
    });
    // No interactions: nothing is "popular" here, so a cold profile gets no made-up popularity, but a first look
    // at the catalog in its own order, said as such.
    const cold = rec.forYou([], { limit: 3, diversity: 0, exclude: new Set() });
    expect(cold.map((r) => r.itemId)).toEqual(['c1', 'c2', 'd1']);
    expect(cold.every((r) => r.reasons[0]?.kind === 'first-look')).toBe(true);
  });

  it('down-weights items whose review reads negative, and a review counts by its sentiment', () => {
    // Two near-identical coffee items; the second one's review reads negative.
    const texts = ['great coffee', 'great coffee espresso', 'coffee espresso', 'a great puppy'];
    const pack = contentPack('p', ['c0', 'c1', 'c2', 'd1'], itemSpace(4, [textBlock('review', texts, toy)]));
    const o = { limit: 2, diversity: 0, exclude: new Set<string>() };
    const plain = new Recommender([pack]).similar('c0', o).map((r) => r.itemId);
    const rec = new Recommender([{ ...pack, sentiment: Float32Array.from([0.9, 0.05, 0.95, NaN]) }]);
    const weighted = rec.similar('c0', o);
    expect(plain[0]).toBe('c1');
    expect(weighted[0]?.itemId).toBe('c2');
    const reason = weighted[0]?.reasons[0];
    expect(reason?.kind === 'content' && reason.sentiment).toBeCloseTo(0.95, 5);
    expect(rec.sentimentOf('c1')).toBeCloseTo(0.05);
    // A glowing review of c0 counts like a purchase-strength like; a scathing one counts against.
    expect(eventWeight({ type: 'review', itemId: 'c0', value: 1 })).toBe(3);
    expect(eventWeight({ type: 'review', itemId: 'c0', value: 0 })).toBe(-3);
    expect(eventWeight({ type: 'review', itemId: 'c0' })).toBe(0.5);
  });

  it('recommends items by category until their pictures are embedded, then by how they look', () => {
    const items = [{ category: 'Bag' }, { category: 'Bag' }, { category: 'Bag' }, { category: 'Sandal' }];
    const category = categoryBlock(items);
    const rec = new Recommender([contentPack('fashion', ['f0', 'f1', 'f2', 's0'], itemSpace(4, [category]))]);
    const o = { limit: 3, diversity: 0, exclude: new Set<string>() };
    const before = rec.similar('f0', o);
    expect(before.map((r) => r.itemId).sort()).toEqual(['f1', 'f2']); // the other bags; the sandal shares nothing
    expect(before[0]?.reasons[0]).toMatchObject({ kind: 'content', basis: 'category', shared: ['Bag'] });
    // f0 and f2 look alike, f1 does not, the sandal even less.
    const pictures = imageBlock(Float32Array.from([1, 0, 0, 1, 0.96, 0.28, -0.6, 0.8]), 2);
    rec.useSpace('fashion', itemSpace(4, [category, pictures]));
    const after = rec.similar('f0', o);
    expect(after.map((r) => r.itemId)).toEqual(['f2', 'f1']);
    expect(after[0]?.reasons[0]).toMatchObject({ kind: 'content', basis: 'image', itemId: 'f0' });
    // Same category, unlike picture: the category is the larger share.
    expect(after[1]?.reasons[0]).toMatchObject({ kind: 'content', basis: 'category' });
    const forYou = rec.forYou([{ type: 'view', itemId: 'f0' }], { ...o, limit: 1 });
    expect(forYou[0]?.itemId).toBe('f2');
  });

  it('loads the shipped word vectors: 20,000 words, 100 dimensions, related words close', async () => {
    const wv = await loadWordVectors(
      {
        vocab: 'http://localhost/data/embeddings/glove-20k.vocab.json.gz',
        vectors: 'http://localhost/data/embeddings/glove-20k.i8.gz',
        scales: 'http://localhost/data/embeddings/glove-20k.scale.f32.gz',
        dims: 100,
      },
      diskFetcher,
    );
    expect(wv.index.size).toBe(20000);
    const v = embedTexts(['coffee', 'tea', 'keyboard'], wv);
    const s = contentScores(v, 100, [{ item: 0, weight: 1 }]);
    expect(s[1]).toBeGreaterThan(s[2] as number);
  });
});
