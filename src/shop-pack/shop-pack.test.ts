import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPack } from '../catalog/load';
import type { Fetcher } from '../catalog/fetch';
import { RecommendService } from '../recommend/service';
import { buildShopPack, formatReport, type ShopPackOptions } from './build';
import { runCli } from './cli';
import { release, seededRandom, laplace } from './privacy';
import { memoryFile, type InputFile } from './source';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const file = (name: string): InputFile => memoryFile(name, readFileSync(join(FIXTURES, name)));
/** Noise small enough to read the counts (a test of the plumbing; the defaults are k 5, epsilon 1). */
const CLEAR: Partial<ShopPackOptions> = { k: 2, epsilon: 1000, random: seededRandom(1) };

const shopify = (options: Partial<ShopPackOptions> = {}) =>
  buildShopPack(
    { products: [file('products-shopify.csv')], orders: [file('orders-shopify.csv')] },
    { id: 'home', name: 'Home', ...CLEAR, ...options },
  );

/** Every person-level value of the Shopify orders fixture: emails, names, streets, phones, order numbers. */
function personalValues(): string[] {
  const text = readFileSync(join(FIXTURES, 'orders-shopify.csv'), 'utf8');
  const [header, ...rows] = text.trim().split('\n');
  const cols = (header as string).split(',');
  const out = new Set<string>();
  for (const row of rows) {
    const cells = row.split(',');
    for (const c of ['Name', 'Email', 'Billing Name', 'Billing Street', 'Billing Phone', 'Created at']) {
      const v = cells[cols.indexOf(c)];
      if (v) out.add(v);
    }
  }
  return [...out];
}

describe('shop-pack: Shopify exports', () => {
  it('merges variants into one product with a price range, plain text and its image host', async () => {
    const { manifest, files } = await shopify();
    const items = JSON.parse(files.get('items.json') as string);
    const stool = items.find((i: { id: string }) => i.id === 'oak-stool');
    expect(stool).toMatchObject({
      title: 'Oak Stool',
      category: 'Seating',
      aisle: 'seating',
      price: { amount: 49, currency: 'USD', derived: 'from 49.00 to 69.00 across 2 variants' },
      image: { url: 'https://cdn.shopify.com/s/files/1/oak-stool.jpg' },
    });
    expect(stool.description).toBe(
      'A three-legged stool in solid oak.\nSeat height 45 cm & waxed. Size: Small, Large.',
    );
    expect(stool.tags).toEqual(['Oak', 'Stool', 'Forest Works']);
    expect(stool).toMatchObject({ availability: 'in_stock', brand: 'Forest Works' });
    const byId = (id: string) => items.find((i: { id: string }) => i.id === id);
    // Shopify's compare-at price is the price before the sale; tracked stock at 0 with policy deny is out of stock.
    expect(byId('linen-cushion')).toMatchObject({ price: { amount: 35 }, salePrice: { amount: 25, currency: 'USD' } });
    expect(byId('clay-vase')).toMatchObject({ availability: 'out_of_stock' });
    expect(items).toHaveLength(6);
    expect(manifest.imageOrigins).toEqual(['https://cdn.shopify.com']);
    expect(manifest.aisles.map((a) => a.id).sort()).toEqual(['decor', 'seating', 'storage', 'textiles']);
  });

  it('publishes no customer: no email, name, address, phone, order number or order time in any file', async () => {
    const { manifest, files, report } = await shopify();
    const served = [JSON.stringify(manifest), ...files.values()].join('\n');
    const values = personalValues();
    expect(values.length).toBeGreaterThan(40);
    for (const v of values) expect(served, v).not.toContain(v);
    expect(served).not.toMatch(/@mail\.example|#10\d\d|2025-\d\d-\d\d/);
    expect(manifest.interactions).toBeUndefined();
    expect(report.statement).toMatch(/no per-person rows/);
  });

  it('releases pairs that k customers support and never a pair bought by one customer', async () => {
    const { files, report } = await shopify();
    const items: { id: string }[] = JSON.parse(files.get('items.json') as string);
    const at = (id: string) => items.findIndex((i) => i.id === id);
    const agg = JSON.parse(files.get('aggregates.json') as string);
    const pairs = (kind: 'together' | 'alsoBought' | 'next') =>
      (agg[kind].a as number[]).map((a, k) => [items[a]?.id, items[agg[kind].b[k]]?.id].sort().join('+'));
    expect(pairs('together')).toEqual(expect.arrayContaining(['linen-cushion+oak-stool', 'brass-hook+pine-shelf']));
    expect(pairs('next')).toContain(['oak-stool', 'wool-throw'].sort().join('+'));
    // The vase and the throw: bought together three times, by one customer.
    for (const kind of ['together', 'alsoBought', 'next'] as const)
      expect(pairs(kind)).not.toContain(['clay-vase', 'wool-throw'].sort().join('+'));
    expect(agg.popularity.item).not.toContain(at('clay-vase'));
    expect(agg.privacy).toMatchObject({ k: 2, mechanism: 'laplace' });
    expect(report.k).toBe(2);
    // Counted and dropped, each with an example: the cancelled order's lines, the unknown product, the bad price.
    const reasons = report.dropped.map((d) => `${d.count} ${d.reason}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        '1 malformed price (variant kept without it)',
        '2 line of a cancelled order (skipped)',
        '1 line that matches no product (skipped)',
      ]),
    );
  });

  it('serves the pack: For you, Similar, bought together and Up next from the aggregates alone', async () => {
    const { manifest, files } = await shopify();
    const served: Record<string, string> = { 'pack.json': JSON.stringify(manifest), ...Object.fromEntries(files) };
    const fetcher: Fetcher = async (url) => new TextEncoder().encode(served[new URL(url).pathname.slice(1)] ?? '');
    const pack = await loadPack('https://shop.example/pack.json', { fetcher });
    expect(pack.interactions).toBeUndefined();
    expect(pack.items.find((i) => i.id === 'oak-stool')?.image).toEqual({
      url: 'https://cdn.shopify.com/s/files/1/oak-stool.jpg',
    });
    const s = new RecommendService();
    await s.load(['https://shop.example/pack.json'], undefined, fetcher);
    const ask = (
      slot: 'for-you' | 'similar' | 'fbt' | 'next',
      itemId?: string,
      events = [] as { type: 'view'; itemId: string; at: number }[],
    ) => s.recommend({ slot, ...(itemId ? { itemId } : {}), events, limit: 5, diversity: 0, exclude: [] });
    const fbt = ask('fbt', 'oak-stool');
    expect(fbt[0]?.itemId).toBe('linen-cushion');
    expect(fbt[0]?.reasons[0]).toMatchObject({ kind: 'together', level: 'item' });
    expect(ask('fbt', 'clay-vase').map((r) => r.itemId)).not.toContain('wool-throw');
    expect(ask('next', 'oak-stool')[0]?.itemId).toBe('wool-throw');
    const forYou = ask('for-you', undefined, [{ type: 'view', itemId: 'pine-shelf', at: 1 }]);
    expect(forYou[0]?.itemId).toBe('brass-hook');
    expect(forYou[0]?.reasons[0]).toMatchObject({ kind: 'because' });
    const popular = ask('for-you');
    expect(popular[0]?.reasons[0]).toMatchObject({ kind: 'popular', interaction: 'purchase' });
  });
});

describe('shop-pack: other layouts', () => {
  it('reads a Merchant Center XML feed (variants by item_group_id, sale price, unsafe link dropped at load)', async () => {
    const { files, manifest } = await buildShopPack(
      { products: [file('products-merchant.xml')] },
      { id: 'mc', name: 'MC' },
    );
    const items = JSON.parse(files.get('items.json') as string);
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({
      id: 'organic-tee',
      title: 'Organic Tee',
      category: 'T-shirts',
      aisle: 'apparel',
      price: { amount: 26, currency: 'EUR' },
      salePrice: { amount: 22, currency: 'EUR' },
      availability: 'in_stock',
      brand: 'Hill Mill',
      description: 'Organic cotton tee & more Colour: Red, Blue. Size: M, L.',
      url: 'https://shop.example/products/organic-tee',
    });
    expect(items[1]).toMatchObject({ id: 'CAP-1', category: 'Hats' });
    expect(manifest.aggregates).toBeUndefined(); // no orders: content alone
  });

  it('reads a Merchant Center TSV (a repeated id is counted, the first kept) and JSON Lines with generic orders', async () => {
    const tsv = await buildShopPack({ products: [file('products-merchant.tsv')] }, { id: 'tsv', name: 'TSV' });
    expect(JSON.parse(tsv.files.get('items.json') as string)).toHaveLength(1);
    const built = await buildShopPack(
      { products: [file('products.jsonl')], orders: [file('orders-generic.csv')], reviews: file('reviews.csv') },
      { id: 'kitchen', name: 'Kitchen', ...CLEAR },
    );
    const agg = JSON.parse(built.files.get('aggregates.json') as string);
    expect(agg.together.count).toHaveLength(1); // p1 + p2, seven customers
    expect(built.report.dropped.map((d) => d.reason)).toEqual(
      expect.arrayContaining([
        'line without a customer (skipped: it cannot be counted once per person)',
        'line that matches no product (skipped)',
        'review of no product in the catalog (skipped)',
      ]),
    );
    expect(JSON.parse(built.files.get('reviews.json') as string)).toEqual([
      { itemId: 'p1', text: 'Lovely board', rating: 5 },
      { itemId: 'p2', text: 'Too small, sadly', rating: 2 },
    ]);
  });

  it('refuses what it cannot read, naming the file and the line', async () => {
    const build = (products: InputFile, orders?: InputFile) =>
      buildShopPack({ products: [products], ...(orders ? { orders: [orders] } : {}) }, { id: 'x', name: 'X' });
    await expect(build(memoryFile('empty.csv', ''))).rejects.toThrow(/empty\.csv: the file is empty/);
    await expect(build(memoryFile('what.csv', 'sku,name\n1,a\n'))).rejects.toThrow(/what\.csv: unknown product file/);
    await expect(
      build(memoryFile('latin1.csv', Uint8Array.from([...Buffer.from('id,title\n1,ok\n2,caf'), 0xe9, 10]))),
    ).rejects.toThrow(/latin1\.csv: line 3: the file is not UTF-8/);
    await expect(build(memoryFile('quote.csv', 'id,title\n1,"unclosed\n'))).rejects.toThrow(/quote\.csv: line \d/);
    await expect(build(memoryFile('bad.xml', '<rss><channel><item><g:id>1</item></rss>'))).rejects.toThrow(
      /bad\.xml: not well-formed XML/,
    );
    await expect(build(memoryFile('header.csv', 'id,title\n'))).rejects.toThrow(/header\.csv: the file has no rows/);
    await expect(
      build(
        file('products-shopify.csv'),
        memoryFile('orders.csv', 'Name,Email,Created at,Lineitem name\n#1,a@b.c,yesterday,Oak Stool\n'),
      ),
    ).rejects.toThrow(/orders\.csv: line 2, column "Created at": not a date or time/);
    await expect(
      build(
        file('products-shopify.csv'),
        memoryFile('orders.csv', 'order,customer,product,time\n,c1,oak-stool,2025-01-01\n'),
      ),
    ).rejects.toThrow(/orders\.csv: line 2, column "order": a value is required/);
    await expect(buildShopPack({ products: [file('products.jsonl')] }, { id: 'Bad Id', name: 'X' })).rejects.toThrow(
      /pack id/,
    );
  });
});

describe('shop-pack: counts from a warehouse instead of orders', () => {
  it('releases them by the same rule: the k rule again, noise, unknown products counted', async () => {
    const built = await buildShopPack(
      { products: [file('products-shopify.csv')], counts: [file('counts-warehouse.csv')] },
      { id: 'home', name: 'Home', k: 5, epsilon: 1000, random: seededRandom(2) },
    );
    const items: { id: string }[] = JSON.parse(built.files.get('items.json') as string);
    const agg = JSON.parse(built.files.get('aggregates.json') as string);
    const id = (j: number) => items[j]?.id;
    expect(agg.popularity.item.map(id).sort()).toEqual(['linen-cushion', 'oak-stool']); // the vase's 3 < k
    expect(agg.together.a.map(id).concat(agg.together.b.map(id)).sort()).toEqual(['linen-cushion', 'oak-stool']);
    expect([id(agg.next.a[0]), id(agg.next.b[0])]).toEqual(['oak-stool', 'wool-throw']);
    expect(agg.period).toEqual({ from: '2025-01', to: '2025-06' });
    expect(agg.customers).toBeCloseTo(1200, -1);
    expect(built.report.read.at(-1)).toMatchObject({ format: 'warehouse counts', rows: 10 });
    expect(built.report.dropped.map((d) => d.reason)).toContain('count of no product in the catalog (skipped)');
    await expect(
      buildShopPack(
        {
          products: [file('products-shopify.csv')],
          counts: [memoryFile('c.csv', 'kind,a,b,customers\nlikes,oak-stool,,9\n')],
        },
        { id: 'x', name: 'X' },
      ),
    ).rejects.toThrow(/c\.csv: line 2, column "kind": 'likes' is not one of/);
    await expect(
      buildShopPack(
        {
          products: [file('products-shopify.csv')],
          orders: [file('orders-shopify.csv')],
          counts: [file('counts-warehouse.csv')],
        },
        { id: 'x', name: 'X' },
      ),
    ).rejects.toThrow(/orders or counts/);
  });
});

describe('shop-pack: item vectors', () => {
  it('computes them from the released pairs alone: only items in a pair k customers support, with a model card', async () => {
    const { files, report } = await shopify({ evaluate: true });
    const items: { id: string }[] = JSON.parse(files.get('items.json') as string);
    const agg = JSON.parse(files.get('aggregates.json') as string);
    const v = agg.vectors;
    const inPairs = new Set<number>([...agg.alsoBought.a, ...agg.alsoBought.b, ...agg.together.a, ...agg.together.b]);
    expect(v.item.length).toBeGreaterThan(1);
    expect(v.item.every((i: number) => inPairs.has(i))).toBe(true);
    expect(v.values).toHaveLength(v.item.length * v.dims);
    // The vase: bought by one customer only, so in no released pair and without a vector.
    expect(v.item.map((i: number) => items[i]?.id)).not.toContain('clay-vase');
    expect(v.card).toMatchObject({ source: 'released-pairs', k: 2, epsilon: 2000, items: v.item.length });
    expect(report.vectors).toEqual(v.card);
    // Items bought together lie closer than items never bought together.
    const vec = (id: string) => {
      const k = v.item.indexOf(items.findIndex((i) => i.id === id));
      const x = v.values.slice(k * v.dims, (k + 1) * v.dims) as number[];
      const norm = Math.hypot(...x);
      return x.map((a) => a / norm);
    };
    const cos = (a: string, b: string) => vec(a).reduce((s, x, c) => s + x * (vec(b)[c] as number), 0);
    expect(cos('linen-cushion', 'oak-stool')).toBeGreaterThan(cos('linen-cushion', 'pine-shelf'));
  });

  it('imports vectors trained elsewhere (Spark ALS item factors) for the items k customers bought, and serves them', async () => {
    const built = await buildShopPack(
      {
        products: [file('products-shopify.csv')],
        orders: [file('orders-shopify.csv')],
        itemVectors: file('item-vectors-als.jsonl'),
      },
      { id: 'home', name: 'Home', ...CLEAR },
    );
    const items: { id: string }[] = JSON.parse(built.files.get('items.json') as string);
    const agg = JSON.parse(built.files.get('aggregates.json') as string);
    const ids = agg.vectors.item.map((i: number) => items[i]?.id);
    expect(ids).not.toContain('clay-vase'); // one customer: its factors are dropped
    expect(ids).toEqual(expect.arrayContaining(['oak-stool', 'pine-shelf', 'brass-hook']));
    expect(agg.vectors.card).toMatchObject({ source: 'imported', epsilon: null });
    expect(agg.vectors.dims).toBe(4);
    expect(built.report.dropped.map((d) => `${d.count} ${d.reason}`)).toEqual(
      expect.arrayContaining([
        '1 item vector of no product in the catalog (skipped)',
        '1 item vector of a product fewer than k customers bought (dropped)',
      ]),
    );
    expect(formatReport(built.report)).toMatch(/not differentially private/);

    // Served: two items with no released pair, whose vectors lie close: Similar items names the customers they share.
    const counts = memoryFile(
      'counts.csv',
      'kind,a,b,customers\ncustomers,,,900\npopularity,pine-shelf,,50\npopularity,brass-hook,,40\npopularity,oak-stool,,300\n',
    );
    const fromCounts = await buildShopPack(
      { products: [file('products-shopify.csv')], counts: [counts], itemVectors: file('item-vectors-als.jsonl') },
      { id: 'home', name: 'Home', ...CLEAR },
    );
    const served: Record<string, string> = {
      'pack.json': JSON.stringify(fromCounts.manifest),
      ...Object.fromEntries(fromCounts.files),
    };
    const fetcher: Fetcher = async (url) => new TextEncoder().encode(served[new URL(url).pathname.slice(1)] ?? '');
    const s = new RecommendService();
    await s.load(['https://shop.example/pack.json'], undefined, fetcher);
    const similar = s.recommend({
      slot: 'similar',
      itemId: 'pine-shelf',
      events: [],
      limit: 3,
      diversity: 0,
      exclude: [],
    });
    expect(similar[0]?.itemId).toBe('brass-hook');
    expect(similar[0]?.reasons[0]).toMatchObject({ kind: 'content', basis: 'bought', itemId: 'pine-shelf' });

    // A CSV of id and features in brackets reads the same; bad files are named with their line.
    const csv = memoryFile('factors.csv', 'id,features\noak-stool,"[0.1,0.2]"\nlinen-cushion,"[0.3,0.4]"\n');
    const fromCsv = await buildShopPack(
      { products: [file('products-shopify.csv')], orders: [file('orders-shopify.csv')], itemVectors: csv },
      { id: 'home', name: 'Home', ...CLEAR },
    );
    expect(JSON.parse(fromCsv.files.get('aggregates.json') as string).vectors.dims).toBe(2);
    const bad = (text: string) =>
      buildShopPack(
        {
          products: [file('products-shopify.csv')],
          orders: [file('orders-shopify.csv')],
          itemVectors: memoryFile('v.jsonl', text),
        },
        { id: 'home', name: 'Home', ...CLEAR },
      );
    await expect(bad('{"id":"oak-stool","features":[1,2]}\n{"id":"pine-shelf","features":[1]}\n')).rejects.toThrow(
      /v\.jsonl: line 2: 1 dimensions where the lines before have 2/,
    );
    await expect(bad('{"id":"oak-stool","features":"many"}\n')).rejects.toThrow(/line 1, field "features"/);
    await expect(
      buildShopPack(
        { products: [file('products-shopify.csv')], itemVectors: file('item-vectors-als.jsonl') },
        { id: 'home', name: 'Home', ...CLEAR },
      ),
    ).rejects.toThrow(/item vectors need orders or counts/);
  });
});

describe('shop-pack: shipped models', () => {
  const exported = (extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      format: 'hushcart-export',
      version: 1,
      exportedAt: 1_790_000_000_000,
      catalog: { id: 'home', dataHash: 'abc' },
      events: [],
      settings: {},
      models: [
        {
          meta: {
            id: 'image-embedder-fashion',
            kind: 'cnn-image-embedder',
            version: 1,
            dataHash: 'abc',
            createdAt: 1_790_000_000_000,
            backend: 'wasm',
            metrics: { validationAccuracy: 0.89 },
            recipe: 'quick',
            bytes: 4,
          },
          tensors: [{ name: 'w', shape: [1], dtype: 'float32', data: 'AACAPw==' }],
        },
      ],
      ...extra,
    });

  it('ships a models file as it is, gzipped, with each model card in the report', async () => {
    const built = await buildShopPack(
      { products: [file('products-shopify.csv')], models: memoryFile('models.json', exported()) },
      { id: 'home', name: 'Home', ...CLEAR },
    );
    expect(built.manifest.models).toBe('models.json.gz');
    const gz = built.files.get('models.json.gz') as Uint8Array;
    expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);
    expect(built.report.models).toEqual([
      expect.objectContaining({
        id: 'image-embedder-fashion',
        recipe: 'quick',
        trainedAt: '2026-09-21',
        dataHash: 'abc',
      }),
    ]);
    expect(formatReport(built.report)).toMatch(/Shipped model image-embedder-fashion .* validationAccuracy 0\.8900/);
  });

  it("refuses a models file that carries a shopper's events or settings, or is not one", async () => {
    const build = (text: string) =>
      buildShopPack(
        { products: [file('products-shopify.csv')], models: memoryFile('m.json', text) },
        { id: 'home', name: 'Home' },
      );
    await expect(build(exported({ events: [{ id: 'e1', ts: 1, type: 'view', itemId: 'oak-stool' }] }))).rejects.toThrow(
      /m\.json: holds 1 of a shopper's events .* a pack ships models only/,
    );
    await expect(build(exported({ settings: { paused: true } }))).rejects.toThrow(
      /0 of a shopper's events and 1 settings/,
    );
    await expect(build('{"format":"something-else"}')).rejects.toThrow(/m\.json: not a models file HushCart wrote/);
    await expect(build('not json')).rejects.toThrow(/m\.json: not a models file \(gzipped or plain JSON\)/);
  });

  it('keeps pictures given inline as data: URLs (no image host), and still drops other schemes', async () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    const built = await buildShopPack(
      {
        products: [
          memoryFile(
            'p.jsonl',
            `{"id":"a","title":"A","image":"${png}"}\n{"id":"b","title":"B","image":"javascript:alert(1)"}\n`,
          ),
        ],
      },
      { id: 'home', name: 'Home' },
    );
    const items = JSON.parse(built.files.get('items.json') as string);
    expect(items[0].image).toEqual({ url: png });
    expect(items[1].image).toBeUndefined();
    expect(built.manifest.imageOrigins).toBeUndefined();
  });
});

describe('shop-pack: the privacy mechanism', () => {
  it('never releases a count under k, and adds Laplace noise of scale bound / epsilon', () => {
    const counts = new Map([
      [1, 4],
      [2, 5],
      [3, 500],
    ]);
    for (let seed = 0; seed < 50; seed++)
      expect(release(counts, { k: 5, epsilon: 1, bound: 10 }, seededRandom(seed)).has(1)).toBe(false);
    const random = seededRandom(9);
    const draws = Array.from({ length: 20000 }, () => laplace(4, random));
    const meanAbs = draws.reduce((a, b) => a + Math.abs(b), 0) / draws.length;
    expect(meanAbs).toBeCloseTo(4, 0); // E|Lap(b)| = b
    // With delta, the noisy count must also pass tau = k + b ln(bound / 2 delta): 5 customers are far below it.
    const strict = release(counts, { k: 5, epsilon: 1, bound: 10, delta: 1e-6 }, seededRandom(3));
    expect(strict.has(2)).toBe(false);
    expect(strict.get(3)).toBeGreaterThan(400);
  });
});

describe('hushcart shop-pack (command line)', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) } };
  };
  const args = (out: string, orders = join(FIXTURES, 'orders-shopify.csv')) => [
    'shop-pack',
    '--products',
    join(FIXTURES, 'products-shopify.csv'),
    '--orders',
    orders,
    '--out',
    out,
    '--k',
    '2',
  ];

  it('writes the pack and prints the privacy report; a failed build leaves the previous pack as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shop-pack-'));
    const out = join(dir, 'home');
    const first = io();
    expect(await runCli(args(out), first.io)).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['aggregates.json', 'items.json', 'pack.json']);
    expect(first.out.join('\n')).toMatch(/k = 2 distinct customers[\s\S]*epsilon per kind: customers 1, popularity 1/);
    expect(first.out.join('\n')).toMatch(/This pack contains no per-person rows/);
    const before = readFileSync(join(out, 'aggregates.json'), 'utf8');
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'Name,Email,Created at,Lineitem name\n#1,a@b.c,not a time,Oak Stool\n');
    const second = io();
    expect(await runCli(args(out, bad), second.io)).toBe(1);
    expect(second.err.join('\n')).toMatch(/bad\.csv: line 2, column "Created at"/);
    expect(readFileSync(join(out, 'aggregates.json'), 'utf8')).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(['bad.csv', 'home']); // no partial folder left behind
  });

  it('reads item vectors and a models file from the command line, and writes the models beside the pack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shop-pack-'));
    const out = join(dir, 'home');
    const models = join(dir, 'models.json');
    writeFileSync(
      models,
      JSON.stringify({
        format: 'hushcart-export',
        version: 1,
        exportedAt: 1,
        catalog: { id: 'home', dataHash: 'abc' },
        events: [],
        settings: {},
        models: [
          {
            meta: {
              ...{ id: 'image-embedder-fashion', kind: 'cnn-image-embedder', version: 1, dataHash: 'abc' },
              ...{ createdAt: 1, backend: 'wasm', metrics: { validationAccuracy: 0.9 }, bytes: 4 },
            },
            tensors: [{ name: 'w', shape: [1], dtype: 'float32', data: 'AACAPw==' }],
          },
        ],
      }),
    );
    const r = io();
    const code = await runCli(
      [...args(out), '--item-vectors', join(FIXTURES, 'item-vectors-als.jsonl'), '--models', models],
      r.io,
    );
    expect(code, r.err.join('\n')).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['aggregates.json', 'items.json', 'models.json.gz', 'pack.json']);
    expect(JSON.parse(readFileSync(join(out, 'pack.json'), 'utf8')).models).toBe('models.json.gz');
    const text = r.out.join('\n');
    expect(text).toMatch(/Item vectors \(\d+ of 6 products[\s\S]*not differentially private/);
    expect(text).toMatch(/Shipped model image-embedder-fashion/);
  });

  it('refuses to replace a folder that is not a pack, and explains its usage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shop-pack-'));
    mkdirSync(join(dir, 'site'));
    writeFileSync(join(dir, 'site', 'index.html'), '<h1>shop</h1>');
    const r = io();
    expect(await runCli(args(join(dir, 'site')), r.io)).toBe(1);
    expect(r.err.join('\n')).toMatch(/is not a pack folder/);
    expect(existsSync(join(dir, 'site', 'index.html'))).toBe(true);
    const u = io();
    expect(await runCli(['shop-pack', '--out', dir], u.io)).toBe(2);
    expect(u.err.join('\n')).toMatch(/give --products and --out[\s\S]*Usage: hushcart shop-pack/);
  });
});
