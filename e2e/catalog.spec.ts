/**
 * A shop's own catalog in the real store: opened from a file through the UI (read in the browser, never uploaded),
 * recommended from its own data, its reviews read and its pictures matched by the general models (shared with the
 * demo store, not trained again), a malformed file rejected with its message, and back to the demo store with its
 * history as it was.
 */
import { expect, test } from './fixtures';
import { shopPack } from './support/shop-pack';

test.describe.configure({ timeout: 480_000 });

const asFile = (name: string, json: unknown) => ({
  name,
  mimeType: 'application/json',
  buffer: Buffer.from(typeof json === 'string' ? json : JSON.stringify(json)),
});

test('a shop catalog file: every capability its data supports, bad files rejected, the demo store kept', async ({
  page,
  store,
}) => {
  await store.open('/', '?backend=wasm&pretrain=0');
  await store.ready();
  // The general models, trained once on this device (short runs), then shared by every catalog.
  expect((await page.evaluate(() => window.HushCart.retrain('sentiment', { epochs: 2 }))).phase).toBe('ready');
  expect((await page.evaluate(() => window.HushCart.retrain('embedder', { epochs: 1 }))).phase).toBe('ready');
  await page.evaluate(() => window.HushCart.track({ type: 'view', itemId: 'ml-1' }));

  // Open the shop's file from the footer control.
  const fileInput = page.getByLabel('Shop owners: open a catalog file');
  await fileInput.setInputFiles(asFile('test-shop.json', shopPack()));
  await expect(page.getByTestId('catalog-banner')).toContainText('Test Home Shop');
  await expect(page.getByRole('navigation', { name: 'Aisles' })).toHaveText('Home goods');
  await store.ready();
  const status = await store.status();
  expect(status.catalog).toMatchObject({ id: 'test-shop', source: 'test-shop.json', items: 24 });
  expect(status.capabilities['item-space'].available).toBe(true);
  await expect
    .poll(async () => (await store.status()).capabilities['matrix-factorisation'].reason)
    .toMatch(/no interactions/);
  const capabilities = (await store.status()).capabilities;
  expect(capabilities['bought-together'].reason).toMatch(/no baskets/);
  expect(capabilities['review-ranking'].available).toBe(true);
  // Its history starts empty: the demo store's view is not here.
  expect(await store.events()).toEqual([]);

  // Rate three lamps on their pages: For you turns to lamps, with reasons naming them.
  for (const j of [0, 1, 2]) {
    await page.evaluate((id) => (location.hash = `#/item/${id}`), `hc-lamp-${j}`);
    await expect(page.getByTestId('product-title')).toHaveText(/lamp$/);
    await page.getByRole('button', { name: 'Rate 5 of 5' }).click();
    await expect(page.getByRole('group', { name: /Your rating: 5 of 5/ })).toBeVisible();
  }
  await page.evaluate(() => (location.hash = '#/'));
  const forYou = page.getByTestId('for-you');
  await expect(forYou.locator('li').first()).toContainText('lamp');
  const titles = await forYou.locator('.card-title').allTextContents();
  expect(titles.filter((t) => t.includes('lamp')).length).toBeGreaterThanOrEqual(3);
  await expect(forYou.getByTestId('reason').first()).toContainText(/Because you rated .*lamp 5★/);

  // Similar items by the item space, and the pictures matched by the shared image model.
  const similar = await page.evaluate(() =>
    window.HushCart.recommend({ slot: 'similar', itemId: 'hc-desk-0', limit: 5 }),
  );
  expect(similar.filter((r) => r.itemId.startsWith('hc-desk-')).length).toBeGreaterThanOrEqual(4);
  expect((await store.status()).embedder.source).toBe('loaded');
  const more = await page.evaluate(() => window.HushCart.moreLikeThis('hc-mug-3', { limit: 5 }));
  expect(more.filter((m) => m.itemId.startsWith('hc-mug-')).length).toBeGreaterThanOrEqual(3);
  await page.evaluate(() => (location.hash = '#/item/hc-mug-3'));
  await expect(page.getByTestId('more-like-this').locator('li')).not.toHaveCount(0);

  // Its reviews read by the shared sentiment model.
  await page.evaluate(() => (location.hash = '#/item/hc-mug-1'));
  await expect(page.getByTestId('review').getByTestId('sentiment-label')).toHaveAttribute('data-label', 'negative');
  const [good, bad] = await page.evaluate(() => window.HushCart.itemSentiment(['hc-mug-0', 'hc-mug-1']));
  expect(good).toBeGreaterThan(0.5);
  expect(bad).toBeLessThan(0.5);

  // Search and the assistant work on the shop's own catalog.
  await page.getByRole('searchbox', { name: 'Search the store' }).fill('coper mug');
  await expect(page.getByTestId('search-results').locator('li').first().locator('.hit-title')).toHaveText('Copper mug');
  const cheap = await page.evaluate(() => window.HushCart.ask('mugs under €15'));
  expect(cheap).toMatchObject({ intent: { name: 'price-range' }, known: true });
  expect(cheap.items.sort()).toEqual(['hc-mug-0', 'hc-mug-1', 'hc-mug-2', 'hc-mug-3']);
  const complaints = await page.evaluate(() => window.HushCart.ask('what are the complaints?', { itemId: 'hc-mug-1' }));
  expect(complaints).toMatchObject({ intent: { name: 'opinions' }, known: true, items: ['hc-mug-1'] });
  expect((await page.evaluate(() => window.HushCart.ask('sofas under €15'))).known).toBe(false);

  // A malformed file: its message, and the catalog in use stays.
  await page.evaluate(() => (location.hash = '#/'));
  await fileInput.setInputFiles(asFile('broken.json', '{"format": "hushcart-pack", '));
  await expect(page.getByTestId('catalog-error')).toContainText('broken.json: is not valid JSON');
  const noTitle = { ...shopPack(), items: [{ id: 'x', aisle: 'home' }] };
  await fileInput.setInputFiles(asFile('no-title.json', noTitle));
  await expect(page.getByTestId('catalog-error')).toContainText("item 'x' (#0): field 'title'");
  await expect(page.getByTestId('catalog-banner')).toContainText('Test Home Shop');
  expect((await store.events()).filter((e) => e.type === 'rate')).toHaveLength(3);

  // Markup in a catalog's strings is shown as text, never run.
  const hostile: Record<string, unknown> = { ...shopPack(), id: 'hostile-shop', name: '<b onclick="x()">Hostile</b>' };
  (hostile.items as { title: string }[])[0]!.title = '<img src=x onerror="window.pwned=1">Mug';
  await fileInput.setInputFiles(asFile('hostile.json', hostile));
  await expect(page.getByTestId('catalog-banner')).toContainText('<b onclick="x()">Hostile</b>');
  await page.evaluate(() => (location.hash = '#/item/hc-mug-0'));
  await expect(page.getByTestId('product-title')).toHaveText('<img src=x onerror="window.pwned=1">Mug');
  expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();

  // Back to the demo store: its history as it was, the shop's kept apart.
  await page.getByRole('button', { name: 'Back to the demo store' }).click();
  await expect(page.getByTestId('catalog-banner')).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'Aisles' })).toContainText('Movies');
  await store.ready();
  expect((await store.status()).catalog.id).toBe('default');
  expect((await store.events()).map((e) => e.itemId)).toEqual(['ml-1']);

  // openCatalog from the API, by file: the shop's own history is still there.
  await page.evaluate(
    (json) => window.HushCart.openCatalog(new File([json], 'test-shop.json', { type: 'application/json' })),
    JSON.stringify(shopPack()),
  );
  expect((await store.events()).filter((e) => e.type === 'rate')).toHaveLength(3);
});

test('a shop catalog by URL (?catalog=): the demo shop opens, keeps across a reload, and the demo store comes back', async ({
  page,
  store,
}) => {
  await store.open('/', '?backend=wasm&pretrain=0&catalog=/data/shops/furniture/pack.json');
  await store.ready();
  await expect(page.getByTestId('catalog-banner')).toContainText('Superstore Furniture');
  await expect(page.getByRole('navigation', { name: 'Aisles' })).toHaveText('Furniture');
  await expect.poll(async () => (await store.status()).capabilities['bought-together'].available).toBe(true);
  const s = await store.status();
  expect(s.catalog).toMatchObject({ id: 'furniture', source: '/data/shops/furniture/pack.json', items: 375 });
  // Popular picks in the pack's own words; bought together from its baskets.
  const popular = await page.evaluate(() => window.HushCart.recommend({ limit: 3 }));
  expect(popular[0]?.reasons[0]).toMatch(/^Popular in Furniture: bought by \d+ Superstore customers$/);
  const item = popular[0]?.itemId as string;
  await page.evaluate((id) => window.HushCart.track({ type: 'view', itemId: id }), item);
  await page.reload();
  await store.ready();
  await expect(page.getByTestId('catalog-banner')).toContainText('Superstore Furniture');
  expect((await store.events()).map((e) => e.itemId)).toEqual([item]);
  await page.getByRole('button', { name: 'Back to the demo store' }).click();
  await expect(page.getByTestId('catalog-banner')).toHaveCount(0);
  expect(new URL(page.url()).searchParams.has('catalog')).toBe(false);
  await store.ready();
  expect(await store.events()).toEqual([]);
});
