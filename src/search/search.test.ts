import { beforeAll, describe, expect, it } from 'vitest';
import { loadPack } from '../catalog/load';
import { diskFetcher } from '../test/disk-fetcher';
import { loadWordVectors } from '../catalog/word-vectors-file';
import type { WordVectors } from '../shared/word-vectors';
import { evaluateSearch, FUSION_CANDIDATES, knownItemQueries, typo } from './evaluate';
import { fuse, FUSION } from './fusion';
import { highlight } from './highlight';
import { features, NaiveBayes } from '../shared/naive-bayes';
import { BM25, BOOST, KeywordIndex } from './keyword';
import { SearchService, searchItems, type SearchItem } from './service';
import { editDistance, transpositions, typoBudget } from '../shared/typo';
import { mulberry32 } from '../runtime/random';

const small: SearchItem[] = [
  { id: 'a', aisle: 'office', title: 'Blue office chair', category: 'Furniture', tags: ['Chairs'] },
  { id: 'b', aisle: 'office', title: 'Oak bookcase with five shelves', category: 'Furniture', tags: ['Bookcases'] },
  { id: 'c', aisle: 'office', title: 'Stapler', category: 'Office Supplies', tags: ['Fasteners'] },
  {
    id: 'd',
    aisle: 'pantry',
    title: 'Dark roast coffee',
    category: 'Grocery',
    reviews: 'Bitter and strong. I love it.',
  },
  { id: 'e', aisle: 'pantry', title: 'Green tea', category: 'Grocery', reviews: 'Mild, never bitter.' },
  { id: 'f', aisle: 'movies', title: 'Jumanji', category: 'Adventure', tags: ['Adventure', 'Children'] },
];

describe('keyword ranking', () => {
  it('scores BM25+ as computed by hand: idf x (delta + tf (k1 + 1) / (tf + k1 (1 - b + b len / avglen))) x boost', () => {
    // MiniSearch measures a field's length in distinct terms.
    const docs = [
      { id: 0, title: 'red chair', category: '', description: '', reviews: '' },
      { id: 1, title: 'red red lamp shade', category: '', description: '', reviews: '' },
      { id: 2, title: 'blue desk', category: '', description: '', reviews: '' },
      { id: 3, title: 'green sofa', category: '', description: '', reviews: '' },
      { id: 4, title: 'oak shelf', category: '', description: '', reviews: '' },
    ];
    const k = KeywordIndex.build(docs);
    const hits = k.search({ words: ['red'], prefixLast: false });
    const idf = Math.log(1 + (5 - 2 + 0.5) / (2 + 0.5));
    const avg = (2 + 3 + 2 + 2 + 2) / 5;
    const bm = (tf: number, len: number) =>
      idf * (BM25.d + (tf * (BM25.k + 1)) / (tf + BM25.k * (1 - BM25.b + (BM25.b * len) / avg))) * BOOST.title;
    expect(hits.map((h) => h.doc)).toEqual([1, 0]); // two "red"s outweigh the longer title
    expect(hits[0]?.bm25).toBeCloseTo(bm(2, 3), 6);
    expect(hits[1]?.bm25).toBeCloseTo(bm(1, 2), 6);
    // Two words: MiniSearch multiplies by the words matched; the order puts both words first.
    const two = k.search({ words: ['red', 'chair'], prefixLast: false });
    expect(two.map((h) => [h.doc, h.matchedTerms])).toEqual([
      [0, 2],
      [1, 1],
    ]);
    // A finished word in over half the items is left out while the query has others (it tells nothing apart).
    const common = KeywordIndex.build(docs.map((d) => ({ ...d, category: 'furniture' })));
    expect(common.search({ words: ['furniture', 'desk'], prefixLast: false }).map((h) => h.doc)).toEqual([2]);
    expect(common.search({ words: ['furniture'], prefixLast: false })).toHaveLength(5);
  });

  it('follows the typo rules: exact under 4 letters, one typo from 4, two from 8; a swap is one typo', () => {
    expect([typoBudget('tea'), typoBudget('lamp'), typoBudget('bookcase'), typoBudget('chairs')]).toEqual([0, 1, 2, 1]);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(transpositions('abc')).toEqual(['bac', 'acb']);
    const s = new SearchService();
    s.build(small, null);
    const top = (q: string) => s.search({ query: q, limit: 3 }).results[0]?.itemId;
    expect(top('jumanij')).toBe('f'); // one swap
    expect(top('jumaji')).toBe('f'); // one letter missing
    expect(top('bokcasse')).toBe('b'); // two typos in an 8-letter word
    expect(s.search({ query: 'tae ', limit: 3 }).results.map((r) => r.itemId)).not.toContain('e'); // 3 letters: exact
    expect(top('stap')).toBe('c'); // the last word is a prefix while it is being typed
    expect(s.search({ query: 'stap ', limit: 3 }).results).toHaveLength(0); // ...not once it is finished
  });

  it('offers "did you mean" when the query as typed finds little', () => {
    const s = new SearchService();
    s.build(small, null);
    const r = s.search({ query: 'staplr coffe', limit: 5 });
    expect(r.results.length).toBeGreaterThan(0);
    const none = s.search({ query: 'rozzt', limit: 5 }); // two typos in a 5-letter word: past the search's one
    expect(none.corrected).toBe('roast');
    expect(none.results[0]?.itemId).toBe('d');
    expect(s.search({ query: 'xqzt', limit: 5 }).corrected).toBeUndefined(); // nothing near: no guess
  });

  it('keeps and reloads the index with the same results', () => {
    const s = new SearchService();
    const info = s.build(small, null);
    expect(info.built).toBe(true);
    const again = new SearchService();
    const reloaded = again.build(small, null, info.bytes);
    expect(reloaded.built).toBe(false);
    expect(again.search({ query: 'chair', limit: 5 })).toEqual(s.search({ query: 'chair', limit: 5 }));
    // Bytes that are not an index: built again, no error.
    expect(new SearchService().build(small, null, new Uint8Array([1, 2, 3])).built).toBe(true);
  });
});

describe('results', () => {
  it('marks the matched words by offsets into the text, snippets of long fields', () => {
    const h = highlight('title', 'Blue office chair', new Set(['chair']));
    expect(h?.matches.map(([a, b]) => h.text.slice(a, b))).toEqual(['chair']);
    const long = `${'word '.repeat(100)}the bitter end ${'more '.repeat(100)}`;
    const snip = highlight('reviews', long, new Set(['bitter']));
    expect(snip?.text.length).toBeLessThan(200);
    expect(snip?.matches.map(([a, b]) => snip.text.slice(a, b))).toEqual(['bitter']);
    const s = new SearchService();
    s.build(small, null);
    const r = s.search({ query: 'bitter', limit: 5 });
    expect(r.results.map((x) => x.itemId).sort()).toEqual(['d', 'e']);
    expect(r.results[0]?.highlights[0]?.field).toBe('reviews');
  });

  it('counts facets before filtering, and filters by aisle and category', () => {
    const s = new SearchService();
    s.build(small, null);
    const r = s.search({ query: 'bitter chair', limit: 5 });
    expect(r.facets.aisle).toEqual([
      { value: 'pantry', count: 2 },
      { value: 'office', count: 1 },
    ]);
    const office = s.search({ query: 'bitter chair', limit: 5, aisle: 'office' });
    expect(office.results.map((x) => x.itemId)).toEqual(['a']);
    expect(office.total).toBe(1);
    expect(office.facets).toEqual(r.facets);
  });

  it('re-orders by the profile only when personalised', () => {
    const s = new SearchService();
    s.build(small, null);
    const plain = s.search({ query: 'bitter', limit: 5 });
    const liked = plain.results[1]?.itemId as string;
    const personal = (ids: string[]) => ids.map((id) => (id === liked ? 1 : 0));
    expect(s.search({ query: 'bitter', limit: 5 }, personal)).toEqual(plain); // not asked: same for everyone
    expect(s.search({ query: 'bitter', limit: 5, personalised: true }, personal).results[0]?.itemId).toBe(liked);
  });

  it('answers an empty, a punctuation-only, an emoji-only and a 10,000-character query without failing', () => {
    const s = new SearchService();
    s.build(small, null);
    for (const q of ['', '   ', '?!.,;', '🙂🙂🛒'])
      expect(s.search({ query: q, limit: 5 })).toMatchObject({ results: [], total: 0, intent: null });
    const long = s.search({ query: 'chair '.repeat(2000), limit: 5 });
    expect(long.truncated).toBe(true);
    expect(long.results[0]?.itemId).toBe('a');
  });
});

describe('fusion and intent', () => {
  it('fuses by weighted sum (keyword over its best, plus the weighted cosine) and by reciprocal rank', () => {
    const kw = [
      { doc: 1, score: 10 },
      { doc: 2, score: 5 },
    ];
    const sem = [
      { doc: 3, score: 0.9 },
      { doc: 2, score: 0.8 },
    ];
    const w = fuse(kw, sem, { kind: 'weighted', semantic: 0.5 });
    expect(w.map((x) => x.doc)).toEqual([1, 2, 3]);
    expect(w[1]?.score).toBeCloseTo(0.5 + 0.4, 9);
    const r = fuse(kw, sem, { kind: 'rrf', k: 1 });
    expect(r.map((x) => x.doc)).toEqual([2, 1, 3]); // 1/3 + 1/3 beats 1/2
    expect(r[0]?.score).toBeCloseTo(2 / 3, 9);
  });

  it('learns intents from labelled examples', () => {
    const nb = NaiveBayes.train(
      [
        ['cheap office chair', 'furniture'],
        ['oak bookcase', 'furniture'],
        ['standing desk', 'furniture'],
        ['dark roast coffee beans', 'grocery'],
        ['green tea bags', 'grocery'],
        ['dark chocolate', 'grocery'],
      ].map(([t, label]) => ({ features: features(t as string), label: label as string })),
    );
    expect(nb.predict(features('a chair and a desk'))[0]?.label).toBe('furniture');
    expect(nb.predict(features('coffee'))[0]?.label).toBe('grocery');
    expect(nb.known(features('zzz qqq'))).toBe(0);
    const s = new SearchService();
    s.build(small, null);
    expect(s.intent('chair')).toMatchObject({ aisle: 'office', category: 'Furniture' });
    expect(s.intent('xyzzy')).toBeNull();
  });
});

describe('the default store', () => {
  let items: SearchItem[];
  let wv: WordVectors;
  beforeAll(async () => {
    const packs = await Promise.all(
      ['movies', 'fashion', 'pantry', 'office'].map((p) =>
        loadPack(`http://localhost/data/packs/${p}/pack.json`, { fetcher: diskFetcher }),
      ),
    );
    items = searchItems(packs);
    const g = 'http://localhost/data/embeddings/glove-20k';
    wv = await loadWordVectors(
      { vocab: `${g}.vocab.json.gz`, vectors: `${g}.i8.gz`, scales: `${g}.scale.f32.gz`, dims: 100 },
      diskFetcher,
    );
  });

  it('finds titles as typed and with typos, on a small sample of the evaluation (the full one is in the bench)', async () => {
    const s = new SearchService();
    s.build(items, wv);
    const e = await evaluateSearch(s, items, { perAisle: 10 });
    const at = (mode: string, kind: string, key: 'successAt1' | 'successAt10') => {
      const rows = e.rows.filter((r) => r.mode === mode && r.kind === kind);
      return rows.reduce((a, r) => a + r[key] * r.queries, 0) / rows.reduce((a, r) => a + r.queries, 0);
    };
    expect(at('fused', 'exact title', 'successAt1')).toBeGreaterThanOrEqual(0.95);
    expect(at('fused', 'one typo', 'successAt10')).toBeGreaterThanOrEqual(0.9);
    expect(at('semantic', 'exact title', 'successAt1')).toBeLessThan(at('keyword', 'exact title', 'successAt1'));
    expect(s.search({ query: 'Toy Story', limit: 3 }).results[0]?.itemId).toBe('ml-1');
    expect(s.search({ query: 'Toy Stroy', limit: 3 }).results[0]?.itemId).toBe('ml-1');
    expect(s.search({ query: 'office chairs', limit: 3 }).intent).toMatchObject({
      aisle: 'office',
      category: 'Furniture',
    });
    // Pantry's titles are product codes: its reviews' words say what it sells.
    for (const q of ['dog food', 'green tea', 'coffee']) expect(s.intent(q)).toMatchObject({ aisle: 'pantry' });
    expect(s.intent('star wars')).toMatchObject({ aisle: 'movies' });
    expect(FUSION_CANDIDATES).toContainEqual(FUSION); // chosen among them on the bench's tuning queries
  }, 60_000);

  it('makes typos as a shopper does and splits tuning from test queries', () => {
    const rand = mulberry32(1);
    for (let i = 0; i < 50; i++) {
      const t = typo('bookcase', rand);
      expect(t).not.toBe('bookcase');
      expect(editDistance('bookcase', t, 2)).toBeLessThanOrEqual(2); // a swap is two Levenshtein edits
    }
    const { tune, test } = knownItemQueries(items, 5);
    const queries = (l: typeof tune) => new Set(l.filter((q) => q.kind === 'exact title').map((q) => q.query));
    const overlap = [...queries(tune)].filter((q) => queries(test).has(q));
    expect(overlap).toEqual([]);
  });
});
