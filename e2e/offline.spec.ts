/** Offline after one visit: the service worker (Workbox) caches the store; with the network off it opens, reloads and recommends. */
import { expect, test } from './fixtures';

test.describe.configure({ timeout: 180_000 });

test('the store works offline after one visit, a reload included', async ({ page, store, context }) => {
  await store.open('/', '?backend=wasm&pretrain=0');
  await store.ready();
  await page.evaluate(() => window.HushCart.track({ type: 'rate', itemId: 'ml-260', value: 5 }));
  await page.evaluate(() => (location.hash = '#/my-data'));
  await expect(page.getByTestId('offline-state')).toContainText('saved for offline use', { timeout: 60_000 });
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  await context.setOffline(true);
  await page.reload();
  await expect(page.locator('header.top')).toBeVisible();
  await store.ready();
  expect((await store.status()).catalog.items).toBeGreaterThan(20_000);
  const recs = await page.evaluate(() => window.HushCart.recommend({ limit: 5 }));
  expect(recs).toHaveLength(5);
  expect((await store.events()).map((e) => e.itemId)).toEqual(['ml-260']);
  await page.evaluate(() => (location.hash = '#/item/ml-1'));
  await expect(page.getByTestId('product-title')).toHaveText('Toy Story');
  await context.setOffline(false);
});
