/** A shopper's journey through the built store in real Chromium: aisles, products, cart, reload. */
import { expect, test } from './fixtures';

test('serves the app with a Content-Security-Policy that allows only its own origin', async ({ page }) => {
  const res = await page.goto('/');
  const csp = res?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("connect-src 'self'");
  expect(csp).not.toMatch(/https?:|\*/);
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveCount(1);
});

test('browse all four aisles, open a product of each, add to cart, reload: events and cart survive', async ({
  page,
  store,
  watched,
}) => {
  await store.open('/', '?pretrain=0');
  await expect(page.getByRole('heading', { name: /never leave your device/ })).toBeVisible();
  for (const name of ['Movies', 'Fashion', 'Pantry', 'Office'])
    await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();

  const visit = async (aisle: string, count: string) => {
    await page.getByRole('navigation', { name: 'Aisles' }).getByRole('link', { name: aisle }).click();
    await expect(page.getByRole('heading', { name: aisle, level: 1 })).toBeVisible();
    await expect(page.getByTestId('aisle-count')).toHaveText(`${count} products`);
    // Virtualized: thousands of products, a few dozen cards in the DOM.
    const cards = page.getByTestId('aisle-grid').locator('a.card');
    await expect(cards.first()).toBeVisible();
    expect(await cards.count()).toBeLessThan(200);
  };

  await visit('Movies', '9,066');
  await page.getByTestId('aisle-grid').locator('a.card', { hasText: 'Toy Story' }).first().click();
  await expect(page.getByTestId('product-title')).toHaveText('Toy Story');
  await expect(page.locator('.facts')).toContainText('1995');
  await expect(page.locator('.facts')).toContainText('Adventure, Animation, Children, Comedy, Fantasy');
  await page.getByRole('button', { name: 'Rate 5 of 5' }).click();
  await expect(page.getByRole('group', { name: /Your rating: 5 of 5/ })).toBeVisible();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByTestId('cart-count')).toHaveText('1');

  await visit('Fashion', '10,000');
  await page.getByTestId('aisle-grid').locator('a.card').first().click();
  await expect(page.getByTestId('product-title')).toHaveText('Ankle boot no. 1');
  const img = page.getByRole('img', { name: 'Photo: Ankle boot no. 1' });
  await expect(img).toBeVisible();
  expect(await img.evaluate((el) => getComputedStyle(el).backgroundImage)).toContain('/data/packs/fashion/sprite.png');
  // The sprite really loaded (not a broken image): it came back 200 from our own origin.
  expect(watched.requests.some((u) => u.endsWith('/data/packs/fashion/sprite.png'))).toBe(true);
  await page.getByLabel('Quantity').fill('2');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByTestId('cart-count')).toHaveText('3');

  await visit('Pantry', '5,000');
  await page.getByTestId('aisle-grid').locator('a.card').first().click();
  await expect(page.getByTestId('review')).toContainText('not good at all');
  await expect(page.getByTestId('review')).toContainText('Rated below 5 stars');

  await visit('Office', '1,862');
  await page.getByRole('combobox', { name: 'Category' }).selectOption('Chairs');
  await expect(page.getByTestId('aisle-count')).toHaveText('87 products');
  await page.getByTestId('aisle-grid').locator('a.card').first().click();
  await expect(page.locator('.facts')).toContainText('Furniture › Chairs');
  await expect(page.locator('.facts .price')).toHaveText(/^\$\d/);
  await expect(page.locator('.facts')).toContainText('derived');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByTestId('cart-count')).toHaveText('4');

  const before = await store.events();
  const types = before.map((e) => e.type);
  expect(types.filter((t) => t === 'view')).toHaveLength(4);
  expect(types.filter((t) => t === 'click')).toHaveLength(4);
  expect(types.filter((t) => t === 'add-to-cart')).toHaveLength(3);
  expect(types).toContain('rate');

  await page.reload();
  await store.ready();
  await page.goto('/?pretrain=0#/cart');
  await expect(page.getByTestId('cart-lines').locator('li')).toHaveCount(3);
  await expect(page.getByTestId('cart-count')).toHaveText('4');
  // Everything recorded before the reload is still there (the reload itself re-opened a product: one more view).
  const after = (await store.events()).map((e) => e.id);
  expect(after.slice(after.length - before.length)).toEqual(before.map((e) => e.id));

  // Change the cart and place the order: the cart empties, purchases are recorded.
  await page.getByTestId('cart-lines').locator('li').first().getByRole('button', { name: 'One more' }).click();
  await expect(page.getByTestId('cart-count')).toHaveText('5');
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page.getByTestId('cart-empty')).toBeVisible();
  expect((await store.events()).filter((e) => e.type === 'purchase')).toHaveLength(3);
});

test('two tabs recording at once lose nothing', async ({ page, store, context }) => {
  await store.open('/', '?pretrain=0');
  const other = await context.newPage();
  await other.goto('/?pretrain=0#/');
  await other.waitForFunction(() => window.HushCart !== undefined);
  const add = (p: typeof page, prefix: string) =>
    p.evaluate(async (pre) => {
      await window.HushCart.ready();
      const ids = window.HushCart.catalog.list({ aisle: pre, limit: 40 }).items.map((i) => i.id);
      await Promise.all(ids.map((itemId) => window.HushCart.track({ type: 'add-to-cart', itemId })));
    }, prefix);
  await Promise.all([add(page, 'movies'), add(other, 'office')]);
  expect(await store.cart()).toHaveLength(80);
  // The other tab's header heard about this tab's events.
  await expect(other.getByTestId('cart-count')).toHaveText('80');
  await other.close();
});

test('bad input to the API gets a clear error and stores nothing', async ({ page, store }) => {
  await store.open('/', '?pretrain=0');
  const errors = await page.evaluate(async () => {
    const tries: unknown[] = [
      { type: 'rate', itemId: 'ml-1', value: 9 },
      { type: 'view', itemId: 'no-such-item' },
      { type: 'fly' },
      null,
    ];
    const out: string[] = [];
    for (const t of tries) {
      try {
        await window.HushCart.track(t as never);
        out.push('accepted');
      } catch (e) {
        out.push(`${(e as { code?: string }).code}: ${(e as Error).message}`);
      }
    }
    return out;
  });
  expect(errors[0]).toMatch(/store\/invalid-event: .*'value' must be a whole rating from 1 to 5/);
  expect(errors[1]).toMatch(/'itemId' 'no-such-item' is not in the catalog/);
  expect(errors[2]).toMatch(/'type'/);
  expect(errors[3]).toMatch(/expected an object/);
  expect(await store.events()).toEqual([]);
  await page.goto('/?pretrain=0#/item/no-such-item');
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
});

test('keyboard: skip link, aisle navigation and a product open without a mouse', async ({ page, store }) => {
  await store.open('/', '?pretrain=0');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('navigation', { name: 'Aisles' }).getByRole('link', { name: 'Movies' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Movies', level: 1 })).toBeVisible();
  const first = page.getByTestId('aisle-grid').locator('a.card').first();
  await first.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('product-title')).toBeVisible();
});

test('credits page shows the provenance and terms of each data set', async ({ page, store }) => {
  await store.open('/about');
  await expect(page.getByTestId('credits')).toContainText('GroupLens');
  await expect(page.getByTestId('credits')).toContainText('no commercial use');
  await expect(page.getByTestId('credits')).toContainText('Fashion-MNIST');
  await expect(page.getByTestId('credits')).toContainText('Superstore');
});
