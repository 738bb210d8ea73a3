import { describe, expect, it } from 'vitest';
import { contentPack } from '../test/packs';
import { imageBlock, itemSpace } from './item-space';
import { packMerch, type MerchRule } from './merchandising';
import { Recommender, type RecommendOptions } from './recommender';

// Six lamps and two rugs; every item looks like every other a little, lamps more like lamps.
const ids = ['l0', 'l1', 'l2', 'l3', 'l4', 'l5', 'r0', 'r1'];
const vectors = Float32Array.from(ids.flatMap((id, k) => (id.startsWith('l') ? [1, 0.1 * k] : [0.3, 1])));
const items = ids.map((id, k) => ({
  category: id.startsWith('l') ? 'Lamps' : 'Rugs',
  price: { amount: 10 + 10 * k },
  ...(id === 'l3' ? { salePrice: { amount: 5 } } : {}),
  ...(id === 'l1' ? { availability: 'out_of_stock' } : {}),
  brand: k % 2 ? 'Hill Mill' : 'Forest Works',
  tags: id === 'l4' ? ['new'] : [],
  ...(k >= 5 ? { added: `2026-0${k - 4}-01` } : {}),
}));

// Trending: r0 most, then l2 (l1 too, but it is out of stock).
const recent = { count: Float32Array.from([0, 9, 4, 0, 0, 0, 7, 0]), days: 90 };

function recommender(rules: MerchRule[] = []) {
  const pack = contentPack('shop', ids, itemSpace(ids.length, [imageBlock(vectors, 2)]));
  return new Recommender([
    { ...pack, categoryOf: items.map((i) => i.category), merch: packMerch(items, rules), recent },
  ]);
}
const o = (steering: RecommendOptions['steering'] = {}, limit = 8): RecommendOptions => ({
  limit,
  diversity: 0,
  exclude: new Set(),
  steering: { slot: 'similar', ...steering },
});
const similar = (r: Recommender, steering?: RecommendOptions['steering'], limit?: number) =>
  r.similar('l0', o(steering, limit)).map((x) => x.itemId);

describe('merchandising: what a shop steers', () => {
  it('never shows an item that is out of stock, unless asked', () => {
    expect(similar(recommender())).not.toContain('l1');
    expect(similar(recommender(), { includeUnavailable: true })).toContain('l1');
    // First look and popular fill For you: the out-of-stock item is not among them either.
    const forYou = recommender().forYou([], { ...o(), steering: { slot: 'for-you' } });
    expect(forYou.length).toBeGreaterThan(3);
    expect(forYou.map((x) => x.itemId)).not.toContain('l1');
  });

  it('filters by price (the sale price when there is one) and by category', () => {
    const cheap = similar(recommender(), { maxPrice: 30 });
    expect(cheap.sort()).toEqual(['l2', 'l3']); // l1 (20) is out of stock; l3 sells at 5
    expect(similar(recommender(), { minPrice: 60 }).sort()).toEqual(['l5', 'r0', 'r1']);
    expect(similar(recommender(), { category: 'Rugs' }).sort()).toEqual(['r0', 'r1']);
  });

  it("applies the pack's rules and a call's: exclude, boost and bury with their reason, pin at a position", () => {
    const plain = similar(recommender());
    expect(plain.slice(0, 2)).toEqual(['l2', 'l3']);
    const excluded = similar(recommender([{ action: 'exclude', category: 'Rugs' }]));
    expect(excluded).not.toContain('r0');
    const boosted = recommender([{ action: 'boost', brand: 'Hill Mill', factor: 100 }]).similar('l0', o());
    expect(boosted[0]?.itemId).toBe('l3'); // the best Hill Mill lamp in stock
    expect(boosted[0]?.reasons.at(-1)).toEqual({ kind: 'promoted', subject: 'brand Hill Mill' });
    const buried = similar(recommender(), { rules: [{ action: 'bury', category: 'Lamps', factor: 0.01 }] });
    expect(buried.slice(0, 2).sort()).toEqual(['r0', 'r1']);
    const pinned = recommender([{ action: 'pin', itemId: 'r1', position: 2, slot: 'similar' }]).similar('l0', o({}, 4));
    expect(pinned.map((x) => x.itemId)).toEqual(['l2', 'r1', 'l3', 'l4']);
    expect(pinned[1]?.reasons).toEqual([{ kind: 'pinned' }]);
    // A pin of another slot, or of an item this call must not show, does nothing.
    expect(similar(recommender([{ action: 'pin', itemId: 'r1', position: 1, slot: 'fbt' }]))[0]).toBe('l2');
    expect(similar(recommender([{ action: 'pin', itemId: 'l1', position: 1 }]))).not.toContain('l1');
  });
});

describe('merchandising: the non-personal slots and fallback chains', () => {
  it('trending, new arrivals and recently viewed, each with its reason', () => {
    const r = recommender();
    const trending = r.trending({ ...o(), steering: { slot: 'trending' } });
    expect(trending.map((x) => x.itemId)).toEqual(['r0', 'l2']);
    expect(trending[0]?.reasons[0]).toMatchObject({ kind: 'trending', users: 7, days: 90 });
    expect(r.newArrivals(o()).map((x) => [x.itemId, x.reasons[0]])).toEqual([
      ['r1', { kind: 'new', added: '2026-03-01' }],
      ['r0', { kind: 'new', added: '2026-02-01' }],
      ['l5', { kind: 'new', added: '2026-01-01' }],
    ]);
    const events = ['l2', 'r0', 'l2', 'l1'].map((itemId) => ({ type: 'view', itemId }));
    // Newest first, each once; the out-of-stock l1 is not shown.
    expect(r.recentlyViewed(events, o()).map((x) => x.itemId)).toEqual(['l2', 'r0']);
  });

  it('fills a short list from the declared chain, in order, never repeating and never padding at random', () => {
    const r = recommender();
    const short = { ...o({ category: 'Rugs', fallback: ['trending', 'new'] }, 5) };
    const list = r.similar('l0', short);
    expect(list.map((x) => x.itemId)).toEqual(['r0', 'r1']); // only two rugs
    // The chain keeps the call's filters: nothing but rugs may be added, and there are no more rugs.
    expect(r.fill(list, short, 'l0').map((x) => x.itemId)).toEqual(['r0', 'r1']);
    const open = o({ fallback: ['trending', 'new'] }, 8);
    const base = r.similar('l0', { ...open, limit: 2 });
    const filled = r.fill(base, open, 'l0');
    expect(filled.map((x) => x.itemId)).toEqual(['l2', 'l3', 'r0', 'r1', 'l5']);
    expect(filled[2]?.reasons[0]).toMatchObject({ kind: 'trending' });
    expect(r.fill(base, o({}, 8), 'l0')).toEqual(base); // no chain: the list stays short
  });
});
