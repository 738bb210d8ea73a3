/**
 * Zero egress, over a whole journey: browse, train the models, recommend, a photo query, a review read by the
 * sentiment model, export, import, delete. Every request goes to the app's own origin, and after the first load
 * none carries shopper data: only GETs of the app's own static files, with no query and no body.
 */
import { readFile } from 'node:fs/promises';
import { expect, test } from './fixtures';
import { BASE_URL } from './browser';
import { png } from './support/shop-pack';

test.describe.configure({ timeout: 420_000 });

interface Seen {
  method: string;
  url: string;
  body: string | null;
}

test('a full journey: every request to the own origin, none after the first load carrying shopper data', async ({
  page,
  store,
  context,
}, info) => {
  const seen: Seen[] = [];
  context.on('request', (r) => seen.push({ method: r.method(), url: r.url(), body: r.postData() }));
  await store.open('/', '?backend=wasm&pretrain=0');
  await store.ready();
  const firstLoad = seen.length;

  // Train the models (short runs), browse, rate, add to the cart, get recommendations.
  for (const model of ['recommender', 'sentiment', 'embedder'] as const)
    expect((await page.evaluate((m) => window.HushCart.retrain(m, { epochs: 1 }), model)).phase).toBe('ready');
  await page.evaluate(() => (location.hash = '#/aisle/movies'));
  await page.evaluate(() => (location.hash = '#/item/ml-260'));
  await page.getByRole('button', { name: 'Rate 5 of 5' }).click();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByTestId('cart-count')).toHaveText('1');
  await page.evaluate(() => (location.hash = '#/'));
  await expect(page.getByTestId('for-you').locator('li').first()).toBeVisible();

  // A photo query: the photo is read on the device.
  await page.evaluate(() => (location.hash = '#/photo'));
  const circle = png(96, (x, y) => (x - 0.5) ** 2 + (y - 0.5) ** 2 < 0.1, [40, 40, 40]);
  await page.getByLabel('Choose a photo').setInputFiles({
    name: 'my-photo.png',
    mimeType: 'image/png',
    buffer: Buffer.from(circle.split(',')[1] as string, 'base64'),
  });
  await expect(page.getByTestId('photo-results').locator('li').first()).toBeVisible();

  // A review, read by the sentiment model as it is typed.
  await page.evaluate(() => (location.hash = '#/item/ff-B004WJAULO'));
  await page.getByRole('textbox', { name: /Read on this device/ }).fill('Lovely coffee, rich and smooth. I love it.');
  await page.getByRole('button', { name: 'Save review' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved your review' })).toBeVisible();

  // Export, import it back (merge), delete the activity.
  await page.evaluate(() => (location.hash = '#/my-data'));
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export my data' }).click(),
  ]);
  const exported = await readFile(await download.path());
  await page
    .getByTestId('import-file')
    .setInputFiles({ name: 'me.json', mimeType: 'application/json', buffer: exported });
  await page.getByTestId('import-preview').getByRole('button', { name: 'Merge: add what is new' }).click();
  await expect(page.getByTestId('import-preview')).toHaveCount(0);
  const storage = await page.evaluate(() => window.HushCart.storage());
  info.annotations.push({
    type: 'stored after the journey',
    description: JSON.stringify({
      events: storage.events,
      models: storage.models.map((m) => [m.id, m.bytes]),
      caches: storage.caches.map((c) => [c.key, c.bytes]),
      usage: storage.estimate?.usage,
    }),
  });
  console.log(`stored after the journey: ${info.annotations.at(-1)?.description}`);
  await page.getByRole('button', { name: 'Delete your activity' }).click();
  await page.getByRole('button', { name: 'Yes, delete your activity' }).click();
  await expect(page.getByTestId('storage')).toContainText('0 events');

  // What went over the network.
  const origin = new URL(BASE_URL).origin;
  const network = seen.filter((r) => !r.url.startsWith('data:') && !r.url.startsWith('blob:'));
  expect(network.filter((r) => new URL(r.url).origin !== origin)).toEqual([]);
  const after = network.slice(firstLoad);
  expect(after.length).toBeGreaterThan(0); // the training sets, fetched to train
  const carrying = after.filter((r) => {
    const u = new URL(r.url);
    const staticFile =
      /^\/(assets|data)\//.test(u.pathname) || /^\/(sw\.js|workbox-[\w-]+\.js|favicon\.svg)$/.test(u.pathname);
    return r.method !== 'GET' || r.body !== null || u.search !== '' || !staticFile;
  });
  expect(carrying).toEqual([]);
  // The app's own monitor agrees.
  expect((await page.evaluate(() => window.HushCart.network())).foreign).toBe(0);
});
