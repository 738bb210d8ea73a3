import { describe, expect, it } from 'vitest';
import { diskFetcher } from '../test/disk-fetcher';
import { contentScores, embedTexts, loadWordVectors, words, type WordVectors } from './content';
import { buildMatrix } from './interactions';
import { Recommender } from './recommender';

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
    const vectors = embedTexts(['great coffee', 'espresso', 'a great puppy', 'dog'], toy);
    const rec = new Recommender([
      {
        packId: 'p',
        kind: 'content',
        itemIds: ['c1', 'c2', 'd1', 'd2'],
        aisleOf: ['a', 'a', 'a', 'a'],
        matrix: buildMatrix([], [], 0, 4),
        content: { vectors, dims: 4 },
      },
    ]);
    const list = rec.forYou([{ type: 'view', itemId: 'c1' }], { limit: 2, diversity: 0, exclude: new Set() });
    expect(list[0]).toMatchObject({ itemId: 'c2', reasons: [{ kind: 'because', items: [{ itemId: 'c1' }] }] });
    expect(rec.similar('d2', { limit: 1, diversity: 0, exclude: new Set() })[0]).toMatchObject({
      itemId: 'd1',
      reasons: [{ kind: 'content' }],
    });
    // No interactions: nothing is "popular" here, so a cold profile gets no made-up popularity.
    expect(rec.forYou([], { limit: 3, diversity: 0, exclude: new Set() })).toEqual([]);
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
