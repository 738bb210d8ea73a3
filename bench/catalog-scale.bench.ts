/**
 * Catalog scale: packs of 10k to 250k items, SYNTHETIC (labelled so in every title): the shipped Superstore
 * (Office) items and orders copied as many times as needed, each copy with its own customers, so items, users,
 * interactions and baskets grow alike. Each pack is built in the page and opened as a catalog file, as a shop's
 * would be. Measured: time to load (openCatalog resolves), to the first For you answer, memory (JS heap, tfjs
 * bytes in the worker), and p50/p95 of For you and Similar items after a few events.
 */
import { test } from '@playwright/test';
import { StorePage } from '../e2e/fixtures';
import { makeScalePack } from './scale-pack';
import { table, writeSection } from './sections';

const SIZES = [10_000, 50_000, 100_000, 250_000];
const QUERIES = 40;

interface ScaleRow {
  items: number;
  users: number;
  interactions: number;
  fileMB: number;
  loadMs: number;
  firstRecsMs: number;
  heapMB: number | null;
  tfjsMB: number | null;
  forYou: { p50: number; p95: number };
  similar: { p50: number; p95: number };
}

test('catalog scale: load, first recommendations, memory and latency from 10k to 250k items', async ({ browser }) => {
  test.setTimeout(40 * 60_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  const store = new StorePage(page);
  await store.open('/', '?backend=wasm&pretrain=0');
  await store.ready();
  const rows: ScaleRow[] = [];
  for (const size of SIZES) {
    const made = await page.evaluate(makeScalePack, size);
    const row = await page.evaluate(
      async ({ queries, made }) => {
        const file = (window as unknown as { __scalePack: File }).__scalePack;
        const { ids } = made;
        const t0 = performance.now();
        await window.HushCart.openCatalog(file);
        const loadMs = performance.now() - t0;
        await window.HushCart.recommend({ limit: 10 });
        const firstRecsMs = performance.now() - t0;
        for (let k = 0; k < 5; k++)
          await window.HushCart.track({ type: 'view', itemId: ids[(k * 7919) % ids.length] as string });
        const time = async (f: () => Promise<unknown>) => {
          const ms: number[] = [];
          await f(); // warm-up
          for (let k = 0; k < queries; k++) {
            const s = performance.now();
            await f();
            ms.push(performance.now() - s);
          }
          ms.sort((a, b) => a - b);
          const q = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))] as number;
          return { p50: q(0.5), p95: q(0.95) };
        };
        // For you after each new event (a fresh profile every time: no answer can come from a cache).
        let v = 0;
        const forYou = await time(async () => {
          await window.HushCart.track({ type: 'view', itemId: ids[(v++ * 7_121 + 13) % ids.length] as string });
          return window.HushCart.recommend({ limit: 10 });
        });
        let k = 0;
        const similar = await time(() =>
          window.HushCart.recommend({ slot: 'similar', itemId: ids[(k++ * 104729) % ids.length] as string, limit: 10 }),
        );
        const memory = (await window.HushCart.status()).engine?.memory;
        const heap = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize;
        return {
          items: made.items,
          users: made.users,
          interactions: made.interactions,
          fileMB: made.fileMB,
          loadMs,
          firstRecsMs,
          heapMB: heap ? heap / 1e6 : null,
          tfjsMB: memory ? memory.numBytes / 1e6 : null,
          forYou,
          similar,
        };
      },
      { queries: QUERIES, made },
    );
    rows.push(row);
    console.log(`catalog scale: ${JSON.stringify(row)}`);
  }
  const f = (v: number | null, d = 0) => (v === null ? 'n/a' : v.toFixed(d));
  writeSection('catalog-scale', {
    order: 35,
    title: 'Catalog scale (synthetic packs)',
    browser: browser.version(),
    data: rows,
    markdown: [
      'SYNTHETIC packs: the Superstore items and orders copied until the pack has N items (each copy with its own ' +
        'customers and orders), opened as a catalog file in the store, on wasm. Load: `openCatalog(file)` ' +
        'resolving (parse, validate, hash, open its database, the worker builds the matrices and the item space). ' +
        `First recommendations: from the same start to the first For you answer. Latency (${QUERIES} requests, ` +
        'measured in the page, p50 / p95): For you from `track()` of a new view to the re-ranked top 10 (a new ' +
        "profile each time), Similar items for a different item each time. JS heap: the page only; the worker's " +
        'memory (its matrices and item space) is not readable there without cross-origin isolation.',
      '',
      table(
        [
          'items',
          'users',
          'interactions',
          'file (MB)',
          'load (ms)',
          'first recs (ms)',
          'page JS heap (MB)',
          'track → For you p50 / p95 (ms)',
          'Similar p50 / p95 (ms)',
        ],
        rows.map((r) => [
          r.items.toLocaleString('en-US'),
          r.users.toLocaleString('en-US'),
          r.interactions.toLocaleString('en-US'),
          f(r.fileMB, 1),
          f(r.loadMs),
          f(r.firstRecsMs),
          f(r.heapMB),
          `${f(r.forYou.p50, 1)} / ${f(r.forYou.p95, 1)}`,
          `${f(r.similar.p50, 1)} / ${f(r.similar.p95, 1)}`,
        ]),
      ),
    ].join('\n'),
  });
  await context.close();
});
