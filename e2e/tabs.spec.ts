/** Many tabs: one trains a given model at a time (Web Locks); another tab waits, then loads what it saved. */
import { expect, StorePage, test } from './fixtures';

test.describe.configure({ timeout: 240_000 });

test('two tabs: while one trains the recommender, the other waits for it and loads its model', async ({
  page,
  store,
  context,
}) => {
  await store.open('/', '?backend=wasm&pretrain=0');
  await store.ready();
  const training = page.evaluate(() => window.HushCart.retrain('recommender', { epochs: 6 }));
  await expect.poll(async () => (await store.status()).recommender.phase, { intervals: [200] }).toBe('training');

  // A second tab that would train it on this first visit waits instead, and says so.
  const other = await context.newPage();
  const second = new StorePage(other);
  await second.open('/', '?backend=wasm');
  await expect
    .poll(async () => (await second.status()).recommender.message, { intervals: [200] })
    .toMatch(/another tab is training this model/);
  expect((await training).phase).toBe('ready');
  await expect.poll(async () => (await second.status()).recommender.source, { timeout: 60_000 }).toBe('loaded');
  const saved = (await store.models()).filter((m) => m.id === 'bpr:movies');
  expect(saved).toHaveLength(1);
  expect(saved[0]?.metrics.epochs).toBe(6);
  await other.close();
});
