/**
 * createHushCart on a shop's own catalog, in-thread (the same Engine as the worker's), with a data manifest that
 * ships none of the general models' training data: each capability is available or unavailable exactly as the
 * catalog's data says, and a malformed catalog file is rejected with its message before anything is stored.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEngine } from '../engine/engine';
import type { Fetcher } from '../catalog/fetch';
import { catalogDbName } from './catalog-source';
import { createHushCart } from './hushcart';

const MANIFEST_URL = 'http://localhost/data/manifest.json';
/** A data manifest with no training sets, lexicons or word vectors. */
const bareManifest = { format: 'hushcart-data', version: 1, dataHash: 'bare-manifest-1', packs: ['none.json'] };
const fetcher: Fetcher = async (url) => {
  if (url === MANIFEST_URL) return new TextEncoder().encode(JSON.stringify(bareManifest));
  throw new Error(`no file ${url}`);
};

beforeAll(() => {
  vi.stubGlobal('location', new URL('http://localhost/store/'));
});
afterAll(() => {
  vi.unstubAllGlobals();
});

const CATEGORIES = ['Chairs', 'Lamps', 'Desks'];
const items = (n: number) =>
  Array.from({ length: n }, (_, k) => ({
    id: `sku-${k}`,
    aisle: 'shop',
    title: `${CATEGORIES[k % 3]} model ${k}`,
    category: CATEGORIES[k % 3],
    price: { amount: 10 + k, currency: 'EUR' },
  }));
const pack = (extra: Record<string, unknown> = {}, n = 30) => ({
  format: 'hushcart-pack',
  version: 1,
  id: 'shop-a',
  name: 'Shop A',
  aisles: [{ id: 'shop', name: 'Everything' }],
  items: items(n),
  ...extra,
});
const file = (json: unknown, name = 'shop.json') =>
  new File([typeof json === 'string' ? json : JSON.stringify(json)], name, { type: 'application/json' });

let dbCount = 0;
/** Each call gets a database name of its own; `dbName` is the name a catalog's database starts with. */
function open(catalog: Blob | string, o: { pretrain?: boolean; dbName?: string } = {}) {
  const dbName = o.dbName ?? `shop-test-${++dbCount}`;
  return Object.assign(
    createHushCart({
      manifestUrl: MANIFEST_URL,
      engine: createEngine,
      fetcher,
      catalog,
      backendOverride: 'wasm',
      pretrain: o.pretrain ?? false,
      retrainAfter: 0,
      sequentialRetrainAfter: 0,
      dbName,
    }),
    { dbName },
  );
}

/**
 * Interactions in two planted tastes: users 0..19 rate Chairs, users 20..39 rate Lamps, 24 distinct items each
 * (above the factor models' median of 20), in time order. Item j is in category j % 3.
 */
function interactions(numItems: number) {
  const perCategory = Math.floor(numItems / 3);
  const users = Array.from({ length: 40 }, (_, u) => `u${u}`);
  const x = {
    kind: 'rating',
    users,
    user: [] as number[],
    item: [] as number[],
    value: [] as number[],
    timestamp: [] as number[],
  };
  for (let u = 0; u < 40; u++)
    for (let t = 0; t < 24; t++) {
      x.user.push(u);
      x.item.push(3 * ((u + t) % perCategory) + (u < 20 ? 0 : 1));
      x.value.push(5);
      x.timestamp.push(1_000 + t);
    }
  return x;
}

describe('a shop catalog with titles alone, and no general training data', () => {
  it('serves the item space and says why each other capability is unavailable', async () => {
    const api = open(file(pack()));
    await api.ready();
    const s = await api.status();
    expect(s.catalog).toMatchObject({ id: 'shop-a', name: 'Shop A', source: 'shop.json', items: 30 });
    expect(s.catalog.dataHash).toMatch(/^[0-9a-f]{16}$/);
    await api.recommend(); // waits for the worker's load
    const c = (await api.status()).capabilities;
    expect(c['item-space']).toEqual({ available: true });
    expect(c['item-knn'].reason).toMatch(/no interactions/);
    expect(c['bought-together'].reason).toMatch(/no baskets/);
    expect(c['matrix-factorisation'].reason).toMatch(/no interactions/);
    expect(c['sentiment'].reason).toMatch(/data manifest has no labelled reviews/);
    expect(c['photo-search'].reason).toMatch(/training pictures/);
    expect(c['review-ranking'].reason).toMatch(/no reviews/);
    await vi.waitFor(async () => expect((await api.status()).recommender.phase).toBe('unavailable'));

    // Before any activity, with no popularity to show either: a first look, one of each category in turn.
    const first = await api.recommend({ limit: 6 });
    expect(first.map((r) => r.itemId)).toEqual(['sku-0', 'sku-1', 'sku-2', 'sku-3', 'sku-4', 'sku-5']);
    expect(first[1]?.reasons[0]).toBe('To start, one of each kind we sell (Lamps): what you browse shapes this list');

    // For you follows the shopper's views, with reasons naming them.
    for (const id of ['sku-1', 'sku-4', 'sku-7']) await api.track({ type: 'view', itemId: id });
    const recs = await api.recommend({ limit: 6 });
    expect(recs).toHaveLength(6);
    expect(recs.every((r) => api.catalog.get(r.itemId)?.category === 'Lamps')).toBe(true);
    expect(recs[0]?.reasons[0]).toMatch(/^Because you viewed Lamps model (1|4|7)/);
    const similar = await api.recommend({ slot: 'similar', itemId: 'sku-0', limit: 3 });
    expect(similar.map((r) => api.catalog.get(r.itemId)?.category)).toEqual(['Chairs', 'Chairs', 'Chairs']);
    await expect(api.sentiment('lovely')).rejects.toThrow(/sentiment model is unavailable/);
    await expect(api.recommend({ slot: 'next' })).rejects.toThrow(/sequential/);
    await api.close();
  });
});

describe('a shop catalog with interactions', () => {
  it('gets the factor models, per pack, with reasons in the words of its own audience', async () => {
    const n = 90;
    const api = open(
      file(pack({ id: 'shop-b', items: items(n), interactions: interactions(n), audience: 'club members' })),
    );
    await api.ready();
    await api.recommend();
    const s = await api.status();
    expect(s.capabilities['item-knn']).toEqual({ available: true });
    expect(s.capabilities['matrix-factorisation']).toEqual({ available: true });
    await vi.waitFor(async () => expect((await api.status()).recommender.phase).toBe('untrained'));
    const popular = await api.recommend({ limit: 3 });
    expect(popular[0]?.reasons[0]).toMatch(/^Popular in Everything: rated by \d+ club members$/);

    const trained = await api.retrain('recommender', { epochs: 2 });
    expect(trained.phase).toBe('ready');
    expect((await api.models()).map((m) => m.id)).toContain('bpr:shop-b');
    const taste = await api.taste();
    expect(taste.segments.reduce((a, x) => a + x.size, 0)).toBe(40);

    for (const id of ['sku-0', 'sku-3', 'sku-6']) await api.track({ type: 'rate', itemId: id, value: 5 });
    const recs = await api.recommend({ limit: 5 });
    expect(recs.filter((r) => api.catalog.get(r.itemId)?.category === 'Chairs').length).toBeGreaterThanOrEqual(4);

    // The sequential model trains by either recipe (the one asked for is saved with it); a wrong one is refused.
    await expect(api.retrain('sequential', { recipe: 'huge' as 'full' })).rejects.toThrow(
      /unknown recipe 'huge'; the sequential model's are quick, full/,
    );
    await expect(api.retrain('recommender', { recipe: 'full' })).rejects.toThrow(/'recommender' has no recipes/);
    const full = await api.retrain('sequential', { recipe: 'full', epochs: 1 });
    expect(full).toMatchObject({ phase: 'ready', recipe: 'full' });
    expect((await api.models()).find((m) => m.id === 'sequential:shop-b')?.recipe).toBe('full');
    // Its training chose For you's weights for it on the validation split, saved with it.
    const exported = JSON.parse(await (await api.exportModels()).text()) as {
      models: { meta: { id: string }; tensors: { name: string; shape: number[] }[] }[];
    };
    const seq = exported.models.find((m) => m.meta.id === 'sequential:shop-b');
    expect(seq?.tensors.find((t) => t.name === 'blend')?.shape).toEqual([3]);
    await api.close();
  });
});

describe('a first visit whose engine is slow to choose its backend', () => {
  it('trains the factor models once the engine is ready, though their data was ready first', async () => {
    const n = 90;
    const slowEngine = () => {
      const e = createEngine();
      const init = e.runtime.init.bind(e.runtime);
      // As a first visit's probe of every backend (about 1.2 s in Chromium here): the interactions load meanwhile.
      e.runtime.init = async (o) => {
        await new Promise((r) => setTimeout(r, 400));
        return init(o);
      };
      return e;
    };
    const api = createHushCart({
      manifestUrl: MANIFEST_URL,
      engine: slowEngine,
      fetcher,
      catalog: file(pack({ id: 'shop-s', items: items(n), interactions: interactions(n) })),
      backendOverride: 'wasm',
      pretrain: true,
      retrainAfter: 0,
      sequentialRetrainAfter: 0,
      dbName: `shop-test-${++dbCount}`,
    });
    await api.recommend(); // served before the engine is ready
    await vi.waitFor(async () => expect((await api.status()).recommender.phase).toMatch(/ready|error/), {
      timeout: 30_000,
    });
    expect((await api.status()).recommender).toMatchObject({ phase: 'ready', source: 'trained' });
    await api.close();
  }, 60_000);
});

describe('search on a shop catalog', () => {
  it('finds items by title with a typo, filters by aisle, personalises on request, and keeps its index', async () => {
    const api = open(file(pack({ id: 'shop-s' })));
    await api.ready();
    const r = await api.search('lamsp model 4');
    expect(r.results[0]?.itemId).toBe('sku-4');
    expect(r.results[0]?.highlights.find((h) => h.field === 'title')?.text).toBe('Lamps model 4');
    expect(r.intent).toMatchObject({ aisle: 'shop', category: 'Lamps' });
    expect((await api.status()).capabilities.search).toEqual({ available: true });
    await expect(api.search('lamp', { aisle: 'nowhere' })).rejects.toThrow(/no aisle 'nowhere'/);
    await expect(api.search(42 as never)).rejects.toThrow(/query as a string/);
    expect((await api.search('x'.repeat(10_000))).results).toEqual([]);

    // Personalised: the items the shopper bought come first among equally matching ones.
    const plain = await api.search('model', { limit: 30 });
    for (const id of ['sku-2', 'sku-5', 'sku-8']) await api.track({ type: 'purchase', itemId: id, value: 1 });
    const mine = await api.search('model', { limit: 30, personalised: true });
    expect(plain.results.map((x) => x.itemId)).toEqual(
      (await api.search('model', { limit: 30 })).results.map((x) => x.itemId),
    );
    expect(mine.results.slice(0, 5).every((x) => api.catalog.get(x.itemId)?.category === 'Desks')).toBe(true);
    // A search result opened is an event that counts for the profile.
    await api.track({ type: 'search', text: 'desk', itemId: 'sku-11' });
    expect((await api.events({ type: 'search' }))[0]).toMatchObject({ text: 'desk', itemId: 'sku-11' });
    expect((await api.status()).search).toMatchObject({ items: 30, built: true });
    await api.close();
    // The next visit loads the index this one kept (under the catalog's data hash) instead of building it.
    const again = open(file(pack({ id: 'shop-s' })), { dbName: api.dbName });
    expect((await again.search('lamps model 4')).results[0]?.itemId).toBe('sku-4');
    expect((await again.status()).search).toMatchObject({ items: 30, built: false });
    await again.close();
  });
});

describe('models shipped with a pack', () => {
  it('are exported from one device and loaded, not trained, on a first visit elsewhere; stale ones are skipped', async () => {
    const n = 90;
    const packJson = pack({ id: 'shop-m', items: items(n), interactions: interactions(n) });
    const trainer = open(file(packJson));
    await trainer.ready();
    expect((await trainer.retrain('recommender', { epochs: 2 })).phase).toBe('ready');
    const shipped = new Uint8Array(await (await trainer.exportModels()).arrayBuffer());
    const exported = JSON.parse(new TextDecoder().decode(shipped)) as {
      events: unknown[];
      models: { meta: { id: string } }[];
    };
    expect(exported.events).toEqual([]); // no shopper data in a file a shop publishes
    expect(exported.models.map((m) => m.meta.id)).toContain('bpr:shop-m');
    // The owner's own data export, shipped by mistake: it carries their events.
    await trainer.track({ type: 'view', itemId: 'sku-1' });
    const withEvents = new Uint8Array(await (await trainer.exportData({ models: true })).arrayBuffer());
    await trainer.close();
    let modelsFile: Uint8Array = gzipSync(shipped); // shops may serve it gzipped

    // The same pack served by URL, now naming the models file: its data hash is unchanged by that field.
    const served =
      (manifest: unknown): Fetcher =>
      async (url) => {
        if (url === 'http://localhost/shop/pack.json') return new TextEncoder().encode(JSON.stringify(manifest));
        if (url === 'http://localhost/shop/models.json') return modelsFile;
        return fetcher(url);
      };
    const visit = (manifest: unknown) =>
      createHushCart({
        manifestUrl: MANIFEST_URL,
        engine: createEngine,
        fetcher: served(manifest),
        catalog: 'http://localhost/shop/pack.json',
        backendOverride: 'wasm',
        pretrain: true,
        retrainAfter: 0,
        sequentialRetrainAfter: 0,
        dbName: `shop-test-${++dbCount}`,
      });
    // The engine (in-thread here) fetches the pack itself, with fetch.
    const realFetch = globalThis.fetch;
    let current: unknown = null;
    vi.stubGlobal('fetch', async (url: string) =>
      url === 'http://localhost/shop/pack.json'
        ? new Response(JSON.stringify(current))
        : new Response('not found', { status: 404 }),
    );
    const visitor = visit((current = { ...packJson, models: 'models.json' }));
    await visitor.ready();
    await vi.waitFor(async () => expect((await visitor.status()).recommender.phase).toBe('ready'), { timeout: 30_000 });
    const s = await visitor.status();
    expect(s.shippedModels?.loaded).toContain('bpr:shop-m');
    expect(s.recommender.source).toBe('loaded');
    await visitor.close();

    // Other data (one more item): the shipped model no longer fits and is skipped, and trained here instead.
    const changed = visit((current = { ...packJson, items: items(n + 1), models: 'models.json' }));
    await changed.ready();
    await vi.waitFor(async () => {
      const m = (await changed.status()).shippedModels;
      expect(m).not.toBeNull();
      expect(m?.reading).toBeUndefined();
    });
    const c = await changed.status();
    expect(c.shippedModels?.skipped).toContainEqual({ id: 'bpr:shop-m', why: 'stale: trained on other data' });
    await changed.close();

    // A file with a shopper's events is not used at all; the visit trains as if there were none, and says why.
    modelsFile = withEvents;
    const wrong = visit((current = { ...packJson, models: 'models.json' }));
    await wrong.ready();
    await vi.waitFor(async () => {
      const m = (await wrong.status()).shippedModels;
      expect(m).not.toBeNull();
      expect(m?.reading).toBeUndefined();
    });
    expect((await wrong.status()).shippedModels).toMatchObject({
      loaded: [],
      error: expect.stringMatching(/carries no shopper data, and this one has 1 events/),
    });
    await wrong.close();
    vi.stubGlobal('fetch', realFetch);
  }, 60_000);

  it('a file catalog cannot name a models file', async () => {
    const api = open(file(pack({ models: 'models.json' })));
    await expect(api.loaded).rejects.toThrow(/field 'models': a catalog file cannot name a models file/);
    await api.close();
  });
});

describe('a malformed catalog file', () => {
  const cases: [string, Blob, RegExp][] = [
    ['bad JSON', file('{"format": "hushcart-pack",', 'broken.json'), /^broken\.json: is not valid JSON/],
    ['the wrong version', file({ ...pack(), version: 2 }), /shop\.json: field 'version'/],
    ['a missing title', file(pack({ items: [{ id: 'x', aisle: 'shop' }] })), /item 'x' \(#0\): field 'title'/],
    [
      'a review of an unknown item',
      file(pack({ reviews: [{ itemId: 'nope', text: 'fine' }] })),
      /review #0: field 'itemId': no item 'nope'/,
    ],
    [
      'interactions past the items',
      file(pack({ interactions: { ...interactions(30), item: interactions(30).item.map(() => 99) } })),
      /field 'item\[0\]': 99 is past the pack's 30 items/,
    ],
    [
      'a picture from another origin',
      file(pack({ items: [{ id: 'p', aisle: 'shop', title: 'P', image: { url: 'https://cdn.example/p.png' } }] })),
      /item 'p' \(#0\): field 'image.url': .* not on this catalog's origin/,
    ],
    ['parts in other files', file(pack({ items: 'items.json' })), /field 'items': names the file 'items.json'/],
  ];
  for (const [what, blob, message] of cases)
    it(`is rejected for ${what}, naming the file, the item and the field, and stores nothing`, async () => {
      const api = open(blob);
      await expect(api.loaded).rejects.toThrow(message);
      const names = (await indexedDB.databases()).map((d) => d.name);
      expect(names).not.toContain(catalogDbName('shop-a', api.dbName));
      expect(names.filter((name) => name?.startsWith(api.dbName))).toEqual([]);
      await api.close();
    });

  it('rejects a catalog URL on another origin', async () => {
    const api = open('https://shop.example/pack.json');
    await expect(api.loaded).rejects.toThrow(/must come from this site's own origin/);
    await api.close();
  });
});
