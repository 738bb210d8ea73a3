/**
 * The shop-pack builder (`hushcart shop-pack`): time, peak memory and pack size on SYNTHETIC orders of 10^5 and 10^6
 * lines (10^7 with HUSHCART_BENCH_SHOP_LINES=1e7: about 400 MB of CSV), each run as a shop runs it (the built
 * command line, one process per build); and what privacy costs on real histories: the store's MovieLens ratings
 * written as an orders file, For you's item-kNN from the raw lines against the released pairs, over k and epsilon.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { DEFAULT_AGGREGATES } from '../src/shop-pack/aggregate';
import { buildShopPack } from '../src/shop-pack/build';
import type { ShopPackReport } from '../src/shop-pack/build';
import { seededRandom } from '../src/shop-pack/privacy';
import type { PrivacyCost } from '../src/shop-pack/quality';
import { memoryFile } from '../src/shop-pack/source';
import { movieLensOrders, syntheticShop } from './shop-orders';
import { table, writeSection } from './sections';

const LINES = [
  1e5,
  1e6,
  ...(Number(process.env.HUSHCART_BENCH_SHOP_LINES) > 1e6 ? [Number(process.env.HUSHCART_BENCH_SHOP_LINES)] : []),
];

interface ScaleRow {
  lines: number;
  customers: number;
  csvMB: number;
  seconds: number;
  peakMB: number;
  itemsKB: number;
  aggregatesKB: number;
  released: ShopPackReport['released'];
}

test('shop-pack at scale: time, peak memory and pack size from 10^5 to 10^6 order lines', async () => {
  test.setTimeout(60 * 60_000);
  const rows: ScaleRow[] = [];
  for (const lines of LINES) {
    const dir = mkdtempSync(join(tmpdir(), 'shop-bench-'));
    try {
      const input = await syntheticShop(dir, lines);
      const out = join(dir, 'pack');
      const reportFile = join(dir, 'report.json');
      const run = spawnSync(
        process.execPath,
        [
          'dist/cli/hushcart.mjs',
          'shop-pack',
          '--products',
          input.products,
          '--orders',
          input.orders,
          '--out',
          out,
          '--report',
          reportFile,
        ],
        { encoding: 'utf8', maxBuffer: 1 << 26 },
      );
      if (run.status !== 0) throw new Error(`shop-pack failed on ${lines} lines: ${run.stderr}`);
      const report = JSON.parse(readFileSync(reportFile, 'utf8')) as ShopPackReport & {
        resources: { seconds: number; peakMB: number };
      };
      const row: ScaleRow = {
        lines,
        customers: report.customers,
        csvMB: statSync(input.orders).size / 2 ** 20,
        seconds: report.resources.seconds,
        peakMB: report.resources.peakMB,
        itemsKB: statSync(join(out, 'items.json')).size / 1024,
        aggregatesKB: statSync(join(out, 'aggregates.json')).size / 1024,
        released: report.released,
      };
      rows.push(row);
      console.log(`shop-pack scale: ${JSON.stringify(row)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const f = (v: number, d = 0) => v.toFixed(d);
  writeSection('shop-pack', {
    order: 37,
    title: 'Shop packs: building from exports',
    data: { scale: rows },
    markdown: [
      'SYNTHETIC orders (10,000 products with Zipf popularity; customers of 1 to 4 orders of 1 to 4 lines) in the ' +
        'generic orders layout, built by `node dist/cli/hushcart.mjs shop-pack` at the defaults (k 5, epsilon 1 per ' +
        'kind), one process per build. Peak memory: the max resident set of the process. The pack grows with the ' +
        'products (items.json) and with what many customers support (aggregates.json: the released counts and the ' +
        'item vectors computed from the released pairs, 16 numbers per product in a pair), not with the orders.',
      '',
      table(
        [
          'order lines',
          'customers',
          'orders CSV (MB)',
          'build (s)',
          'peak memory (MB)',
          'items.json (KB)',
          'aggregates.json (KB)',
          'released: popularity / together / also bought / next',
        ],
        rows.map((r) => {
          const n = (kind: string) => r.released.find((x) => x.kind === kind)?.released ?? 0;
          return [
            r.lines.toLocaleString('en-US'),
            r.customers.toLocaleString('en-US'),
            f(r.csvMB, 1),
            f(r.seconds, 1),
            f(r.peakMB),
            f(r.itemsKB),
            f(r.aggregatesKB),
            `${n('popularity')} / ${n('together')} / ${n('alsoBought')} / ${n('next')}`,
          ];
        }),
      ),
    ].join('\n'),
  });
});

test('shop-pack: what privacy costs on MovieLens written as orders, over k and epsilon', async () => {
  test.setTimeout(60 * 60_000);
  // What privacy costs: MovieLens as orders, For you's kNN on raw lines against the pack's released pairs.
  const dir = mkdtempSync(join(tmpdir(), 'shop-bench-ml-'));
  const ml = movieLensOrders(dir);
  const files = { products: readFileSync(ml.products), orders: readFileSync(ml.orders) };
  rmSync(dir, { recursive: true, force: true });
  const curve: {
    k: number;
    epsilon: number | null;
    raw: number;
    pack: number;
    popular: number;
    vectors: number;
    hrPack: number;
    hrRaw: number;
    customers: number;
  }[] = [];
  // Each cell is the mean of NOISE_DRAWS builds with their own noise (seeded, so the table is reproducible): one draw
  // of Laplace noise over 285 evaluated customers swings NDCG@10 by a third.
  const NOISE_DRAWS = 3;
  for (const k of [2, 5, 10, 20])
    for (const epsilon of [0.5, 1, 2, 4, 8, null]) {
      const costs: PrivacyCost[] = [];
      for (let draw = 0; draw < (epsilon === null ? 1 : NOISE_DRAWS); draw++) {
        const built = await buildShopPack(
          { products: [memoryFile('movies.jsonl', files.products)], orders: [memoryFile('orders.csv', files.orders)] },
          // null: the k rule alone (noise that small changes nothing: epsilon 1e9).
          {
            id: 'movielens',
            name: 'MovieLens',
            k,
            epsilon: epsilon ?? 1e9,
            evaluate: true,
            random: seededRandom(draw + 1),
          },
        );
        if (!built.report.cost) throw new Error('no cost measured');
        costs.push(built.report.cost);
      }
      const mean = (f: (c: PrivacyCost) => number) => costs.reduce((a, c) => a + f(c), 0) / costs.length;
      const row = {
        k,
        epsilon,
        raw: mean((c) => c.raw.ndcg10),
        pack: mean((c) => c.pack.ndcg10),
        popular: mean((c) => c.popular.ndcg10),
        vectors: mean((c) => c.vectors?.ndcg10 ?? 0),
        hrRaw: mean((c) => c.raw.hr10),
        hrPack: mean((c) => c.pack.hr10),
        customers: costs[0]?.customers ?? 0,
      };
      curve.push(row);
      console.log(`shop-pack privacy cost: ${JSON.stringify(row)}`);
    }
  const f = (v: number, d = 0) => v.toFixed(d);
  const atDefault = curve.find((r) => r.k === 5 && r.epsilon === 1);
  writeSection('shop-pack-privacy', {
    order: 38,
    title: 'Shop packs: what privacy costs',
    data: { curve, movieLensRatings: ml.ratings, maxItems: DEFAULT_AGGREGATES.maxItems },
    markdown: [
      `What privacy costs: the store's MovieLens ratings (${ml.ratings.toLocaleString('en-US')}) as an orders file ` +
        "(a user's ratings of one day are one order); each customer's last order held out; For you's item-kNN over " +
        'the earlier items ranks all movies, from the raw lines (what a pack with interactions served) and from the ' +
        'pack\'s released "also bought" pairs, items without a neighbour by popularity (as For you fills); popularity ' +
        "alone (from the raw lines) for reference; the pack's item vectors (computed from its released pairs) alone, " +
        'popularity below them (0 when no pair was released). NDCG@10 (HR@10 in the data), each cell the mean of ' +
        `${NOISE_DRAWS} noise draws. On these histories item-kNN does not beat popularity (a user's last day of ` +
        "ratings is mostly popular films), and a MovieLens user rated 71 films (median) where a customer's bound is " +
        `${DEFAULT_AGGREGATES.maxItems}: the bounded, noised popularity is most of what is lost.` +
        (atDefault
          ? ` At the defaults (k 5, epsilon 1) the pack keeps ${f((100 * atDefault.pack) / atDefault.raw)}% of the raw NDCG@10.`
          : ''),
      '',
      table(
        [
          'k',
          'epsilon',
          'customers',
          'raw lines NDCG@10',
          'pack NDCG@10',
          'kept',
          'popularity NDCG@10',
          "the pack's item vectors alone NDCG@10",
        ],
        curve.map((r) => [
          r.k,
          r.epsilon ?? 'none (k rule only)',
          r.customers,
          f(r.raw, 4),
          f(r.pack, 4),
          `${f((100 * r.pack) / r.raw)}%`,
          f(r.popular, 4),
          f(r.vectors, 4),
        ]),
      ),
    ].join('\n'),
  });
});
