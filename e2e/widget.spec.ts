/**
 * The embeddable widget on the demo shops' plain HTML pages, served from another origin (port 4174) under a strict
 * CSP (the lines docs/shop-owners.md lists): the furniture shop (orders) and the clothing shop (pictures, with the image model
 * it ships). The elements render from the shop's own pack, share one engine worker, store the
 * shopper's events in that origin's IndexedDB, follow the host page's track() calls, and send nothing anywhere;
 * a broken pack shows its error inside the elements while the host page keeps working.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import type { HushCartApi } from '../src/api/types';
import { BASE_URL, SHOP_URL } from './browser';
import { watch } from './fixtures';
import { photoOfTile } from './support/photos';

test.describe.configure({ timeout: 240_000 });

/** The two demo shops on the shop's origin: clothing at the root, furniture under /furniture/. */
const FURNITURE = `${SHOP_URL}/furniture`;

const cspViolations = () => {
  const w = window as unknown as { __csp: string[] };
  w.__csp = [];
  addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
};

test('a shop page with one script tag: recommendations, privacy controls, events in its origin, nothing sent', async ({
  page,
}) => {
  const seen = watch(page, new URL(SHOP_URL).origin);
  await page.addInitScript(cspViolations);
  const response = await page.goto(`${FURNITURE}/`);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
  await page.waitForFunction(() => 'HushCart' in window);
  await page.evaluate(() => (window as unknown as { HushCart: { ready(): Promise<void> } }).HushCart.ready());

  // For you, before any activity: the shop's popular items, in its own audience's words.
  const forYou = page.locator('hushcart-recs#for-you');
  await expect(forYou.locator('.card')).toHaveCount(8);
  await expect(forYou.locator('.reason').first()).toContainText('Superstore customers');
  await expect(forYou.locator('.title')).toHaveText('Picked for you, on your device');

  // Search, typo and all.
  await page.getByRole('searchbox', { name: 'Search this shop' }).fill('birmingam bookcase');
  await expect(page.locator('hushcart-search .item-title').first()).toHaveText(
    'Bush Birmingham Collection Bookcase, Dark Cherry',
  );

  // A product page of the shop: its script records the view through window.HushCart.
  await page.getByRole('link', { name: 'Bush Birmingham Collection Bookcase, Dark Cherry', exact: true }).click();
  await expect(page.locator('#product-title')).toHaveText('Bush Birmingham Collection Bookcase, Dark Cherry');
  const similar = page.locator('hushcart-recs#similar');
  await expect(similar.locator('.card')).toHaveCount(6);
  await expect(similar.locator('.item-title').first()).toContainText(/Bookcase/);
  // Nothing was ordered with this bookcase: the element says so.
  await expect(page.locator('hushcart-recs#fbt .state')).toHaveText(
    'Nothing has been bought together with this item yet.',
  );

  // Back home: For you follows the view the host page recorded.
  await page.getByRole('link', { name: 'Birch & Brass' }).click();
  await expect(forYou.locator('.reason').first()).toContainText('Because you viewed Bush Birmingham');

  // A card dispatches hushcart-select; this shop handles it by opening its own product page.
  const picked = await forYou.locator('.card').first().getAttribute('data-item-id');
  await forYou.locator('.card').first().click();
  await expect(page).toHaveURL(new RegExp(`\\?item=${encodeURIComponent(picked ?? '')}`));

  // Stored in this origin's IndexedDB, under HushCart's own names; one engine worker for all the elements (the
  // product page just loaded: its elements have rendered once its worker has started).
  await expect(page.locator('hushcart-recs#similar .card').first()).toBeVisible();
  const names = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  expect(names.some((n) => n?.startsWith('hushcart-widget'))).toBe(true);
  expect(
    page
      .workers()
      .map((w) => w.url())
      .filter((u) => u.includes('worker')),
  ).toHaveLength(1);

  // Photo search says why it is not offered here; the privacy element shows, exports and deletes (both render
  // when scrolled near).
  await page.locator('hushcart-photo-search').scrollIntoViewIfNeeded();
  await expect(page.locator('hushcart-photo-search .state')).toContainText('no item of this catalog has a picture');
  const privacy = page.locator('hushcart-privacy');
  await privacy.scrollIntoViewIfNeeded();
  await expect(privacy.locator('.facts li').first()).toContainText(/\d+ events .*in this browser only/);
  const download = page.waitForEvent('download');
  await privacy.getByRole('button', { name: 'Export my data' }).click();
  expect((await download).suggestedFilename()).toBe('hushcart-data.json');
  await privacy.getByRole('button', { name: 'Delete my data' }).click();
  await privacy.getByRole('button', { name: 'Really delete everything stored here?' }).click();
  await expect(privacy.locator('.facts li').first()).toHaveText('No activity stored yet.');

  // Host CSS did not reach inside (the shop sets 17px on every li and a); nothing blocked, nothing sent.
  expect(
    await forYou
      .locator('.card')
      .first()
      .evaluate((e) => getComputedStyle(e).fontSize),
  ).toBe('15px');
  expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
  expect(seen.foreign).toEqual([]);
  expect(seen.errors).toEqual([]);
});

test('a broken pack: the error inside the elements, the host page still works', async ({ page }) => {
  await page.route(`${FURNITURE}/pack.json`, (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: '{"format": "hushcart-pack",' }),
  );
  await page.goto(`${FURNITURE}/`);
  await expect(page.locator('hushcart-recs#for-you [role=alert]')).toContainText('is not valid JSON');
  await page.locator('hushcart-privacy').scrollIntoViewIfNeeded();
  await expect(page.locator('hushcart-privacy [role=alert]')).toContainText('is not valid JSON');
  await page.getByRole('link', { name: 'Bush Birmingham Collection Bookcase, Dark Cherry', exact: true }).click();
  await expect(page).toHaveURL(/\?item=/);
});

test('storage blocked: the widget runs from memory and the privacy element says nothing will be kept', async ({
  page,
}) => {
  const seen = watch(page, new URL(SHOP_URL).origin);
  // As in a browser that refuses storage: opening a database fails, in the engine worker (which keeps the data).
  await page.route('**/assets/worker-*.js', async (route) => {
    const script = await (await route.fetch()).text();
    const refuse = `IDBFactory.prototype.open = () => {
      throw new DOMException('The user denied permission to access the database.', 'SecurityError');
    };`;
    await route.fulfill({ body: `${refuse}\n${script}`, contentType: 'text/javascript' });
  });
  await page.goto(`${FURNITURE}/?item=ss-FUR-BO-10000112`);
  await expect(page.locator('hushcart-recs#similar .card')).toHaveCount(6);
  // The shop's script recorded the view: kept in memory, and For you follows it.
  await expect(page.locator('hushcart-recs#for-you .reason').first()).toContainText(
    'Because you viewed Bush Birmingham',
  );
  const privacy = page.locator('hushcart-privacy');
  await privacy.scrollIntoViewIfNeeded();
  await expect(privacy.locator('[data-memory]')).toContainText('nothing will be kept');
  await expect(privacy.locator('.facts li').first()).toContainText('1 events (1 view)');
  expect(seen.errors).toEqual([]);
  expect(seen.foreign).toEqual([]);
});

test('models shipped with the pack: exported from a browser that trained them, loaded (not trained) by a visitor', async ({
  browser,
}) => {
  // The shop owner: the furniture pack opened in the store, the review model trained there, the models exported.
  const owner = await browser.newContext();
  const store = await owner.newPage();
  await store.goto(`${BASE_URL}/?backend=wasm&pretrain=0&catalog=/data/shops/furniture/pack.json`);
  await store.waitForFunction(() => 'HushCart' in window);
  const exported = await store.evaluate(async () => {
    const api = (window as unknown as { HushCart: HushCartApi }).HushCart;
    await api.ready();
    await api.retrain('sentiment', { epochs: 1 });
    return (await api.exportModels()).text();
  });
  await owner.close();

  // A visitor of the shop, whose manifest now names the file: the model is loaded on the first visit.
  const visitor = await browser.newContext();
  const page = await visitor.newPage();
  const seen = watch(page, new URL(SHOP_URL).origin);
  const pack = await (await page.request.get(`${FURNITURE}/pack.json`)).json();
  await page.route(`${FURNITURE}/pack.json`, (route) => route.fulfill({ json: { ...pack, models: 'models.json' } }));
  await page.route(`${FURNITURE}/models.json`, (route) =>
    route.fulfill({ body: exported, contentType: 'application/json' }),
  );
  await page.goto(`${FURNITURE}/`);
  await page.waitForFunction(() => 'HushCart' in window);
  const status = await page.evaluate(async () => {
    const api = (window as unknown as { HushCart: HushCartApi }).HushCart;
    await api.ready();
    for (let k = 0; k < 100 && (await api.status()).sentiment.phase !== 'ready'; k++)
      await new Promise((r) => setTimeout(r, 200));
    const s = await api.status();
    return {
      shipped: s.shippedModels,
      sentiment: s.sentiment,
      read: (await api.sentiment('Lovely and sturdy.')).label,
    };
  });
  expect(status.shipped?.loaded).toContain('sentiment-reviews');
  expect(status.sentiment).toMatchObject({ phase: 'ready', source: 'loaded' });
  expect(['positive', 'negative']).toContain(status.read);
  expect(seen.foreign).toEqual([]);
  await visitor.close();
});

test('the clothing shop: its shipped image model loaded on a first visit, search by a photo, similar by look', async ({
  browser,
}) => {
  // A shopper's photo: the first sneaker of the store's Fashion aisle (the test set, not in this shop), as a colour
  // photo on a light background, made on the store's origin.
  const fashion = JSON.parse(
    gunzipSync(
      readFileSync(join(import.meta.dirname, '..', 'public', 'data', 'packs', 'fashion', 'items.json.gz')),
    ).toString(),
  ) as { category: string; image: { sprite: number } }[];
  const sneaker = fashion.find((i) => i.category === 'Sneaker');
  const maker = await browser.newContext();
  const storePage = await maker.newPage();
  await storePage.goto(`${BASE_URL}/data/CREDITS.md`);
  const photo = await photoOfTile(storePage, sneaker?.image.sprite ?? 0, false);
  await maker.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  const seen = watch(page, new URL(SHOP_URL).origin);
  await page.addInitScript(cspViolations);
  await page.goto(`${SHOP_URL}/`);
  const search = page.locator('hushcart-photo-search');
  await search
    .locator('input[type=file]')
    .setInputFiles({ name: 'my-sneaker.jpg', mimeType: 'image/jpeg', buffer: photo });
  await expect(search.getByText(/^Looks like: /)).toContainText('Looks like: Sneaker');
  const found = await search.locator('.item-title').allTextContents();
  expect(found).toHaveLength(6);
  expect(found.filter((t) => t.startsWith('Sneaker')).length).toBeGreaterThanOrEqual(4);

  // The image model came with the pack: loaded, not trained; the review model is not trained unasked (no reviews).
  const status = await page.evaluate(async () => {
    const s = await (window as unknown as { HushCart: HushCartApi }).HushCart.status();
    return { shipped: s.shippedModels, embedder: s.embedder, sentiment: s.sentiment.phase };
  });
  expect(status.shipped?.loaded).toEqual(['image-embedder-fashion']);
  expect(status.embedder).toMatchObject({ phase: 'ready', source: 'loaded' });
  expect(status.sentiment).toBe('untrained');

  // A result opens the shop's product page (hushcart-select): similar items by look, and For you follows the view.
  const picked = await search.locator('.card').first().getAttribute('data-item-id');
  await search.locator('.card').first().click();
  await expect(page).toHaveURL(new RegExp(`\\?item=${picked ?? ''}$`));
  await expect(page.locator('#product-title')).toHaveText(/ no\. \d+$/);
  const title = (await page.locator('#product-title').textContent()) ?? '';
  const similar = page.locator('hushcart-recs#similar');
  await expect(similar.locator('.card')).toHaveCount(6);
  await expect(similar.locator('img.image').first()).toHaveAttribute('src', /^data:image\/png;base64,/);
  const kinds = (await similar.locator('.item-title').allTextContents()).map((t) => t.replace(/ no\. \d+$/, ''));
  expect(kinds.filter((k) => k === title.replace(/ no\. \d+$/, '')).length).toBeGreaterThanOrEqual(4);
  await page.getByRole('link', { name: 'Linden Row' }).click();
  // (The card's click is recorded too: the reason names the view or the click, whichever the profile weighs last.)
  const named = new RegExp(`^Because you (viewed|opened) ${title.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`);
  await expect(page.locator('hushcart-recs#for-you .reason').first()).toHaveText(named);
  // The privacy controls of the same page: what is stored here (the view, the click, the photo's category).
  const privacy = page.locator('hushcart-privacy');
  await privacy.scrollIntoViewIfNeeded();
  await expect(privacy.locator('.facts li').first()).toContainText(/\d+ events .*in this browser only/);
  await expect(privacy.getByRole('button', { name: 'Export my data' })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
  expect(seen.foreign).toEqual([]);
  expect(seen.errors).toEqual([]);
  await context.close();
});

test('axe: no violations on the demo shops, their widget elements rendered (shadow roots included)', async ({
  page,
}) => {
  const scan = async (where: string) => {
    const r = await new AxeBuilder({ page }).analyze();
    expect(r.passes.length, `${where}: axe ran its rules`).toBeGreaterThan(10);
    expect(r.violations.map((v) => `${where}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual(
      [],
    );
  };
  await page.goto(`${FURNITURE}/`);
  await expect(page.locator('hushcart-recs#for-you .card')).toHaveCount(8);
  await page.getByRole('searchbox', { name: 'Search this shop' }).fill('bookcase');
  await expect(page.locator('hushcart-search .card').first()).toBeVisible();
  await page.locator('hushcart-privacy').scrollIntoViewIfNeeded();
  await expect(page.locator('hushcart-privacy .facts')).toBeVisible();
  await scan('furniture home');
  await page.goto(`${SHOP_URL}/?item=fmx-0`);
  await expect(page.locator('hushcart-recs#similar .card')).toHaveCount(6);
  await expect(page.locator('hushcart-recs#for-you .card').first()).toBeVisible();
  await expect(page.locator('hushcart-photo-search input[type=file]')).toBeVisible();
  await scan('clothing product');
});
