/** Helpers the benchmark suites share: main-thread long tasks, and waiting for a model to finish training. */
import type { Browser, BrowserContext, Page } from '@playwright/test';
import type { ModelName, ModelState } from '../src/api/types';
import { table } from './sections';
import { StorePage } from '../e2e/fixtures';

/**
 * Records main-thread long tasks (over 50 ms) from before the app starts. Only an observer sees them: Chromium
 * does not keep 'longtask' entries in the performance timeline (`getEntriesByType('longtask')` is always empty).
 */
export async function recordLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: number[]; __longTaskStarts: number[] };
    w.__longTasks = [];
    w.__longTaskStarts = [];
    new PerformanceObserver((list) =>
      list.getEntries().forEach((e) => {
        w.__longTasks.push(e.duration);
        w.__longTaskStarts.push(e.startTime);
      }),
    ).observe({ type: 'longtask', buffered: true });
  });
}

/** Durations of the long tasks that started after page time `t0` (the page must be recording: recordLongTasks). */
export async function longTasksSince(page: Page, t0: number): Promise<number[]> {
  const tasks = await page.evaluate((since) => {
    const w = window as unknown as { __longTasks?: number[]; __longTaskStarts?: number[] };
    if (!w.__longTasks || !w.__longTaskStarts) return null;
    return w.__longTasks.filter((_, k) => (w.__longTaskStarts?.[k] ?? -1) >= since);
  }, t0);
  if (!tasks) throw new Error('long tasks are not recorded on this page: call recordLongTasks(page) before it loads');
  return tasks;
}

/** Polls until the model is ready or failed (waitForFunction would take an async predicate's promise as truthy). */
export async function waitForModel(store: StorePage, name: ModelName, limitMs = 600_000): Promise<ModelState> {
  for (let waited = 0; ; waited += 1000) {
    const s = (await store.status())[name];
    if (s.phase === 'ready' || s.phase === 'error') return s;
    if (waited > limitMs) throw new Error(`the ${name} model did not finish training in ${limitMs / 60_000} minutes`);
    await store.page.waitForTimeout(1000);
  }
}

/** The training row every model section shows: backend, outcome, throughput, validation curve, long tasks. */
export function trainingTable(model: ModelState, backend: string | null, longTasks: number[]): string {
  return table(
    ['backend', 'state', 'examples/s', 'validation accuracy per epoch', 'main-thread long tasks during training'],
    [
      [
        model.backend ?? backend ?? '?',
        `${model.phase}: ${model.message}`,
        Math.round(model.examplesPerSec ?? 0).toLocaleString('en-US'),
        (model.validation ?? []).map((v) => v.toFixed(3)).join(', '),
        `${longTasks.length}${longTasks.length ? ` (longest ${Math.max(...longTasks).toFixed(0)} ms)` : ''}`,
      ],
    ],
  );
}

/**
 * A first visit that trains one model and nothing else (`?pretrain=0`, so trainings do not share the worker),
 * with the main thread's long tasks during that training.
 */
export async function trainOnFreshPage(
  browser: Browser,
  name: ModelName,
): Promise<{
  context: BrowserContext;
  page: Page;
  store: StorePage;
  backend: string | null;
  model: ModelState;
  longTasks: number[];
}> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await recordLongTasks(page);
  const store = new StorePage(page);
  await store.open('/', '?pretrain=0');
  await store.ready();
  const backend = (await store.status()).backend;
  const t0 = await page.evaluate(() => performance.now());
  const model = await page.evaluate((n) => window.HushCart.retrain(n), name);
  return { context, page, store, backend, model, longTasks: await longTasksSince(page, t0) };
}
