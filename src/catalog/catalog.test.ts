import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { diskFetcher, memoryFetcher, PUBLIC_DIR } from '../test/disk-fetcher';
import { reasonText } from '../api/reasons';
import { Catalog } from './catalog';
import { loadDataManifest, loadPack } from './load';
import { ratingTriples } from './ratings';
import { validateInteractions } from './validate';
import type { Interactions } from './schema';

const BASE = 'http://localhost/data/';

describe('the shipped packs', () => {
  it('all validate and hold the real data sets', async () => {
    const manifest = await loadDataManifest(`${BASE}manifest.json`, diskFetcher);
    const packs = await Promise.all(manifest.packs.map((p) => loadPack(BASE + p, { fetcher: diskFetcher })));
    const catalog = new Catalog(packs);
    expect(catalog.counts()).toEqual({ movies: 9066, fashion: 10000, pantry: 5000, office: 1862 });
    const movies = packs.find((p) => p.id === 'movies');
    expect(movies?.interactions?.user.length).toBe(100_004);
    expect(movies?.interactions?.users.length).toBe(671);
    const office = packs.find((p) => p.id === 'office');
    expect(office?.interactions?.basket?.length).toBe(9994);
    expect(new Set(office?.interactions?.basket).size).toBe(5009);
    const pantry = packs.find((p) => p.id === 'pantry');
    expect(pantry?.reviews?.filter((r) => r.split === 'test').length).toBe(1000);
    expect(catalog.get('ml-1')?.title).toBe('Toy Story');
    expect(catalog.spriteOf('fm-0')?.index).toBe(0);
    expect(catalog.get('fm-0')?.category).toBe('Ankle boot');
    expect(catalog.reviews('ff-B000J0LSBG')[0]?.text).toContain('not good');
    expect(catalog.get('ss-FUR-BO-10001798')?.price?.derived).toMatch(/Sales/);
  });
});

/** A valid minimal pack, as in-memory files; tests break one thing at a time. */
function pack(overrides: Record<string, unknown> = {}) {
  return {
    'shop/pack.json': {
      format: 'hushcart-pack',
      version: 1,
      id: 'shop',
      name: 'Shop',
      aisles: [{ id: 'tea', name: 'Tea' }],
      items: 'items.json',
      interactions: 'interactions.json',
      reviews: 'reviews.json',
    },
    'shop/items.json': [
      { id: 'green', aisle: 'tea', title: 'Green tea' },
      { id: 'black', aisle: 'tea', title: 'Black tea', price: { amount: 4.5, currency: 'EUR' } },
    ],
    'shop/interactions.json': {
      kind: 'purchase',
      users: ['a'],
      user: [0, 0],
      item: [0, 1],
      value: [1, 2],
      timestamp: [1, 2],
    },
    'shop/reviews.json': [{ itemId: 'green', text: 'Lovely' }],
    ...overrides,
  };
}
const load = (files: Record<string, unknown>) =>
  loadPack('http://localhost/shop/pack.json', { fetcher: memoryFetcher(files) });

describe('pack validation', () => {
  it('accepts a valid pack, gzipped or not', async () => {
    const files = pack();
    const gz = { ...files, 'shop/items.json': gzipSync(Buffer.from(JSON.stringify(files['shop/items.json']))) };
    for (const f of [files, gz]) {
      const p = await load(f);
      expect(p.items.map((i) => i.id)).toEqual(['green', 'black']);
      expect(p.interactions?.item).toEqual([0, 1]);
    }
  });

  it('names the file, the item and the field of a bad item', async () => {
    const files = pack({
      'shop/items.json': [
        { id: 'green', aisle: 'tea', title: 'Green' },
        { id: 'black', aisle: 'tea', title: 42 },
      ],
    });
    await expect(load(files)).rejects.toThrow(
      /shop\/items\.json: item 'black' \(#1\): field 'title': .*expected string/,
    );
  });

  it('rejects unknown aisles, duplicate ids, unknown fields and bad prices', async () => {
    await expect(load(pack({ 'shop/items.json': [{ id: 'x', aisle: 'coffee', title: 'X' }] }))).rejects.toThrow(
      /item 'x' \(#0\): field 'aisle': 'coffee' is not one of the pack's aisles/,
    );
    await expect(
      load(
        pack({
          'shop/items.json': [
            { id: 'x', aisle: 'tea', title: 'X' },
            { id: 'x', aisle: 'tea', title: 'Y' },
          ],
        }),
      ),
    ).rejects.toThrow(/item 'x' \(#1\): field 'id': duplicate id/);
    await expect(
      load(pack({ 'shop/items.json': [{ id: 'x', aisle: 'tea', title: 'X', colour: 'red' }] })),
    ).rejects.toThrow(/item 'x' \(#0\).*colour/);
    await expect(
      load(
        pack({ 'shop/items.json': [{ id: 'x', aisle: 'tea', title: 'X', price: { amount: -1, currency: 'EUR' } }] }),
      ),
    ).rejects.toThrow(/field 'price\.amount'/);
  });

  it('rejects a sprite index past the sprite, and a sprite image without a sprite', async () => {
    await expect(
      load(pack({ 'shop/items.json': [{ id: 'x', aisle: 'tea', title: 'X', image: { sprite: 3 } }] })),
    ).rejects.toThrow(/field 'image\.sprite': the pack declares no image sprite/);
  });

  it('rejects interactions whose columns disagree or point past the items', async () => {
    await expect(
      load(
        pack({
          'shop/interactions.json': {
            kind: 'purchase',
            users: ['a'],
            user: [0],
            item: [0, 1],
            value: [1],
            timestamp: [1],
          },
        }),
      ),
    ).rejects.toThrow(/interactions\.json: field 'item': has 2 entries, 'user' has 1/);
    await expect(
      load(
        pack({
          'shop/interactions.json': {
            kind: 'purchase',
            users: ['a'],
            user: [0],
            item: [7],
            value: [1],
            timestamp: [1],
          },
        }),
      ),
    ).rejects.toThrow(/field 'item\[0\]': 7 is past the pack's 2 items/);
  });

  it('rejects reviews of items the pack does not have', async () => {
    await expect(load(pack({ 'shop/reviews.json': [{ itemId: 'oolong', text: 'Nice' }] }))).rejects.toThrow(
      /reviews\.json: review #0: field 'itemId': no item 'oolong'/,
    );
  });

  it('rejects a wrong format version, bad JSON, bad gzip, an empty pack and a missing file', async () => {
    const files = pack();
    await expect(
      load({ ...files, 'shop/pack.json': { ...(files['shop/pack.json'] as object), version: 2 } }),
    ).rejects.toThrow(/pack\.json: field 'version'/);
    await expect(load({ ...files, 'shop/items.json': '[{"id": ' })).rejects.toThrow(/items\.json: is not valid JSON/);
    await expect(load({ ...files, 'shop/items.json': new Uint8Array([0x1f, 0x8b, 1, 2, 3]) })).rejects.toThrow(
      /items\.json: is not valid gzip/,
    );
    await expect(load({ ...files, 'shop/items.json': [] })).rejects.toThrow(/the pack has no items/);
    const missing: Record<string, unknown> = { ...files };
    delete missing['shop/reviews.json'];
    await expect(load(missing)).rejects.toThrow(/no file shop\/reviews\.json/);
  });

  it('lists at most five problems and counts the rest', async () => {
    const items = Array.from({ length: 9 }, (_, k) => ({ id: `i${k}`, aisle: 'tea' }));
    await expect(load(pack({ 'shop/items.json': items }))).rejects.toThrow(/\(and 4 more problems\)/);
  });
});

describe('Catalog', () => {
  it('lists pages per aisle and rejects unknown aisles', async () => {
    const c = new Catalog([await load(pack())]);
    expect(c.list({ aisle: 'tea', offset: 1, limit: 5 })).toMatchObject({
      total: 2,
      offset: 1,
      items: [{ id: 'black' }],
    });
    expect(() => c.list({ aisle: 'coffee' })).toThrow(/no aisle 'coffee'; aisles are: tea/);
    expect(() => c.list({ limit: -1 })).toThrow(/limit/);
  });

  it('refuses two packs that share an item id', async () => {
    const p = await load(pack());
    expect(() => new Catalog([p, { ...p, id: 'copy', aisles: [{ id: 'tea2', name: 'T' }] }])).toThrow(
      /already in another pack/,
    );
  });
});

describe('ratingTriples', () => {
  it("holds out each user's last interaction by time", () => {
    const x: Interactions = {
      kind: 'rating',
      users: ['a', 'b'],
      user: [0, 0, 0, 1, 1],
      item: [0, 1, 2, 1, 2],
      value: [1, 2, 3, 4, 5],
      timestamp: [30, 10, 20, 5, 1],
    };
    const { train, test } = ratingTriples(x, 3);
    expect([...test.user]).toEqual([0, 1]);
    expect([...test.item]).toEqual([0, 1]);
    expect([...train.item]).toEqual([1, 2, 2]);
    expect([...train.rating]).toEqual([2, 3, 5]);
    expect(ratingTriples(x, 3, { maxUsers: 1 }).train.numUsers).toBe(1);
  });
});

describe('pictures given by URL', () => {
  const PNG = 'data:image/png;base64,iVBORw0KGgo=';
  const shop = (image: unknown) => ({
    'shop/pack.json': {
      format: 'hushcart-pack',
      version: 1,
      id: 'shop',
      name: 'Shop',
      audience: 'our customers',
      aisles: [{ id: 'all', name: 'All' }],
      items: [
        { id: 'a', aisle: 'all', title: 'A', image },
        { id: 'b', aisle: 'all', title: 'B' },
      ],
    },
  });

  it('resolves a relative path against the pack, keeps data: URLs, and the catalog serves them', async () => {
    const relative = await loadPack('http://localhost/shop/pack.json', {
      fetcher: memoryFetcher(shop({ url: 'img/a.jpg' })),
    });
    expect(relative.items[0]?.image).toEqual({ url: 'http://localhost/shop/img/a.jpg' });
    expect(relative.audience).toBe('our customers');
    const inline = await loadPack('/shop/pack.json', { fetcher: memoryFetcher(shop({ url: PNG })) });
    const catalog = new Catalog([inline]);
    expect(catalog.pictureOf('a')).toEqual({ url: PNG });
    expect(catalog.pictureOf('b')).toBeUndefined();
    expect(catalog.pictured().map((i) => i.id)).toEqual(['a']);
  });

  it('rejects a picture on another origin, or a script URL, naming the item and the field', async () => {
    for (const url of ['https://cdn.example/a.jpg', '//cdn.example/a.jpg', 'javascript:alert(1)'])
      await expect(
        loadPack('http://localhost/shop/pack.json', { fetcher: memoryFetcher(shop({ url })) }),
      ).rejects.toThrow(/item 'a' \(#0\): field 'image.url': .* is not on this catalog's origin/);
  });
});

describe('item links: http(s) or a path, anything else dropped with a counted warning', () => {
  const shop = (urls: string[]) => ({
    'shop/pack.json': {
      format: 'hushcart-pack',
      version: 1,
      id: 'shop',
      name: 'Shop',
      aisles: [{ id: 'all', name: 'All' }],
      items: urls.map((url, i) => ({ id: `i${i}`, aisle: 'all', title: `Item ${i}`, url })),
    },
  });

  it('resolves paths against the pack, keeps http(s), drops script and data links but keeps their items', async () => {
    const urls = [
      'p/1',
      '/p/2',
      'https://shop.example/p/3',
      ' JaVaScRiPt:alert(1)',
      'java\tscript:x',
      'data:text/html,x',
    ];
    const pack = await loadPack('http://localhost/shop/pack.json', { fetcher: memoryFetcher(shop(urls)) });
    expect(pack.items.map((i) => i.url)).toEqual([
      'http://localhost/shop/p/1',
      'http://localhost/p/2',
      'https://shop.example/p/3',
      undefined,
      undefined,
      undefined,
    ]);
    expect(pack.items).toHaveLength(6);
    expect(pack.warnings).toHaveLength(1);
    expect(pack.warnings?.[0]).toMatch(/pack\.json \(inline items\): field 'url': 3 item links dropped/);
    expect(pack.warnings?.[0]).toContain("item 'i3' (#3)");
    expect(pack.warnings?.[0]).toContain("item 'i5' (#5)");
  });

  it('names the first five and counts the rest; a clean pack has no warning', async () => {
    const many = await loadPack('http://localhost/shop/pack.json', {
      fetcher: memoryFetcher(shop(Array.from({ length: 8 }, () => 'vbscript:x'))),
    });
    expect(many.warnings?.[0]).toMatch(/8 item links dropped, .*; and 3 more\)$/);
    const clean = await loadPack('http://localhost/shop/pack.json', { fetcher: memoryFetcher(shop(['/p/1'])) });
    expect(clean.warnings).toBeUndefined();
  });

  it("refuses a sprite that is not on the pack's origin", async () => {
    const files = shop(['/p/1']);
    const manifest = {
      ...files['shop/pack.json'],
      images: {
        sprite: 'https://cdn.example/s.png',
        tileWidth: 28,
        tileHeight: 28,
        columns: 1,
        count: 0,
        channels: 1,
        background: 'dark',
      },
    };
    await expect(
      loadPack('http://localhost/shop/pack.json', { fetcher: memoryFetcher({ 'shop/pack.json': manifest }) }),
    ).rejects.toThrow(/field 'images.sprite': .* is not on this catalog's origin/);
  });

  it("keeps a pack's rules and refuses one that names an item it does not have", async () => {
    const files = shop(['/p/1']);
    const load = (rules: unknown) =>
      loadPack('http://localhost/shop/pack.json', {
        fetcher: memoryFetcher({ ...files, 'shop/pack.json': { ...files['shop/pack.json'], rules } }),
      });
    const rule = { action: 'boost', category: 'Lamps', factor: 2 };
    expect((await load([rule])).rules).toEqual([rule]);
    await expect(load([{ action: 'pin', itemId: 'nope', position: 1 }])).rejects.toThrow(
      /field 'rules\[0\]\.itemId': no item 'nope' in the pack/,
    );
    await expect(load([{ action: 'boost', tag: 'new' }])).rejects.toThrow(/boost and bury take a factor/);
  });
});

describe('interaction columns checked by loops, messages by the schema', () => {
  const x = { kind: 'view', users: ['a'], user: [0, 0], item: [0, 1], value: [1, 1], timestamp: [5, 6] };
  it('accepts well-formed columns as they are', () => {
    expect(validateInteractions('i.json', x, 2)).toBe(x);
  });
  it('names the field when a column is not what it should be', () => {
    expect(() => validateInteractions('i.json', { ...x, user: [0, -1] }, 2)).toThrow(/i\.json: field 'user\.\[1\]'/);
    expect(() => validateInteractions('i.json', { ...x, value: [1, 'x'] }, 2)).toThrow(/field 'value\.\[1\]'/);
    expect(() => validateInteractions('i.json', { ...x, kind: 'like' }, 2)).toThrow(/field 'kind'/);
    expect(() => validateInteractions('i.json', { ...x, extra: 1 }, 2)).toThrow(/extra/);
  });
});

describe("the demo shops' packs", () => {
  it('validate and hold their real data: clothing with pictures, furniture with the aggregates of its orders', async () => {
    const [clothing, furniture] = await Promise.all(
      ['clothing', 'furniture'].map((id) => loadPack(`${BASE}shops/${id}/pack.json`, { fetcher: diskFetcher })),
    );
    const c = new Catalog([clothing as NonNullable<typeof clothing>]);
    expect(c.counts()).toEqual({ clothing: 800 });
    expect(c.pictured()).toHaveLength(800);
    expect(c.hasReviews()).toBe(false);
    expect(c.get('fmx-0')?.image).toMatchObject({ url: expect.stringMatching(/^data:image\/png;base64,/) });
    // 80 of each Fashion-MNIST class, none of them a picture of the store's own Fashion aisle (different ids).
    const perClass = new Map<string, number>();
    for (const it of clothing?.items ?? []) perClass.set(it.category ?? '', (perClass.get(it.category ?? '') ?? 0) + 1);
    expect([...perClass.values()]).toEqual(new Array(10).fill(80));
    expect(furniture?.items).toHaveLength(375);
    // Built from its orders by hushcart shop-pack: counts many customers support, never an order line.
    expect(furniture?.interactions).toBeUndefined();
    expect(furniture?.aggregates?.popularity.item.length).toBeGreaterThan(100);
    expect(furniture?.aggregates?.privacy).toMatchObject({ k: 5, mechanism: 'laplace' });
    // Every file the shop serves is free of its customers: no Superstore customer id, no email, no order number.
    const dir = join(PUBLIC_DIR, 'data', 'shops', 'furniture');
    for (const name of readdirSync(dir)) {
      const text = readFileSync(join(dir, name), 'utf8');
      expect(text, name).not.toMatch(/ss-customer|@example\.com|\b[A-Z]{2}-\d{5}\b|#\d{4}/);
    }
  });
});

describe('reasons in words', () => {
  it('says popularity with its count, and an item nobody chose yet without "0 shoppers"', async () => {
    const c = new Catalog([await load(pack())]);
    const popular = (users: number) =>
      reasonText({ kind: 'popular', aisle: 'tea', users, interaction: 'purchase' }, c, 'green');
    expect(popular(12)).toBe('Popular in Tea: bought by 12 shoppers');
    expect(popular(0)).toBe('From Tea: no shoppers have bought it yet');
    const bought = reasonText(
      { kind: 'content', itemId: 'black', similarity: 0.8, basis: 'bought', shared: [] },
      c,
      'green',
    );
    expect(bought).toMatch(/^Bought by the same customers as .+ \(similarity 0\.80\)$/);
  });
});
