/**
 * A shop steering its lists on its own page (the furniture demo shop, its pack amended as a shop would write it):
 * a pinned item at its position with its reason, an excluded and an out-of-stock item never shown, price and
 * category filters on an element, a declared fallback chain filling a sparse item's list, the trending and recently
 * viewed slots; nothing sent to another origin.
 */
import { expect, test } from '@playwright/test';
import type { HushCartApi } from '../src/api/types';
import { SHOP_URL } from './browser';
import { watch } from './fixtures';

test.describe.configure({ timeout: 180_000 });

const FURNITURE = `${SHOP_URL}/furniture`;
const PINNED = 'ss-FUR-BO-10000112'; // a bookcase nobody much bought
const EXCLUDED = 'ss-FUR-FU-10000550'; // the most popular furnishing
const SOLD_OUT = 'ss-FUR-CH-10001482'; // the most popular chair

test('rules, filters, stock and fallbacks on a shop page', async ({ page }) => {
  const seen = watch(page, new URL(SHOP_URL).origin);
  const pack = await (await page.request.get(`${FURNITURE}/pack.json`)).json();
  const items = await (await page.request.get(`${FURNITURE}/items.json`)).json();
  await page.route(`${FURNITURE}/pack.json`, (route) =>
    route.fulfill({
      json: {
        ...pack,
        rules: [
          { action: 'pin', itemId: PINNED, position: 1, slot: 'for-you' },
          { action: 'exclude', itemId: EXCLUDED },
        ],
        fallbacks: { fbt: ['popular-category'] },
      },
    }),
  );
  await page.route(`${FURNITURE}/items.json`, (route) =>
    route.fulfill({
      json: items.map((i: { id: string }) => (i.id === SOLD_OUT ? { ...i, availability: 'out_of_stock' } : i)),
    }),
  );
  await page.goto(`${FURNITURE}/`);
  const forYou = page.locator('hushcart-recs#for-you');
  await expect(forYou.locator('.card')).toHaveCount(8);
  await expect(forYou.locator('.card').first()).toHaveAttribute('data-item-id', PINNED);
  await expect(forYou.locator('.reason').first()).toHaveText('Pinned by the shop');
  const shown = await forYou.locator('.card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-item-id')));
  expect(shown).not.toContain(EXCLUDED);
  expect(shown).not.toContain(SOLD_OUT);

  // Filters on an element: chairs up to $100, none sold out.
  await page.evaluate(() => {
    const el = document.createElement('hushcart-recs');
    el.id = 'cheap-chairs';
    for (const [k, v] of Object.entries({
      kind: 'similar',
      'item-id': 'ss-FUR-CH-10001270',
      category: 'Chairs',
      'max-price': '100',
      limit: '6',
    }))
      el.setAttribute(k, v);
    document.querySelector('main')?.prepend(el);
  });
  const cheap = page.locator('hushcart-recs#cheap-chairs .card');
  await expect(cheap.first()).toBeVisible();
  const cheapIds = await cheap.evaluateAll((cards) => cards.map((c) => c.getAttribute('data-item-id') as string));
  const facts = await page.evaluate(
    (list) => list.map((id) => (window as unknown as { HushCart: HushCartApi }).HushCart.catalog.get(id)),
    cheapIds,
  );
  for (const item of facts) {
    expect(item?.category).toBe('Chairs');
    expect(item?.price?.amount).toBeLessThanOrEqual(100);
  }
  expect(cheapIds).not.toContain(SOLD_OUT);

  // A sparse item: nothing bought with this bookcase, so the declared chain fills with popular bookcases.
  const fbt = await page.evaluate(
    (id) => (window as unknown as { HushCart: HushCartApi }).HushCart.recommend({ slot: 'fbt', itemId: id, limit: 4 }),
    PINNED,
  );
  expect(fbt.length).toBeGreaterThan(0);
  for (const r of fbt) {
    expect(r.reasons[0]).toMatch(/^Popular in Furniture/);
    expect(r.itemId).toMatch(/^ss-FUR-BO-/);
  }
  // A bad filter: refused with what is wrong.
  await expect(
    page.evaluate(() =>
      (window as unknown as { HushCart: HushCartApi }).HushCart.recommend({ minPrice: 9, maxPrice: 3 }),
    ),
  ).rejects.toThrow('minPrice (9) is above maxPrice (3)');
  // Recently viewed: the view the product page recorded.
  await page.evaluate(() =>
    (window as unknown as { HushCart: HushCartApi }).HushCart.track({ type: 'view', itemId: 'ss-FUR-TA-10003715' }),
  );
  const recent = await page.evaluate(() =>
    (window as unknown as { HushCart: HushCartApi }).HushCart.recommend({ slot: 'recent', limit: 3 }),
  );
  expect(recent.map((r) => r.itemId)).toEqual(['ss-FUR-TA-10003715']);
  expect(recent[0]?.reasons).toEqual(['You looked at this recently']);
  expect(seen.foreign).toEqual([]);
  expect(seen.errors).toEqual([]);
});
