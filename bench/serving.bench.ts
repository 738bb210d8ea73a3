/**
 * Serving while models train: a first visit to the store (fresh profile, so its models train), a shopper asking
 * every 150 ms for a search of a 5-letter prefix, then For you, then Similar items, for four minutes. Each request's
 * latency is filed under what was training when it was answered (the recommender, the review model, the image
 * embedder, or nothing). The engine worker serves and trains, so what it measures is how long a request waits for a
 * training to let it through (src/runtime/jobs.ts: time-sliced yields, requests first). Also when each capability
 * first answers (`status().capabilities`, from navigation): the store ships its general models beside its sequential
 * one, so only the recommender (BPR-MF) trains on a first visit.
 */
import { test } from '@playwright/test';
import type { HushCartApi } from '../src/api/types';
import { table, writeSection } from './sections';

const WATCH_MS = 240_000;

test('serving while models train', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/');
  await page.waitForFunction(() => 'HushCart' in window);
  const { out: samples, answering } = await page.evaluate(async (watchMs) => {
    const api = (window as unknown as { HushCart: HushCartApi }).HushCart;
    await api.ready({ engine: false });
    const t0 = performance.now();
    // The search index first (built on a first visit).
    for (;;) {
      try {
        await api.search('matrix');
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const out: { phase: string; kind: string; ms: number }[] = [];
    const answering: Record<string, number> = {};
    while (performance.now() - t0 < watchMs) {
      const got: [string, number][] = [];
      let t = performance.now();
      await api.search('matri');
      got.push(['search', performance.now() - t]);
      t = performance.now();
      await api.recommend({ limit: 10 });
      got.push(['For you', performance.now() - t]);
      t = performance.now();
      await api.recommend({ slot: 'similar', itemId: 'ml-1', limit: 10 });
      got.push(['Similar', performance.now() - t]);
      const s = await api.status();
      for (const [name, c] of Object.entries(s.capabilities))
        if (c.available && answering[name] === undefined) answering[name] = Math.round(performance.now());
      const phase =
        (['recommender', 'sentiment', 'sequential', 'embedder'] as const)
          .filter((m) => s[m].phase === 'training')
          .join(' + ') || 'nothing';
      for (const [kind, ms] of got) out.push({ phase, kind, ms });
      await new Promise((r) => setTimeout(r, 150));
    }
    return { out, answering };
  }, WATCH_MS);
  await context.close();

  const q = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(p * s.length))] as number;
  };
  const phases = [...new Set(samples.map((s) => s.phase))];
  const rows: (string | number)[][] = [];
  const data: Record<string, Record<string, { n: number; p50: number; p95: number; max: number }>> = {};
  for (const phase of phases)
    for (const kind of ['search', 'For you', 'Similar']) {
      const ms = samples.filter((s) => s.phase === phase && s.kind === kind).map((s) => s.ms);
      if (!ms.length) continue;
      const r = { n: ms.length, p50: q(ms, 0.5), p95: q(ms, 0.95), max: Math.max(...ms) };
      (data[phase] ??= {})[kind] = r;
      rows.push([phase, kind, r.n, r.p50.toFixed(1), r.p95.toFixed(1), r.max.toFixed(1)]);
    }
  writeSection('serving', {
    order: 32,
    title: 'Serving while models train',
    browser: browser.version(),
    data: { ...data, answering },
    markdown: [
      `A first visit to the store, ${WATCH_MS / 1000} s: a search, For you and Similar every 150 ms, each filed under ` +
        'what was training when it was answered (ms).',
      '',
      table(['training', 'request', 'n', 'p50', 'p95', 'max'], rows),
      '',
      'Each capability first answering, from navigation (ms; the store ships the review, image and sequential models):',
      '',
      table(
        ['capability', 'answers at (ms)'],
        Object.entries(answering)
          .sort((a, b) => a[1] - b[1])
          .map(([name, ms]) => [name, ms]),
      ),
    ].join('\n'),
  });
});
