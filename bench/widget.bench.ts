/**
 * Widget: the demo shop (a plain HTML page on its own origin, port 4174) embedding the widget with one script tag.
 * Measured: the loader's size gzipped; time from the loader's arrival to the first recommendation cards on screen
 * (empty profile; the demo shop trains nothing, data-train="off"); main-thread long tasks on the host page meanwhile;
 * bytes fetched by the page and the engine worker on a first and a return visit; the page's JS heap.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { test, type Page } from '@playwright/test';
import { SHOP_URL } from '../e2e/browser';
import { recordLongTasks } from './page-helpers';
import { median, table, writeSection } from './sections';

const RUNS = 3;

interface Visit {
  firstCardsMs: number;
  fromNavigationMs: number;
  longTasks: number[];
  pageBytes: number;
  engineBytes: number;
  heapMB: number;
}

async function visit(page: Page): Promise<Visit> {
  await page.waitForFunction(
    () => !!document.querySelector('hushcart-recs#for-you')?.shadowRoot?.querySelector('.card'),
    undefined,
    { polling: 'raf', timeout: 120_000 },
  );
  const shown = await page.evaluate(() => performance.now());
  return page.evaluate(async (at) => {
    const loader = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/hushcart.js')) as
      PerformanceResourceTiming | undefined;
    const api = (
      window as unknown as { HushCart: { network(): Promise<{ requests: { realm: string; bytes: number }[] }> } }
    ).HushCart;
    const net = await api.network();
    const sum = (realm: string) => net.requests.filter((r) => r.realm === realm).reduce((a, r) => a + r.bytes, 0);
    const w = window as unknown as { __longTasks: number[] };
    return {
      firstCardsMs: at - (loader?.responseEnd ?? 0),
      fromNavigationMs: at,
      longTasks: w.__longTasks,
      pageBytes: sum('page'),
      engineBytes: sum('engine'),
      heapMB: ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0) / 1e6,
    };
  }, shown);
}

test('widget: loader size, first recommendations, long tasks, bytes', async ({ browser }) => {
  const loaderPath = join(import.meta.dirname, '..', 'dist', 'widget', 'hushcart.js');
  const loader = readFileSync(loaderPath);
  const loaderGz = gzipSync(loader).length;
  const first: Visit[] = [];
  const again: Visit[] = [];
  for (let k = 0; k < RUNS; k++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await recordLongTasks(page);
    await page.goto(`${SHOP_URL}/`);
    first.push(await visit(page));
    await page.reload();
    again.push(await visit(page));
    await context.close();
  }
  const kb = (b: number) => `${(b / 1024).toFixed(0)} kB`;
  const row = (label: string, v: Visit[]) => [
    label,
    Math.round(median(v.map((x) => x.firstCardsMs))),
    Math.round(median(v.map((x) => x.fromNavigationMs))),
    `${median(v.map((x) => x.longTasks.length))} (longest ${Math.round(Math.max(0, ...v.flatMap((x) => x.longTasks)))} ms)`,
    kb(median(v.map((x) => x.pageBytes))),
    kb(median(v.map((x) => x.engineBytes))),
    median(v.map((x) => x.heapMB)).toFixed(0),
  ];
  writeSection('widget', {
    order: 50,
    title: 'Widget',
    browser: browser.version(),
    data: { loaderBytes: loader.length, loaderGz, first, again },
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
        [row('first (empty profile)', first), row('return', again)],
      ),
      '',
      `Medians of ${RUNS} runs of the demo shop (375 items, Superstore Furniture), from a fresh browser context each ` +
        'time; the return visit is a reload (HTTP cache warm, the engine’s backend choice and the search index kept). ' +
        'Bytes are transfer sizes from resource timing (0 for cached responses), the page and the worker separately. ' +
        'The demo shop trains nothing (data-train="off"): shipping trained models with a pack is not built yet, so ' +
        'the "no long task while models train" budget is not measured here.',
    ].join('\n'),
  });
});
