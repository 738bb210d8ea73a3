/**
 * Search and the assistant: known-item relevance on the default store (keyword alone, semantic alone and fused,
 * per aisle and query kind, on test queries; the fusion chosen on tuning queries held apart), latency per
 * keystroke over the whole catalog and over a 100,000-item synthetic pack, the index's build and load times and
 * size, and the assistant's intent accuracy and answerability.
 */
import { test } from '@playwright/test';
import { StorePage } from '../e2e/fixtures';
import type { SearchEvaluation } from '../src/api/types';
import { makeScalePack } from './scale-pack';
import { table, writeSection } from './sections';

const TYPED_TITLES = 40;

interface Keystrokes {
  keystrokes: number;
  p50: number;
  p95: number;
  max: number;
}

/** Types titles letter by letter through HushCart.search (page to worker and back), each keystroke timed. */
async function keystrokeLatency(store: StorePage, titles: string[]): Promise<Keystrokes> {
  return store.page.evaluate(async (list) => {
    const ms: number[] = [];
    await window.HushCart.search('warm up');
    for (const title of list)
      for (let n = 1; n <= title.length; n++) {
        const t0 = performance.now();
        await window.HushCart.search(title.slice(0, n), { limit: 24 });
        ms.push(performance.now() - t0);
      }
    ms.sort((a, b) => a - b);
    const q = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))] as number;
    return { keystrokes: ms.length, p50: q(0.5), p95: q(0.95), max: ms[ms.length - 1] as number };
  }, titles);
}

/** Titles spread over the catalog (every k-th item of each aisle). */
function spread(store: StorePage, n: number): Promise<string[]> {
  return store.page.evaluate((count) => {
    const out: string[] = [];
    const aisles = window.HushCart.catalog.aisles();
    for (const a of aisles) {
      const total = a.count;
      const per = Math.ceil(count / aisles.length);
      for (let k = 0; k < per; k++) {
        const page = window.HushCart.catalog.list({ aisle: a.id, offset: Math.floor((k * total) / per), limit: 1 });
        if (page.items[0]) out.push(page.items[0].title);
      }
    }
    return out.slice(0, count);
  }, n);
}

async function searchReady(store: StorePage) {
  for (;;) {
    const s = await store.status();
    if (s.search) return s;
    if (s.capabilities.search.reason && !s.capabilities.search.loading) throw new Error(s.capabilities.search.reason);
    await store.page.waitForTimeout(200);
  }
}

test('search: relevance, keystroke latency, index build, the assistant', async ({ browser }) => {
  test.setTimeout(30 * 60_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  const store = new StorePage(page);
  await store.open('/', '?backend=wasm&pretrain=0');
  await store.ready();
  const first = (await searchReady(store)).search;
  const heap = () =>
    page.evaluate(
      () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
    );
  const indexBytes = (await page.evaluate(() => window.HushCart.storage())).caches.find(
    (c) => c.key === 'search-index',
  )?.bytes;
  // A return visit: the index this device kept is loaded, not built.
  await page.reload();
  await page.waitForFunction(() => window.HushCart !== undefined);
  await store.ready();
  const again = (await searchReady(store)).search;
  const latency = await keystrokeLatency(store, await spread(store, TYPED_TITLES));

  const evaluation: SearchEvaluation = await page.evaluate(() => window.HushCart.diagnostics.evaluateSearch());
  // Opinions are sorted by the sentiment model: a short training (the assistant quotes without it otherwise).
  await page.evaluate(() => window.HushCart.retrain('sentiment', { epochs: 3 }));
  const assistant = await page.evaluate(() => window.HushCart.diagnostics.evaluateAssistant());

  // The same typing over 100,000 synthetic items, opened as a catalog file.
  const made = await page.evaluate(makeScalePack, 100_000);
  const t0 = Date.now();
  await page.evaluate(() => window.HushCart.openCatalog((window as unknown as { __scalePack: File }).__scalePack));
  await store.ready();
  const scale = (await searchReady(store)).search;
  const scaleReadyMs = Date.now() - t0;
  // The synthetic titles end in "(synthetic copy N)", words in every item: typed without them, as a shopper would.
  const scaleTitles = (await spread(store, TYPED_TITLES)).map((t) => t.replace(/ \(synthetic copy \d+\)$/, ''));
  const scaleLatency = await keystrokeLatency(store, scaleTitles);
  const pageHeapMB = (await heap()) / 1e6;

  const f = (v: number, d = 3) => v.toFixed(d);
  const fusionName = (x: SearchEvaluation['chosen']) =>
    x.kind === 'rrf' ? `reciprocal rank fusion, k = ${x.k}` : `weighted: keyword/best + ${x.semantic} x cosine`;
  const kinds = [...new Set(evaluation.rows.map((r) => r.kind))];
  const aisles = [...new Set(evaluation.rows.map((r) => r.aisle))];
  const cell = (mode: string, aisle: string, kind: string) => {
    const r = evaluation.rows.find((x) => x.mode === mode && x.aisle === aisle && x.kind === kind);
    return r ? `${f(r.successAt1, 2)} / ${f(r.successAt10, 2)} / ${f(r.mrrAt10, 2)} (${r.queries})` : '–';
  };
  const byKind = (mode: string, kind: string) => {
    const rows = evaluation.rows.filter((x) => x.mode === mode && x.kind === kind);
    const n = rows.reduce((a, r) => a + r.queries, 0) || 1;
    const w = (k: 'successAt1' | 'successAt10' | 'mrrAt10') => rows.reduce((a, r) => a + r[k] * r.queries, 0) / n;
    return `${f(w('successAt1'), 3)} / ${f(w('successAt10'), 3)} / ${f(w('mrrAt10'), 3)}`;
  };
  writeSection('search', {
    order: 45,
    title: 'Search and the assistant',
    browser: browser.version(),
    data: {
      first,
      again,
      indexBytes,
      latency,
      evaluation,
      assistant,
      scale,
      scaleReadyMs,
      scaleLatency,
      made: { ...made, ids: undefined },
      pageHeapMB,
    },
    markdown: [
      'Known-item search on the default store (25,928 items), no human judgments: queries made from held-out items ' +
        "(their exact title; with one typo and with two, placed where the typo rules allow them; the title's first " +
        'half as typed so far, when at most 10 titles start that way; its words reordered) and from category and ' +
        'sub-category names (any item of it counts). Items and categories are split in two: the tuning half chose ' +
        `the fusion (${fusionName(evaluation.chosen)}), the test half is measured. A result with the same title as ` +
        'the target counts (identical titles cannot be told apart). Each cell: success@1 / success@10 / MRR@10 (queries).',
      '',
      table(
        ['query kind', 'keyword', 'semantic', 'fused'],
        kinds.map((k) => [k, byKind('keyword', k), byKind('semantic', k), byKind('fused', k)]),
      ),
      '',
      table(
        ['ranking', 'queries', 'success@1', 'success@10', 'MRR@10'],
        evaluation.overall.map((o) => [o.mode, o.queries, f(o.successAt1, 4), f(o.successAt10, 4), f(o.mrrAt10, 4)]),
      ),
      '',
      'Per aisle (fused):',
      '',
      table(
        ['aisle', ...kinds],
        aisles.map((a) => [a, ...kinds.map((k) => cell('fused', a, k))]),
      ),
      '',
      `Tuning queries, MRR@10 of each candidate fusion: ${evaluation.tuning
        .map((t) => `${fusionName(t.fusion)} ${f(t.mrrAt10, 4)}`)
        .join('; ')}.`,
      '',
      table(
        [
          'catalog',
          'index built (first visit)',
          'index loaded (return visit)',
          'kept index',
          'keystrokes',
          'per keystroke p50 / p95 / max',
        ],
        [
          [
            `default store, ${first?.items.toLocaleString('en-US')} items`,
            `${f(first?.buildMs ?? 0, 0)} ms${first?.built ? '' : ' (was not built!)'}`,
            `${f(again?.buildMs ?? 0, 0)} ms${again?.built ? ' (was built again!)' : ''}`,
            indexBytes ? `${(indexBytes / 1e6).toFixed(1)} MB` : 'n/a',
            latency.keystrokes,
            `${f(latency.p50, 1)} / ${f(latency.p95, 1)} / ${f(latency.max, 0)} ms`,
          ],
          [
            `synthetic, ${scale?.items.toLocaleString('en-US')} items`,
            `${f(scale?.buildMs ?? 0, 0)} ms (catalog open to search ready: ${scaleReadyMs} ms)`,
            '–',
            '–',
            scaleLatency.keystrokes,
            `${f(scaleLatency.p50, 1)} / ${f(scaleLatency.p95, 1)} / ${f(scaleLatency.max, 0)} ms`,
          ],
        ],
      ),
      '',
      `Per keystroke: \`HushCart.search(prefix, {limit: 24})\` from the page, through the worker and back, for every ` +
        `prefix of ${TYPED_TITLES} titles spread over the aisles, back to back (the synthetic titles without their ` +
        '"(synthetic copy N)" suffix; each of them stands for about 54 copies). Build and load times are the ' +
        "worker's (keyword index, semantic vectors, intent classifier). Memory: the index lives in the worker, " +
        `whose heap the page cannot read without cross-origin isolation; the page's JS heap after the 100k pack: ` +
        `${f(pageHeapMB, 0)} MB.`,
      '',
      `Assistant, intent classifier (naive Bayes on the labelled questions' training split, item names masked): ` +
        `accuracy ${f(assistant.intent.accuracy)} on ${assistant.intent.testQuestions} held-out questions.`,
      '',
      table(
        ['intent', 'held-out questions', 'accuracy'],
        assistant.intent.perIntent.map((p) => [p.intent, p.questions, f(p.accuracy, 2)]),
      ),
      '',
      assistant.answerability
        ? `Answerability on the default store (${assistant.answerability.answerable} answerable and ` +
          `${assistant.answerability.unanswerable} unanswerable questions): answered when it should ` +
          `${f(assistant.answerability.answeredWhenAnswerable, 2)}, said it does not know when it should ` +
          `${f(assistant.answerability.declinedWhenUnanswerable, 2)}.` +
          (assistant.answerability.misses.length
            ? ` Misses: ${assistant.answerability.misses.map((m) => `“${m.text}”`).join(', ')}.`
            : '')
        : '',
    ].join('\n'),
  });
  await context.close();
});
