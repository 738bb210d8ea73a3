/**
 * The widget's isolated mode: the furniture shop's page (/isolated/ on port 4174) loading the widget from its own
 * origin (port 4175), so the house and each list live in frames of that origin. Measured beside the same-origin
 * widget ("Widget"): navigation to the first For you card inside its frame, first and return visit; the shop page's
 * long tasks, bytes and JS heap (the frames' are theirs); the frames on the page.
 */
import { test, type Page } from '@playwright/test';
import { SHOP_URL, WIDGET_URL } from '../e2e/browser';
import { recordLongTasks } from './page-helpers';
import { median, table, writeSection } from './sections';

const RUNS = 3;

interface Visit {
  fromNavigationMs: number;
  longTasks: number;
  pageBytes: number;
  heapMB: number;
}

/** Waits for For you's first card in its frame; then the page's clock, long tasks, bytes and heap. */
async function visit(page: Page): Promise<Visit> {
  const frame = page.frameLocator('hushcart-recs#for-you iframe');
  await frame.locator('.card').first().waitFor({ timeout: 120_000 });
  const shownAt = await page.evaluate(() => performance.now());
  return page.evaluate(
    (at) => ({
      fromNavigationMs: at,
      longTasks: (window as unknown as { __longTasks: number[] }).__longTasks.length,
      // The page's own requests (its document, its script and the widget's loader); the frames' are not the page's.
      pageBytes: performance
        .getEntriesByType('resource')
        .reduce((a, e) => a + (e as PerformanceResourceTiming).transferSize, 0),
      heapMB: ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0) / 1e6,
    }),
    shownAt,
  );
}

test('isolated widget: first cards in frames, the shop page’s own cost', async ({ browser }) => {
  test.setTimeout(10 * 60_000);
  const first: Visit[] = [];
  const again: Visit[] = [];
  let frames = 0;
  for (let k = 0; k < RUNS; k++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await recordLongTasks(page);
    await page.goto(`${SHOP_URL}/isolated/`);
    first.push(await visit(page));
    frames = page.frames().filter((f) => f.url().startsWith(WIDGET_URL)).length;
    await page.reload();
    again.push(await visit(page));
    await context.close();
  }
  const row = (label: string, v: Visit[]) => [
    label,
    Math.round(median(v.map((x) => x.fromNavigationMs))),
    median(v.map((x) => x.longTasks)),
    `${(median(v.map((x) => x.pageBytes)) / 1024).toFixed(0)} kB`,
    median(v.map((x) => x.heapMB)).toFixed(1),
  ];
  writeSection('isolation', {
    order: 51,
    title: 'Widget, isolated mode',
    browser: browser.version(),
    data: { first, again, frames },
    markdown: [
      `The furniture shop with the widget served from another origin: ${frames} frames of that origin on the page ` +
        '(the house and one per element). Medians of 3, wasm.',
      '',
      table(
        ['visit', 'navigation → first For you card (ms)', 'page long tasks > 50 ms', 'page bytes', 'page JS heap (MB)'],
        [row('first visit (empty profile)', first), row('return visit', again)],
      ),
    ].join('\n'),
  });
});
