/**
 * Visual search section: trains the image embedder on the device (first visit), then precision@10 over the
 * 10k test pictures (trained embedder vs raw pixels), test accuracy, and the latency of one photo query from the
 * page (decode + preprocess + embed + search over the catalog), p50/p95.
 */
import { test } from '@playwright/test';
import { trainOnFreshPage, trainingTable } from './page-helpers';
import { table, writeSection } from './sections';

const QUERIES = 40;

test('vision: training, retrieval precision, query latency', async ({ browser }) => {
  const { context, page, backend, model, longTasks } = await trainOnFreshPage(browser, 'embedder');
  const evaluation = await page.evaluate(() => window.HushCart.diagnostics.evaluateVision());
  // Photo queries from the page: a 640x480 JPEG and a 2000x1500 PNG of catalog pictures on a light background.
  const latency = await page.evaluate(async (n) => {
    const sprite = await createImageBitmap(await (await fetch('data/packs/fashion/sprite.png')).blob());
    const photo = async (index: number, w: number, h: number, type: string) => {
      const c = new OffscreenCanvas(w, h);
      const ctx = c.getContext('2d') as OffscreenCanvasRenderingContext2D;
      ctx.fillStyle = '#f4efe6';
      ctx.fillRect(0, 0, w, h);
      ctx.filter = 'invert(1)';
      ctx.drawImage(
        sprite,
        (index % 100) * 28,
        Math.floor(index / 100) * 28,
        28,
        28,
        w * 0.2,
        h * 0.1,
        h * 0.8,
        h * 0.8,
      );
      return c.convertToBlob({ type, quality: 0.9 });
    };
    const out: Record<string, number[]> = { 'JPEG 640x480': [], 'PNG 2000x1500': [] };
    for (const [label, w, h, type] of [
      ['JPEG 640x480', 640, 480, 'image/jpeg'],
      ['PNG 2000x1500', 2000, 1500, 'image/png'],
    ] as const) {
      const blobs = await Promise.all(Array.from({ length: 5 }, (_, k) => photo(k * 97, w, h, type)));
      await window.HushCart.searchImage(blobs[0] as Blob); // warm-up
      for (let k = 0; k < n; k++) {
        const t = performance.now();
        await window.HushCart.searchImage(blobs[k % blobs.length] as Blob, { limit: 10 });
        out[label]?.push(performance.now() - t);
      }
      out[label]?.sort((a, b) => a - b);
    }
    return out;
  }, QUERIES);
  await context.close();
  const q = (xs: number[], p: number) => (xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN).toFixed(1);
  const markdown = [
    table(
      ['model', 'precision@10', 'test accuracy'],
      evaluation.rows.map((r) => [
        r.model,
        r.precisionAt10.toFixed(3),
        r.accuracy === null ? '-' : r.accuracy.toFixed(3),
      ]),
    ),
    '',
    `Fashion-MNIST test set (${evaluation.queries.toLocaleString('en-US')} pictures, the Fashion aisle): each picture ` +
      'queries all the others by cosine similarity; relevant = same category. The embedder is trained on 21,600 of ' +
      'the 24,000 shipped training pictures (2,400 kept to choose the epoch), never on these. Targets: P@10 >= 0.85, ' +
      'accuracy >= 0.90.',
    '',
    trainingTable(model, backend, longTasks),
    '',
    table(
      ['photo query (page -> worker -> page, top 10 of 10,000)', 'p50 (ms)', 'p95 (ms)', 'runs'],
      [
        ...Object.entries(latency).map(([k, v]) => [k, q(v, 0.5), q(v, 0.95), v.length]),
        [
          '28x28 pixels already prepared (embed + search, in the worker)',
          evaluation.queryMs.p50.toFixed(1),
          evaluation.queryMs.p95.toFixed(1),
          evaluation.queryMs.runs,
        ],
      ],
    ),
    '',
    'A photo query: the file is sniffed, decoded at most 512 px on its longest side (createImageBitmap in the ' +
      'worker), turned gray, its light background inverted, cropped to the object, padded square, resized to 28x28, ' +
      'embedded, and compared with all 10,000 catalog embeddings in one matrix product with a top-k on the active backend.',
  ].join('\n');
  writeSection('vision', {
    order: 50,
    title: 'Visual search',
    markdown,
    data: { backend, model, evaluation, latency, longTasks },
    browser: browser.version(),
  });
});
