/**
 * My data, as a privacy reviewer would try it: see what is stored, export it, carry it to a fresh browser profile
 * (same recommendations there once its model is imported), a bad file rejected with nothing changed, pause
 * recording (said on every page), delete.
 */
import { readFile } from 'node:fs/promises';
import { expect, StorePage, test, watch } from './fixtures';

test.describe.configure({ timeout: 300_000 });

const Q = '?backend=wasm&pretrain=0';

test('my data: inventory, export, a portable profile in a fresh browser, bad imports, pause and delete', async ({
  page,
  store,
  browser,
}) => {
  await store.open('/', Q);
  await store.ready();
  // A short training, so the export carries a model.
  expect((await page.evaluate(() => window.HushCart.retrain('recommender', { epochs: 1 }))).phase).toBe('ready');
  await page.evaluate(async () => {
    for (const itemId of ['ml-260', 'ml-1196', 'ml-1210'])
      await window.HushCart.track({ type: 'rate', itemId, value: 5 });
    await window.HushCart.track({ type: 'add-to-cart', itemId: 'ss-FUR-BO-10001798', value: 2 });
  });
  const slots = () =>
    Promise.all([
      window.HushCart.recommend({ limit: 10 }),
      window.HushCart.recommend({ slot: 'similar', itemId: 'ml-1', limit: 10 }),
      window.HushCart.recommend({ slot: 'fbt', itemId: 'ss-FUR-BO-10001798', limit: 10 }),
    ]).then((lists) => lists.map((l) => l.map((r) => r.itemId)));
  // For you blends the sequential model (the one the store ships, read after the page loads): compare once it serves.
  await expect.poll(async () => (await store.status()).sequential.phase).toBe('ready');
  const original = await page.evaluate(slots);
  expect(original[0]).toHaveLength(10);

  await page.evaluate(() => (location.hash = '#/my-data'));
  const storage = page.getByTestId('storage');
  await expect(storage).toContainText('4 events (3 rate, 1 add-to-cart)');
  await expect(storage).toContainText('Model bpr:movies');
  await expect(page.getByTestId('storage-estimate')).toContainText('used by this site');
  // The network monitor: the page's and the engine's requests, all to the app's own origin.
  await expect(page.getByTestId('network-summary')).toContainText("all to this site's own origin");
  const net = await page.evaluate(() => window.HushCart.network());
  expect(net.foreign).toBe(0);
  expect(net.requests.some((r) => r.realm === 'engine' && r.url.endsWith('.wasm'))).toBe(true);
  // The catalog is read by the engine worker, which owns it (the page renders from what it sends).
  expect(net.requests.some((r) => r.realm === 'engine' && r.url.includes('/data/manifest.json'))).toBe(true);

  // Export, with the model.
  await page.getByLabel(/Include the trained models/).check();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export my data' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^hushcart-default-\d{4}-\d\d-\d\d\.json$/);
  const exported = await readFile(await download.path());
  const parsed = JSON.parse(exported.toString()) as {
    format: string;
    events: unknown[];
    models: { meta: { id: string } }[];
  };
  expect(parsed.format).toBe('hushcart-export');
  expect(parsed.events).toHaveLength(4);
  expect(parsed.models.map((m) => m.meta.id)).toContain('bpr:movies');

  // A fresh browser profile: preview first, then replace; after a reload its model is the imported one.
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  const w = watch(other);
  const store2 = new StorePage(other);
  await store2.open('/my-data', Q);
  await store2.ready();
  await other
    .getByTestId('import-file')
    .setInputFiles({ name: 'profile.json', mimeType: 'application/json', buffer: exported });
  const preview = other.getByTestId('import-preview');
  await expect(preview).toContainText('holds 4 events');
  await expect(preview).toContainText('catalog default');
  expect(await store2.events()).toEqual([]); // a preview changes nothing
  await preview.getByRole('button', { name: 'Replace my data with it' }).click();
  await expect(other.getByTestId('storage')).toContainText('4 events');
  await other.reload();
  await expect.poll(async () => (await store2.status()).recommender.source).toBe('loaded');
  await expect.poll(async () => (await store2.status()).sequential.phase).toBe('ready');
  expect(await other.evaluate(slots)).toEqual(original);

  // Bad files: a message, and nothing changes.
  for (const [name, body, message] of [
    ['truncated.json', exported.subarray(0, 200), /not valid JSON/],
    ['wrong.json', Buffer.from(JSON.stringify({ ...parsed, version: 9 })), /field 'version'/],
    [
      'unknown.json',
      Buffer.from(JSON.stringify({ ...parsed, events: [{ id: 'x', type: 'view', itemId: 'nope', ts: 1 }] })),
      /item 'nope' is not in this catalog/,
    ],
  ] as const) {
    await other
      .getByTestId('import-file')
      .setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(body) });
    await expect(other.getByTestId('import-error')).toContainText(message);
  }
  expect(await store2.events()).toHaveLength(4);
  expect(w.foreign).toEqual([]);
  expect(w.errors).toEqual([]);
  await fresh.close();

  // Pause: every page says so, and nothing is stored.
  await page.getByTestId('recording-switch').uncheck();
  await expect(page.getByTestId('recording-paused')).toBeVisible();
  await page.evaluate(() => (location.hash = '#/item/ml-1'));
  await expect(page.getByTestId('product-title')).toBeVisible();
  await expect(page.getByTestId('recording-paused')).toBeVisible();
  await page.getByRole('button', { name: 'Rate 4 of 5' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Recording is paused, so this was not stored' }),
  ).toBeVisible();
  expect(await store.events()).toHaveLength(4);
  const paused = await page.evaluate(() =>
    window.HushCart.track({ type: 'view', itemId: 'ml-1' }).catch((e: Error) => e.message),
  );
  expect(paused).toMatch(/recording is paused/);
  await page.getByRole('button', { name: 'Resume recording' }).click();
  await expect(page.getByTestId('recording-paused')).toHaveCount(0);

  // Delete the activity (a second, confirming step), then everything.
  await page.evaluate(() => (location.hash = '#/my-data'));
  await page.getByRole('button', { name: 'Delete your activity' }).click();
  await page.getByRole('button', { name: 'Yes, delete your activity' }).click();
  await expect(page.getByTestId('storage')).toContainText('0 events');
  expect(await store.events()).toEqual([]);
  await page.getByRole('button', { name: 'Delete everything' }).click();
  await page.getByRole('button', { name: 'Yes, delete everything' }).click();
  await expect(page.getByTestId('storage')).not.toContainText('Model bpr:movies');
});
