/**
 * Widget: the demo shops (plain HTML pages on their own origin, port 4174) embedding the widget with one script tag.
 * Measured: the loader's size gzipped; time from the loader's arrival to the first recommendation cards on screen
 * (empty profile), on a first and a return visit, for the furniture shop's For you (popular by its orders) and the
 * clothing shop's Similar items on a product page (with its shipped image model); when photo search is ready;
 * main-thread long tasks on the host page while the models load, and while the image model trains (the clothing
 * shop without its shipped models, a shopper searching and browsing meanwhile); bytes fetched by the page and the
 * engine worker; the page's JS heap.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { test, type Page } from '@playwright/test';
import type { HushCartApi, ModelState } from '../src/api/types';
import { SHOP_URL } from '../e2e/browser';
import { longTasksSince, recordLongTasks } from './page-helpers';
import { median, table, writeSection } from './sections';

const RUNS = 3;
/** How long the shopper browses while the image model trains (the training itself takes minutes). */
const TRAINING_WATCH_MS = 60_000;

interface Visit {
  firstCardsMs: number;
  fromNavigationMs: number;
  longTasks: number[];
  pageBytes: number;
  engineBytes: number;
  heapMB: number;
}

/** Waits for the element's first card, then reads the page's clocks, its long tasks and the bytes fetched so far. */
async function visit(page: Page, element: string): Promise<Visit> {
  await page.waitForFunction((sel) => !!document.querySelector(sel)?.shadowRoot?.querySelector('.card'), element, {
    polling: 'raf',
    timeout: 120_000,
  });
  const shown = await page.evaluate(() => performance.now());
  const v = await page.evaluate(async (at) => {
    const loader = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/hushcart.js')) as
      PerformanceResourceTiming | undefined;
    const api = (window as unknown as { HushCart: HushCartApi }).HushCart;
    await api.ready(); // the engine's backend choice is kept before the page is left (a return visit reuses it)
    const net = await api.network();
    const sum = (realm: string) => net.requests.filter((r) => r.realm === realm).reduce((a, r) => a + r.bytes, 0);
    const w = window as unknown as { __longTasks: number[] };
    return {
      firstCardsMs: at - (loader?.responseEnd ?? 0),
      fromNavigationMs: at,
      longTasks: [...w.__longTasks],
      pageBytes: sum('page'),
      engineBytes: sum('engine'),
      heapMB: ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0) / 1e6,
    };
  }, shown);
  return v;
}

const embedderState = (page: Page) =>
  page.evaluate(async () => (await (window as unknown as { HushCart: HushCartApi }).HushCart.status()).embedder);

/** Polls until the image model is ready (loaded or trained) and photo search can answer; ms since navigation. */
async function photoSearchReady(page: Page): Promise<{ at: number; state: ModelState }> {
  for (;;) {
    const state = await embedderState(page);
    if (state.phase === 'ready' || state.phase === 'error' || state.phase === 'unavailable') {
      // The catalog's pictures are embedded once the model is in: the first search waits for that.
      await page.evaluate(async (id) => {
        await (window as unknown as { HushCart: HushCartApi }).HushCart.moreLikeThis(id, { limit: 1 });
      }, 'fmx-0');
      return { at: await page.evaluate(() => performance.now()), state };
    }
    await page.waitForTimeout(100);
  }
}

test('widget: loader size, first recommendations, long tasks while models load and train, bytes', async ({
  browser,
}) => {
  test.setTimeout(30 * 60_000);
  const loaderPath = join(import.meta.dirname, '..', 'dist', 'widget', 'hushcart.js');
  const loader = readFileSync(loaderPath);
  const loaderGz = gzipSync(loader).length;
  const furniture: { first: Visit[]; again: Visit[] } = { first: [], again: [] };
  const clothing: { first: Visit[]; again: Visit[]; photoMs: number[]; source: string[] } = {
    first: [],
    again: [],
    photoMs: [],
    source: [],
  };
  const clothingItem = `${SHOP_URL}/?item=fmx-0`;
  for (let k = 0; k < RUNS; k++) {
    for (const [shop, url, element] of [
      [furniture, `${SHOP_URL}/furniture/`, 'hushcart-recs#for-you'],
      [clothing, clothingItem, 'hushcart-recs#similar'],
    ] as const) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await recordLongTasks(page);
      await page.goto(url);
      shop.first.push(await visit(page, element));
      if (shop === clothing) {
        const ready = await photoSearchReady(page);
        clothing.photoMs.push(ready.at);
        clothing.source.push(`${ready.state.phase}${ready.state.source ? ` (${ready.state.source})` : ''}`);
        // The long tasks until photo search is ready count as the first visit's (models loading).
        clothing.first[clothing.first.length - 1]!.longTasks = await page.evaluate(() => [
          ...(window as unknown as { __longTasks: number[] }).__longTasks,
        ]);
      }
      await page.reload();
      shop.again.push(await visit(page, element));
      await context.close();
    }
  }

  // While the image model trains: the clothing shop without its shipped models, a shopper typing and browsing.
  const context = await browser.newContext();
  const page = await context.newPage();
  await recordLongTasks(page);
  const pack = await (await page.request.get(`${SHOP_URL}/pack.json`)).json();
  await page.route(`${SHOP_URL}/pack.json`, (route) => route.fulfill({ json: { ...pack, models: undefined } }));
  await page.goto(`${SHOP_URL}/`);
  await page.waitForFunction(() => 'HushCart' in window);
  for (let waited = 0; (await embedderState(page)).phase !== 'training'; waited += 200) {
    if (waited > 120_000) throw new Error('the image model did not start training');
    await page.waitForTimeout(200);
  }
  const trainStart = await page.evaluate(() => performance.now());
  const startFraction = (await embedderState(page)).fraction;
  const box = page.getByRole('searchbox', { name: 'Search this shop' });
  const words = ['sneaker', 'ankle boot', 'dress', 'bag', 'shirt', 'trouser'];
  let actions = 0;
  for (let t0 = Date.now(); Date.now() - t0 < TRAINING_WATCH_MS; actions++) {
    await box.fill('');
    await box.pressSequentially(words[actions % words.length] as string, { delay: 60 });
    await page.evaluate(
      (id) => (window as unknown as { HushCart: HushCartApi }).HushCart.track({ type: 'view', itemId: id }),
      `fmx-${actions}`,
    );
    await page.waitForTimeout(400);
  }
  const during = await longTasksSince(page, trainStart);
  const training = await embedderState(page);
  await context.close();

  const kb = (b: number) => `${(b / 1024).toFixed(0)} kB`;
  const tasks = (v: number[][]) =>
    `${median(v.map((x) => x.length))} (longest ${Math.round(Math.max(0, ...v.flat()))} ms)`;
  const row = (label: string, v: Visit[]) => [
    label,
    Math.round(median(v.map((x) => x.firstCardsMs))),
    Math.round(median(v.map((x) => x.fromNavigationMs))),
    tasks(v.map((x) => x.longTasks)),
    kb(median(v.map((x) => x.pageBytes))),
    kb(median(v.map((x) => x.engineBytes))),
    median(v.map((x) => x.heapMB)).toFixed(0),
  ];
  writeSection('widget', {
    order: 50,
    title: 'Widget',
    browser: browser.version(),
    data: {
      loaderBytes: loader.length,
      loaderGz,
      furniture,
      clothing,
      training: { watchedMs: TRAINING_WATCH_MS, actions, longTasks: during, startFraction, end: training },
    },
    markdown: [
      `Loader \`dist/widget/hushcart.js\`: ${kb(loader.length)}, **${(loaderGz / 1024).toFixed(1)} kB gzipped** ` +
        '(the API loads as a chunk beside it, tfjs only in the engine worker).',
      '',
      table(
        [
          'visit',
          'loader arrived → first cards (ms)',
          'navigation → first cards (ms)',
          'host long tasks > 50 ms',
          'page bytes',
          'engine worker bytes',
          'page JS heap (MB)',
        ],
        [
          row('furniture, home: For you, first visit (empty profile)', furniture.first),
          row('furniture, home: return visit', furniture.again),
          row('clothing, product page: Similar items, first visit (shipped image model)', clothing.first),
          row('clothing, product page: return visit', clothing.again),
        ],
      ),
      '',
      `Clothing shop, first visit: photo search ready (the shipped image model loaded and the 800 pictures ` +
        `embedded) **${Math.round(median(clothing.photoMs))} ms** after navigation (median; the model was ` +
        `${[...new Set(clothing.source)].join(', ')}). Its row's long tasks run until then.`,
      '',
      `While the image model trains (the clothing shop without its shipped models: ${
        training.phase === 'training'
          ? `training ${Math.round(startFraction * 100)}% → ${Math.round(training.fraction * 100)}%`
          : training.phase
      } over ${TRAINING_WATCH_MS / 1000} s, a shopper typing ${actions} searches letter by letter and ` +
        `recording a view after each): **${during.length} host long tasks over 50 ms** (longest ` +
        `${Math.round(Math.max(0, ...during))} ms).`,
      '',
      `Medians of ${RUNS} runs per shop, each from a fresh browser context; the return visit is a reload (HTTP ` +
        'cache warm, the engine’s backend choice, the search index and the image embeddings kept). Bytes are ' +
        'transfer sizes from resource timing (0 for cached responses), the page and the worker separately.',
    ].join('\n'),
  });
});
