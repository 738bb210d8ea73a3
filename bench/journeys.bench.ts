/**
 * The slow journeys, kept whole but run by `npm run bench` rather than `npm test` (CI keeps well under its time
 * budget): each asserts what it always did, and the section records how long it took on this machine.
 *   - the full image model trains from the Lab while the quick one answers, and stopping it keeps the quick one;
 *   - the recommenders' evaluation table in the Lab, with the trained model and the served hybrid.
 */
import { expect, test } from '../e2e/fixtures';
import { table as markdownTable, writeSection } from './sections';

test.describe.configure({ timeout: 420_000 });

const durations: [string, number][] = [];
let started = 0;
test.beforeEach(() => {
  started = performance.now();
});
// eslint-disable-next-line no-empty-pattern -- Playwright's hooks take the fixtures first; none is needed here
test.afterEach(({}, info) => {
  durations.push([info.title, (performance.now() - started) / 1000]);
});
test.afterAll(() => {
  writeSection('journeys', {
    order: 90,
    title: 'Slow journeys (asserted here, not in npm test)',
    markdown:
      'Browser journeys too slow for `npm test`, run whole with their assertions; the time each took, on wasm.\n\n' +
      markdownTable(
        ['journey', 'seconds'],
        durations.map(([t, s]) => [t, s.toFixed(0)]),
      ),
    data: durations,
  });
});

test('the full image model trains from the Lab while the quick one answers; stopping it keeps the quick one', async ({
  page,
  store,
  watched,
}) => {
  await store.open('/', '?backend=wasm&pretrain=0');
  await store.ready();
  expect((await page.evaluate(() => window.HushCart.retrain('embedder', { epochs: 1 }))).recipe).toBe('quick');
  const saved = async () => (await store.models()).find((m) => m.id === 'image-embedder-fashion');
  const quick = await saved();
  expect(quick?.recipe).toBe('quick');
  // Recipes are checked: an unknown one, or one for a model that has none, is refused with the choices.
  const refusals = await page.evaluate(() =>
    Promise.all([
      window.HushCart.retrain('embedder', { recipe: 'huge' as 'full' }).catch((e: Error) => e.message),
      window.HushCart.retrain('recommender', { recipe: 'full' }).catch((e: Error) => e.message),
    ]),
  );
  expect(refusals[0]).toMatch(/unknown recipe 'huge'.*quick, full/);
  expect(refusals[1]).toMatch(/'recommender' has no recipes \(models with recipes: sequential, embedder\)/);

  await page.goto('/?backend=wasm&pretrain=0#/lab');
  const panel = page.getByRole('region', { name: 'Image embedder' });
  await panel.getByRole('button', { name: 'Train the full model' }).click();
  await expect(panel.getByTestId('model-in-service-embedder')).toBeVisible();
  await expect(panel.getByRole('progressbar', { name: 'Image embedder training progress' })).toBeVisible();
  await expect
    .poll(() => watched.requests.some((u) => u.includes('fashion-train-extra')), { timeout: 60_000 })
    .toBe(true);
  // Meanwhile the quick model still answers a photo query, and "more like this".
  const during = await page.evaluate(async () => {
    const res = await fetch('data/packs/fashion/sprite.png');
    const sprite = await createImageBitmap(await res.blob());
    const c = new OffscreenCanvas(28, 28);
    (c.getContext('2d') as OffscreenCanvasRenderingContext2D).drawImage(sprite, 28 * 2, 0, 28, 28, 0, 0, 28, 28);
    const r = await window.HushCart.searchImage(await c.convertToBlob({ type: 'image/png' }), { limit: 5 });
    const like = await window.HushCart.moreLikeThis('fm-1', { limit: 3 });
    return { results: r.results.length, like: like.length, phase: (await window.HushCart.status()).embedder.phase };
  });
  expect(during).toEqual({ results: 5, like: 3, phase: 'training' });

  await panel.getByRole('button', { name: 'Stop training' }).click();
  await expect(panel.getByTestId('model-state-embedder')).toContainText('kept the previous model', {
    timeout: 60_000,
  });
  const after = await store.status();
  expect(after.embedder.phase).toBe('ready');
  expect(after.embedder.recipe).toBe('quick');
  expect((await saved())?.createdAt).toBe(quick?.createdAt);
  await expect(panel.getByRole('button', { name: 'Train the full model' })).toBeEnabled();
});

test('the evaluation table in the Lab: the trained model and the served hybrid next to the baselines', async ({
  page,
  store,
}) => {
  await store.open('/', '?backend=wasm&pretrain=0');
  await store.ready();
  expect((await page.evaluate(() => window.HushCart.retrain('recommender', { epochs: 2 }))).phase).toBe('ready');
  await page.goto('/?backend=wasm&pretrain=0#/lab');

  // The evaluation table now has the trained model and the hybrid, next to the baselines.
  await page
    .getByRole('region', { name: 'Evaluate the recommenders' })
    .getByRole('button', { name: 'Evaluate' })
    .click();
  const table = page.getByTestId('eval-table');
  // (It trains BPR-MF three times on the Superstore orders.)
  await expect(table).toContainText('hybrid: BPR-MF + item-kNN (last 5)', { timeout: 180_000 });
  // Baselines, BPR-MF (3 ways), the served hybrid, the long-tail rows (and the sequential ones once it is trained).
  await expect(table.locator('tbody tr').filter({ hasText: 'held-out movie rated by ≤ 5 users' })).toHaveCount(2);
  expect(await table.locator('tbody tr').count()).toBeGreaterThanOrEqual(10);
});
