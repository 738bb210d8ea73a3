/**
 * A shop owner builds a pack in the store's shop page from Shopify-layout exports (read in the browser by a worker,
 * never uploaded): the report states k and epsilon, the downloaded pack holds no customer's email, name, address or
 * order number, item vectors from the shop's warehouse are kept for the products k customers bought, and it opens
 * in the store; a file the builder cannot read is refused with its name and line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';

const FIXTURES = join(import.meta.dirname, '..', 'src', 'shop-pack', 'fixtures');
const fixture = (name: string, mimeType = 'text/csv') => ({
  name,
  mimeType,
  buffer: readFileSync(join(FIXTURES, name)),
});

test('the shop page: Shopify exports in, a pack without customers out, opened in the store', async ({
  page,
  store,
}) => {
  const sent: string[] = [];
  page.on('request', (r) => {
    if (r.method() !== 'GET') sent.push(`${r.method()} ${r.url()}`);
  });
  await store.open('/', '?backend=wasm&pretrain=0');
  await page.getByRole('link', { name: 'For shops: build your pack' }).click();
  await expect(page.getByRole('heading', { name: 'Build your shop’s pack' })).toBeVisible();

  // A file in no known layout: refused, named.
  await page
    .getByLabel('Products')
    .setInputFiles({ name: 'notes.csv', mimeType: 'text/csv', buffer: Buffer.from('sku,name\n1,a\n') });
  await page.getByRole('button', { name: 'Build the pack' }).click();
  await expect(page.getByTestId('shop-pack-error')).toContainText('notes.csv: unknown product file');

  await page.getByLabel('Products').setInputFiles(fixture('products-shopify.csv'));
  await page.getByLabel('Orders (optional)').setInputFiles(fixture('orders-shopify.csv'));
  await page
    .getByLabel('Item vectors (optional)')
    .setInputFiles(fixture('item-vectors-als.jsonl', 'application/jsonl'));
  await page.getByLabel('Shop name').fill('Rowan Home');
  await page.getByLabel('k: customers a count needs').fill('2');
  await page.getByRole('button', { name: 'Build the pack' }).click();
  const report = page.getByTestId('shop-pack-report');
  await expect(report).toContainText('k = 2');
  await expect(report).toContainText('epsilon per kind of count: customers 1, popularity 1');
  await expect(report).toContainText('2 × line of a cancelled order (skipped)');
  await expect(page.getByTestId('shop-pack-statement')).toContainText('This pack contains no per-person rows');
  // The warehouse's vectors: kept for the products k customers bought, said to be not differentially private.
  await expect(page.getByTestId('shop-pack-vectors')).toContainText('not differentially private');
  await expect(report).toContainText('item vector of a product fewer than k customers bought (dropped)');
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.passes.length).toBeGreaterThan(10);
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

  const download = page.waitForEvent('download');
  await page.getByTestId('shop-pack-download').click();
  const file = await (await download).path();
  const text = readFileSync(file, 'utf8');
  const pack = JSON.parse(text);
  expect(pack).toMatchObject({
    format: 'hushcart-pack',
    name: 'Rowan Home',
    imageOrigins: ['https://cdn.shopify.com'],
  });
  expect(pack.interactions).toBeUndefined();
  expect(pack.items).toHaveLength(6);
  for (const personal of ['ada.quill@mail.example', 'Ada Quill', 'Rowan Lane', '#1001', '+32 470', '2025-03-01'])
    expect(text).not.toContain(personal);

  // Opened in the store: recommendations from its released counts alone. Which pairs survive the noise differs
  // from build to build (real Laplace noise here; the unit tests fix it by a seed): every "bought with" shown must be
  // a pair the pack released.
  await page.getByRole('button', { name: 'Open it in this store' }).click();
  await expect(page.getByTestId('catalog-banner')).toContainText('Rowan Home');
  await store.ready();
  const ids: string[] = pack.items.map((i: { id: string }) => i.id);
  const released = new Set(
    (pack.aggregates.together.a as number[]).map((a, k) =>
      [ids[a], ids[pack.aggregates.together.b[k]]].sort().join('+'),
    ),
  );
  const fbt = await page.evaluate(() => window.HushCart.recommend({ slot: 'fbt', itemId: 'oak-stool', limit: 5 }));
  for (const r of fbt)
    if (r.reasons[0]?.startsWith('Bought with'))
      expect(released.has(['oak-stool', r.itemId].sort().join('+'))).toBe(true);
  const forYou = await page.evaluate(() => window.HushCart.recommend({ limit: 4 }));
  expect(forYou).toHaveLength(4);
  expect(sent).toEqual([]); // built and opened without a single upload
});
