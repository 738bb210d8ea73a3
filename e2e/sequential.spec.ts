/** "Up next": the sequential model trained on the device, its list and reasons, and reuse after a reload. */
import { expect, test } from './fixtures';

test.describe.configure({ timeout: 300_000 });

test('Up next: trained on the device, follows the movies just viewed with reasons, loaded on reload', async ({
  page,
  store,
}) => {
  // Without the model the store ships: trained here, from nothing.
  await store.open('/', '?backend=wasm&pretrain=0&shipped=0');
  await store.ready();
  const upNext = page.getByRole('region', { name: 'Up next' });
  await expect(upNext.getByTestId('up-next-state')).toContainText('train it from the Lab');

  // One epoch keeps the browser test short; the full training is measured by `npm run bench`.
  const trained = await page.evaluate(() => window.HushCart.retrain('sequential', { epochs: 1, recipe: 'quick' }));
  expect(trained.phase).toBe('ready');
  expect(trained.source).toBe('trained');
  expect(trained.losses).toHaveLength(1);
  expect(trained.validation).toHaveLength(1);
  await expect(upNext).toContainText('Open or rate an item');

  for (const itemId of ['ml-1', 'ml-260', 'ml-1196'])
    await page.evaluate((id) => window.HushCart.track({ type: 'view', itemId: id }), itemId);
  const next = await page.evaluate(() => window.HushCart.recommend({ slot: 'next', limit: 6 }));
  expect(next).toHaveLength(6);
  expect(next.map((r) => r.itemId)).not.toContain('ml-1196');
  expect(next.every((r) => r.itemId.startsWith('ml-'))).toBe(true);
  expect(next[0]?.score).toBe(1);
  for (const r of next) expect(r.reasons[0]).toMatch(/^Up next( after .+ \(you viewed it\)|: a common next step)/);
  // Reasons name recent movies the model leans on (the items whose removal lowers the score most).
  expect(next.some((r) => /Star Wars|Toy Story/.test(r.reasons[0] ?? ''))).toBe(true);
  await expect(upNext.getByTestId('up-next').locator('li')).toHaveCount(6);

  // A movie's page continues from it; a product no sequence covers has no Up next.
  await page.goto('/?backend=wasm&pretrain=0#/item/ml-1210');
  const after = page.getByRole('region', { name: 'Up next after this' });
  await expect(after.getByTestId('reason').first()).toContainText(/^Up next/);
  await expect(after.getByTestId('up-next').locator('li')).toHaveCount(6);
  await page.goto('/?backend=wasm&pretrain=0#/item/ff-B004WJAULO');
  await expect(page.getByTestId('product-title')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Up next after this' })).toHaveCount(0);
  const pantryNext = await page.evaluate(() => window.HushCart.recommend({ slot: 'next', itemId: 'ff-B004WJAULO' }));
  expect(pantryNext).toEqual([]);

  // Saved: a reload serves the same model without training.
  await page.reload();
  await expect.poll(async () => (await store.status()).sequential.phase).toBe('ready');
  expect((await store.status()).sequential.source).toBe('loaded');
  const again = await page.evaluate(() => window.HushCart.recommend({ slot: 'next', itemId: 'ml-1210', limit: 6 }));
  expect(again.length).toBe(6);
  const bad = await page.evaluate(() =>
    window.HushCart.recommend({ slot: 'soon' as 'next' }).catch((e: Error) => e.message),
  );
  expect(bad).toMatch(/slots are for-you, similar, fbt, next/);
});

test('Up next model retrains in the background after enough new movie events, as trained, while it keeps answering', async ({
  page,
  store,
}) => {
  await store.open('/', '?backend=wasm&pretrain=0&retrainAfter=0&sequentialRetrainAfter=3&retrainQuietMs=1500');
  await store.ready();
  expect((await page.evaluate(() => window.HushCart.retrain('sequential', { epochs: 1, recipe: 'quick' }))).phase).toBe(
    'ready',
  );
  const saved = async () => (await store.status()).models.find((m) => m.id === 'sequential:movies');
  const t1 = (await saved())?.createdAt ?? 0;
  expect((await saved())?.metrics.epochs).toBe(1);
  expect((await store.status()).autoRetrain.sequential).toEqual({ threshold: 3, pending: 0, running: false });

  // Two movies and a pantry item: not enough movie events yet.
  for (const itemId of ['ml-1', 'ff-B004WJAULO', 'ml-260'])
    await page.evaluate((id) => window.HushCart.track({ type: 'view', itemId: id }), itemId);
  await page.waitForTimeout(3000);
  expect((await store.status()).autoRetrain.sequential.pending).toBe(2);
  expect((await saved())?.createdAt).toBe(t1);

  // The third starts a retrain (one epoch, as the model in service was trained) once the shopper is quiet; the
  // model in service keeps answering meanwhile.
  await page.evaluate(() => window.HushCart.track({ type: 'view', itemId: 'ml-1196' }));
  await expect.poll(async () => (await store.status()).sequential.phase, { intervals: [200] }).toBe('training');
  expect(await page.evaluate(() => window.HushCart.recommend({ slot: 'next', limit: 5 }))).toHaveLength(5);
  await expect.poll(async () => (await store.status()).sequential.phase, { timeout: 150_000 }).toBe('ready');
  expect((await saved())?.createdAt).toBeGreaterThan(t1);
  expect((await saved())?.metrics.epochs).toBe(1);
  expect((await store.status()).autoRetrain.sequential.pending).toBe(0);
  expect((await store.status()).recommender.phase).not.toBe('training'); // retrainAfter=0: never

  // The Lab says when the model in service retrains next.
  await page.goto('/?backend=wasm&pretrain=0&retrainAfter=0&sequentialRetrainAfter=3&retrainQuietMs=1500#/lab');
  await expect(page.getByTestId('auto-retrain-sequential')).toContainText('after 3 new events on its items (0 so far)');
});

test('the store ships its models: a first visit loads the sequential, review and image models instead of training them, and each answers at once', async ({
  page,
  store,
}) => {
  await store.open('/', '?backend=wasm&pretrain=0');
  await store.ready();
  await expect.poll(async () => (await store.status()).shippedModels?.reading ?? false).toBe(false);
  const s = await store.status();
  const shipped = ['image-embedder-fashion', 'sentiment-reviews', 'sequential:movies'];
  expect(s.shippedModels).toMatchObject({ loaded: shipped, skipped: [] });
  expect(s.shippedModels?.url).toMatch(/\/data\/models\/store\.json\.gz$/);
  await expect.poll(async () => (await store.status()).sequential.phase).toBe('ready');
  expect((await store.status()).sequential).toMatchObject({ source: 'loaded', recipe: 'full' });
  await page.evaluate(() => window.HushCart.track({ type: 'view', itemId: 'ml-260' }));
  const next = await page.evaluate(() => window.HushCart.recommend({ slot: 'next', limit: 6 }));
  expect(next).toHaveLength(6);
  // The general models too: loaded, not trained (no training set is fetched), and they answer.
  for (const model of ['sentiment', 'embedder'] as const) {
    await expect.poll(async () => (await store.status())[model].phase).toBe('ready');
    expect((await store.status())[model]).toMatchObject({ source: 'loaded' });
  }
  const read = await page.evaluate(() => window.HushCart.sentiment('Stale, bland and overpriced. I threw it away.'));
  expect(read.label).toBe('negative');
  const like = await page.evaluate(() => window.HushCart.moreLikeThis('fm-1', { limit: 5 }));
  expect(like).toHaveLength(5);
  const fetched = await page.evaluate(() =>
    performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname),
  );
  expect(fetched.filter((p) => p.includes('/data/train/'))).toEqual([]);
  // A second visit keeps the device's copies: nothing is loaded from the file again.
  await page.reload();
  await store.ready();
  await expect.poll(async () => (await store.status()).shippedModels?.reading ?? false).toBe(false);
  expect((await store.status()).shippedModels?.skipped).toEqual(
    shipped.map((id) => ({ id, why: 'this device has its own' })),
  );
});

test('the quality protocol runs in the engine worker: a small run reports its curve, weights and test rows; a bad request is refused', async ({
  page,
  store,
}) => {
  await store.open('/', '?backend=wasm&pretrain=0');
  await store.ready();
  const bad = await page.evaluate(() =>
    window.HushCart.diagnostics.runProtocol({ testSeeds: [] }).then(
      () => 'ran',
      (e: Error) => e.message,
    ),
  );
  expect(bad).toMatch(/testSeeds needs at least one seed/);
  // The store's protocol with a tiny recipe (the full one takes hours): every step runs on the real data.
  const r = await page.evaluate(() =>
    window.HushCart.diagnostics.runProtocol({
      recipe: { base: 'quick', dim: 8, maxLen: 10, epochs: 2, negatives: 32, batchSize: 256 },
      validationSeeds: [1],
      testSeeds: [1],
      protocols: ['leave-last-out'],
      peer: false,
      ease: false,
      validationLast: 1,
    }),
  );
  expect(r.validation.curves[0]?.curves[0]?.map((p) => p.epoch)).toEqual([1, 2]);
  expect(r.validation.queries).toBe(671);
  expect(r.blend.chosen).toHaveLength(3);
  const [seq, served] = r.tests[0]?.rows ?? [];
  expect([seq?.model, served?.model]).toEqual(['sequential (the recipe)', 'For you as served']);
  expect(seq?.users).toBe(671);
  expect(seq?.ndcg10.values).toHaveLength(1);
  // Even two epochs of a tiny model, blended with item-kNN, rank far above chance (about 0.001 over 9,066 movies).
  expect(served?.ndcg10.mean).toBeGreaterThan(0.02);
});
