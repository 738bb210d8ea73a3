import { beforeAll, describe, expect, it } from 'vitest';
import { loadPack } from '../catalog/load';
import type { Pack } from '../catalog/schema';
import { RecommendService } from '../recommend/service';
import { SearchService, searchItems } from '../search/service';
import { diskFetcher } from '../test/disk-fetcher';
import { evaluateAssistant } from './evaluate';
import { comparisonSides, parsePriceRange } from './parse';
import { LABELLED_QUESTIONS } from './questions';
import { aboutAspects, sentences } from './sentences';
import { AssistantService, assistantItems } from './service';

function assistant(packs: Pack[], recommend: RecommendService, sentiment: ((t: string[]) => number[]) | null = null) {
  const s = new SearchService();
  s.build(searchItems(packs), null);
  return new AssistantService(assistantItems(packs), {
    lookup: (w, o) => s.lookup(w, o),
    knows: (t) => s.knows(t),
    similar: async (itemId, limit) =>
      (await recommend.recommend({ slot: 'similar', itemId, events: [], limit, diversity: 0, exclude: [] })).map(
        (r) => r.itemId,
      ),
    sentiment: async (texts) => sentiment?.(texts) ?? null,
  });
}

describe('reading a question', () => {
  it('finds the price range', () => {
    expect(parsePriceRange('office chairs under $200')).toMatchObject({ max: 200 });
    expect(parsePriceRange('bookcases between 100 and 300 dollars')).toMatchObject({ min: 100, max: 300 });
    expect(parsePriceRange('tables from $300 to $200')).toMatchObject({ min: 200, max: 300 });
    expect(parsePriceRange('lamps $20-$45')).toMatchObject({ min: 20, max: 45 });
    expect(parsePriceRange('desks over 500 euros')).toMatchObject({ min: 500 });
    expect(parsePriceRange('paper for less than 9.99')).toMatchObject({ max: 9.99 });
    expect(parsePriceRange('is this coffee bitter?')).toBeNull();
    expect(parsePriceRange('office chairs under $200')?.rest.trim()).toBe('office chairs');
  });

  it('splits a comparison into its two sides', () => {
    expect(comparisonSides('compare Toy Story and Jumanji')).toContainEqual(['Toy Story', 'Jumanji']);
    expect(comparisonSides('which is better, Jumanji or Hook?')).toContainEqual(['Jumanji', 'Hook']);
    expect(comparisonSides('Heat vs. Casino')).toContainEqual(['Heat', 'Casino']);
  });

  it('quotes review sentences that speak of an aspect', () => {
    const s = sentences('A great roast.  Not bitter at all<br />The bitterness fades fast! ok');
    expect(s).toEqual(['A great roast.', 'Not bitter at all', 'The bitterness fades fast!']);
    expect(aboutAspects(s, 'bitter', [])).toEqual(['Not bitter at all', 'The bitterness fades fast!']);
  });

  it('holds out a quarter of each intent as the test set', () => {
    const test = LABELLED_QUESTIONS.filter((q) => q.split === 'test');
    expect(test.length).toBeGreaterThanOrEqual(36);
    expect(new Set(test.map((q) => q.intent)).size).toBe(6);
  });
});

const shop: Pack = {
  id: 'shop',
  name: 'Shop',
  baseUrl: 'http://localhost/shop/pack.json',
  aisles: [{ id: 'home', name: 'Home' }],
  items: [
    {
      id: 'c1',
      aisle: 'home',
      title: 'Oslo Oak Desk Chair',
      category: 'Chairs',
      price: { amount: 120, currency: 'USD' },
    },
    {
      id: 'c2',
      aisle: 'home',
      title: 'Bergen Mesh Office Chair',
      category: 'Chairs',
      price: { amount: 240, currency: 'USD' },
    },
    { id: 'l1', aisle: 'home', title: 'Arc Floor Lamp', category: 'Lamps', price: { amount: 80, currency: 'USD' } },
    { id: 't1', aisle: 'home', title: 'Jasmine Green Tea', category: 'Tea', price: { amount: 9, currency: 'USD' } },
  ],
  reviews: [
    { itemId: 't1', text: 'Lovely floral aroma. A little bitter if you steep it too long. Great value.' },
    { itemId: 'c1', text: 'Sturdy and comfortable. The wood scratches easily, which is annoying.' },
  ],
};

describe('the assistant on a small shop', () => {
  let a: AssistantService;
  beforeAll(async () => {
    const rec = new RecommendService();
    await rec.load([shop.baseUrl], undefined, async () =>
      new TextEncoder().encode(JSON.stringify({ format: 'hushcart-pack', version: 1, ...shop, baseUrl: undefined })),
    );
    // A stand-in scorer for the sentiment model: sentences with "annoying" or "bitter" read as negative.
    a = assistant([shop], rec, (t) => t.map((x) => (/annoying|bitter/.test(x) ? 0.1 : 0.9)));
  });

  it('answers one question of each intent with items and evidence', async () => {
    const tea = await a.ask({ question: 'is this tea bitter?', itemId: 't1' });
    expect(tea).toMatchObject({ intent: { name: 'product-question' }, known: true, items: ['t1'] });
    expect(tea.evidence[0]).toMatchObject({ text: 'A little bitter if you steep it too long.', sentiment: 0.1 });

    const likes = await a.ask({ question: 'what do people dislike about it', itemId: 'c1' });
    expect(likes).toMatchObject({ intent: { name: 'opinions' }, known: true });
    expect(likes.evidence.map((e) => e.text)).toEqual(['The wood scratches easily, which is annoying.']);

    const cmp = await a.ask({ question: 'compare the Oslo Oak Desk Chair and the Bergen Mesh Office Chair' });
    expect(cmp).toMatchObject({ intent: { name: 'compare' }, known: true, items: ['c1', 'c2'] });
    expect(cmp.answer).toMatch(/Oslo Oak Desk Chair is cheaper by \$120\.00/);

    const cheap = await a.ask({ question: 'chairs under $200' });
    expect(cheap).toMatchObject({ intent: { name: 'price-range' }, known: true, items: ['c1'] });

    const like = await a.ask({ question: 'something like the Oslo Oak Desk Chair' });
    expect(like).toMatchObject({ intent: { name: 'similar' }, known: true });
    expect(like.items[0]).toBe('c2');
  });

  it('says it does not know for nonsense, things the catalog lacks, and what reviews do not say', async () => {
    const no = async (question: string, itemId?: string) =>
      (await a.ask({ question, ...(itemId ? { itemId } : {}) })).known;
    expect(await no('asdkj qwpeo zzxq')).toBe(false);
    expect(await no('🙂🙂')).toBe(false);
    expect(await no('where is my order')).toBe(false);
    expect(await no('sofas under $100')).toBe(false); // no sofas here
    expect(await no('chairs under $50')).toBe(false); // none so cheap
    expect(await no('is this tea waterproof?', 't1')).toBe(false); // its review does not say
    expect(await no('is the Arc Floor Lamp bright?')).toBe(false); // no reviews of it
    expect(await no('compare the Oslo Oak Desk Chair and the Zorblatt 9000')).toBe(false);
    expect(await no('something like Blorptastic Zingers')).toBe(false);
    const r = await a.ask({ question: 'where is my order' });
    expect(r.answer).toMatch(/cannot see orders/);
  });
});

describe('the assistant on the demo store', () => {
  it('classifies held-out questions and decides when it can answer', async () => {
    const urls = ['movies', 'fashion', 'pantry', 'office'].map((p) => `http://localhost/data/packs/${p}/pack.json`);
    const packs = await Promise.all(urls.map((u) => loadPack(u, { fetcher: diskFetcher })));
    const rec = new RecommendService();
    await rec.load(urls, undefined, diskFetcher);
    const e = await evaluateAssistant(assistant(packs, rec));
    expect(e.answerability).not.toBeNull(); // the demo store holds the items its questions are asked on
    expect(e.intent.accuracy).toBeGreaterThanOrEqual(0.85);
    expect(e.answerability?.answeredWhenAnswerable).toBeGreaterThanOrEqual(0.9);
    expect(e.answerability?.declinedWhenUnanswerable).toBeGreaterThanOrEqual(0.9);
  }, 60_000);
});
