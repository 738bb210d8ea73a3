/** Accessibility: axe finds no violations on the store's pages, the My data controls and a shop's catalog included. */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';
import { shopPack } from './support/shop-pack';

test.describe.configure({ timeout: 180_000 });

test('axe: no violations on the home, product, search, ask, photo, lab, my data and a shop catalog page', async ({
  page,
  store,
}) => {
  await store.open('/', '?backend=wasm&pretrain=0');
  await store.ready();
  const scan = async (where: string) => {
    const r = await new AxeBuilder({ page }).analyze();
    expect(r.passes.length, `${where}: axe ran its rules`).toBeGreaterThan(10);
    expect(r.violations.map((v) => `${where}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual(
      [],
    );
  };
  await expect(page.getByTestId('for-you').locator('li').first()).toBeVisible();
  await scan('home');
  for (const [hash, ready] of [
    ['#/item/ml-1', 'product-title'],
    ['#/my-data', 'network-summary'],
  ] as const) {
    await page.evaluate((h) => (location.hash = h), hash);
    await expect(page.getByTestId(ready)).toBeVisible();
    await scan(hash);
  }
  await page.evaluate(() => (location.hash = '#/search?q=office%20chairs'));
  await expect(page.getByTestId('search-results').locator('li').first()).toBeVisible();
  await scan('#/search');
  await page.evaluate(() => (location.hash = '#/ask'));
  await page.getByLabel('Your question').fill('Compare Heat and Casino');
  await page.getByLabel('Your question').press('Enter');
  await expect(page.getByTestId('answer')).toBeVisible();
  await scan('#/ask');
  for (const hash of ['#/photo', '#/lab']) {
    await page.evaluate((h) => (location.hash = h), hash);
    await expect(page.locator('main h1')).toBeVisible();
    await scan(hash);
  }
  await page.getByLabel('Shop owners: open a catalog file').setInputFiles({
    name: 'shop.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(shopPack())),
  });
  await expect(page.getByTestId('catalog-banner')).toBeVisible();
  await page.evaluate(() => (location.hash = '#/item/hc-mug-0'));
  await expect(page.getByTestId('product-title')).toBeVisible();
  await scan('shop product');
});
