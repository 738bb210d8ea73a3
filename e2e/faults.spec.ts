/** Faults in the real browser: a reload in the middle of a training leaves no corrupt model, and training again works. */
import { expect, test } from './fixtures';

test.describe.configure({ timeout: 240_000 });

test('a reload while a model trains: nothing half-saved, the model trains cleanly afterwards', async ({
  page,
  store,
}) => {
  await store.open('/', '?backend=wasm&pretrain=0');
  await store.ready();
  // Started in the page, not awaited from here: the reload ends it.
  await page.evaluate(() => {
    void window.HushCart.retrain('recommender', { epochs: 8 }).catch(() => undefined);
  });
  await expect
    .poll(async () => (await store.status()).recommender.fraction, { intervals: [200], timeout: 60_000 })
    .toBeGreaterThan(0);
  await page.reload();
  await store.ready();
  await expect.poll(async () => (await store.status()).recommender.phase).toBe('untrained');
  expect((await store.models()).map((m) => m.id)).not.toContain('bpr:movies');
  const again = await page.evaluate(() => window.HushCart.retrain('recommender', { epochs: 1 }));
  expect(again).toMatchObject({ phase: 'ready', source: 'trained' });
  expect((await store.models()).find((m) => m.id === 'bpr:movies')?.metrics.epochs).toBe(1);
  expect(await page.evaluate(() => window.HushCart.recommend({ limit: 5 }))).toHaveLength(5);
});
