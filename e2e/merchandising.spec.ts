/**
 * A shop steering its lists on its own page (the furniture demo shop, its pack amended as a shop would write it):
 * a pinned item at its position with its reason, an excluded and an out-of-stock item never shown, price and
 * category filters on an element, a declared fallback chain filling a sparse item's list, the trending and recently
 * viewed slots; nothing sent to another origin.
 */
import { expect, test, type Page } from '@playwright/test';
import type { HushCartApi } from '../src/api/types';
import { SHOP_URL } from './browser';
import { watch } from './fixtures';

test.describe.configure({ timeout: 180_000 });

const FURNITURE = `${SHOP_URL}/furniture`;
const PINNED = 'ss-FUR-BO-10000112'; // a bookcase nobody much bought
const EXCLUDED = 'ss-FUR-FU-10000550'; // the most popular furnishing
const SOLD_OUT = 'ss-FUR-CH-10001482'; // the most popular chair

test('rules, filters, stock and fallbacks on a shop page; the backend it asks for; progress events', async ({
  page,
}) => {
  const seen = watch(page, new URL(SHOP_URL).origin);
  await page.addInitScript(() => {
    const w = window as unknown as { __progress: unknown[] };
    w.__progress = [];
    addEventListener('hushcart-progress', (e) => w.__progress.push((e as CustomEvent).detail));
  });
  await withScriptAttributes(page, 'data-backend="wasm"');
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

  // An element's own rules (as in the pack): chairs buried in this list only; a rule that is not JSON is said so.
  await page
    .locator('hushcart-recs#for-you')
    .evaluate((el) => el.setAttribute('rules', '[{"action":"exclude","category":"Chairs"}]'));
  await expect
    .poll(async () => {
      const ids = await forYou
        .locator('.card')
        .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-item-id')));
      return page.evaluate(
        (list) =>
          list.map((id) => (window as unknown as { HushCart: HushCartApi }).HushCart.catalog.get(id ?? '')?.category),
        ids,
      );
    })
    .not.toContain('Chairs');
  await expect(forYou.locator('.card')).toHaveCount(8);
  await page.locator('hushcart-recs#for-you').evaluate((el) => el.setAttribute('rules', '[{action: bury}'));
  await expect(forYou.locator('.state.error')).toContainText('<hushcart-recs rules> is not JSON');
  await page.locator('hushcart-recs#for-you').evaluate((el) => el.removeAttribute('rules'));
  await expect(forYou.locator('.card')).toHaveCount(8);

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
  // The backend the shop asked for, and the models' progress told to the page as it went.
  await page.evaluate(() => (window as unknown as { HushCart: HushCartApi }).HushCart.ready());
  const backend = await page.evaluate(
    async () => (await (window as unknown as { HushCart: HushCartApi }).HushCart.status()).backend,
  );
  expect(backend).toBe('wasm');
  // What still loads in the background, by name, until nothing does.
  await expect
    .poll(async () =>
      page.evaluate(async () => (await (window as unknown as { HushCart: HushCartApi }).HushCart.status()).loading),
    )
    .toEqual([]);
  const progress = await page.evaluate(
    () => (window as unknown as { __progress: { model: string; phase: string }[] }).__progress,
  );
  expect(progress.length).toBeGreaterThan(0);
  for (const p of progress) {
    expect(['recommender', 'sentiment', 'embedder', 'sequential']).toContain(p.model);
    expect(['waiting', 'untrained', 'training', 'ready', 'error', 'unavailable']).toContain(p.phase);
  }
  expect(seen.foreign).toEqual([]);
  expect(seen.errors).toEqual([]);
});

/** The furniture shop's page with its script tag given these attributes (as the shop would write them). */
async function withScriptAttributes(page: Page, attributes: string) {
  await page.route(`${FURNITURE}/`, async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace('data-catalog="pack.json"', `data-catalog="pack.json" ${attributes}`);
    await route.fulfill({ response, body });
  });
}

test('the on-device experiment: the arm in status, the control list, attribution events to the page only', async ({
  page,
}) => {
  const seen = watch(page, new URL(SHOP_URL).origin);
  await page.addInitScript(() => {
    addEventListener('hushcart-attribution', (e) => {
      const all = JSON.parse(sessionStorage.getItem('attribution') ?? '[]');
      sessionStorage.setItem('attribution', JSON.stringify([...all, (e as CustomEvent).detail]));
    });
  });
  // Every device in control: For you shows the shop's non-personal list, and says so in the attribution.
  await withScriptAttributes(page, 'data-experiment="0" data-control="trending" data-datalayer');
  await page.goto(`${FURNITURE}/`);
  const forYou = page.locator('hushcart-recs#for-you');
  await expect(forYou.locator('.card')).toHaveCount(8);
  await expect(forYou.locator('.reason').first()).toContainText(/^(Trending|Popular) in Furniture/);
  const status = await page.evaluate(() => (window as unknown as { HushCart: HushCartApi }).HushCart.status());
  expect(status.experiment).toEqual({ arm: 'control', treatment: 0 });
  const picked = await forYou.locator('.card').nth(2).getAttribute('data-item-id');
  await forYou.locator('.card').nth(2).click();
  await expect(page).toHaveURL(/\?item=/);
  const events = await page.evaluate(() => JSON.parse(sessionStorage.getItem('attribution') ?? '[]'));
  expect(events).toEqual([
    { slot: 'for-you', position: 3, arm: 'control', model: 'control:trending', itemId: picked, action: 'click' },
  ]);

  // The same device, the shop now at 100%: drawn again, in treatment; an add to cart of a shown item is attributed.
  await page.unrouteAll();
  await withScriptAttributes(page, 'data-experiment="100" data-datalayer');
  await page.goto(`${FURNITURE}/`);
  await expect(forYou.locator('.card')).toHaveCount(8);
  const arm = await page.evaluate(
    async () => (await (window as unknown as { HushCart: HushCartApi }).HushCart.status()).experiment,
  );
  expect(arm).toEqual({ arm: 'treatment', treatment: 100 });
  const first = (await forYou.locator('.card').first().getAttribute('data-item-id')) as string;
  const pushed = await page.evaluate(async (id) => {
    await (window as unknown as { HushCart: HushCartApi }).HushCart.track({ type: 'add-to-cart', itemId: id });
    return (window as unknown as { dataLayer: unknown[] }).dataLayer;
  }, first);
  expect(pushed).toEqual([
    {
      event: 'hushcart-attribution',
      slot: 'for-you',
      position: 1,
      arm: 'treatment',
      model: 'for-you',
      itemId: first,
      action: 'add-to-cart',
    },
  ]);
  expect(seen.foreign).toEqual([]);
  expect(seen.errors).toEqual([]);
});

test("the shopper's interests: read in the privacy element, and less of one at a click", async ({ page }) => {
  const seen = watch(page, new URL(SHOP_URL).origin);
  await page.goto(`${FURNITURE}/`);
  await page.waitForFunction(() => 'HushCart' in window);
  const chairs = ['ss-FUR-CH-10001270', 'ss-FUR-CH-10003981', 'ss-FUR-CH-10003973'];
  await page.evaluate(async (ids) => {
    const api = (window as unknown as { HushCart: HushCartApi }).HushCart;
    for (const itemId of ids) await api.track({ type: 'add-to-cart', itemId });
  }, chairs);
  const forYou = page.locator('hushcart-recs#for-you');
  const categories = async () => {
    const ids = await forYou.locator('.card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-item-id')));
    return page.evaluate(
      (list) =>
        list.map((id) => (window as unknown as { HushCart: HushCartApi }).HushCart.catalog.get(id ?? '')?.category),
      ids,
    );
  };
  await expect(forYou.locator('.reason').first()).toContainText('Because you added');
  expect((await categories()).slice(0, 3)).toEqual(['Chairs', 'Chairs', 'Chairs']);
  const privacy = page.locator('hushcart-privacy');
  await privacy.scrollIntoViewIfNeeded();
  await expect(privacy.locator('.interests li').first()).toContainText('Chairs: 100%');
  await privacy.getByRole('button', { name: 'Show me less of Chairs' }).click();
  await expect(privacy.locator('.interests li').first()).toContainText('Chairs (shown less)');
  await expect.poll(async () => (await categories()).slice(0, 3).includes('Chairs')).toBe(false);
  expect(seen.foreign).toEqual([]);
  expect(seen.errors).toEqual([]);
});

test('consent required: nothing stored before consent(true), everything stored gone after consent(false)', async ({
  page,
}) => {
  const seen = watch(page, new URL(SHOP_URL).origin);
  await withScriptAttributes(page, 'data-consent="required"');
  await page.goto(`${FURNITURE}/`);
  await page.waitForFunction(() => 'HushCart' in window);
  const databases = () =>
    page.evaluate(async () => (await indexedDB.databases()).flatMap((d) => (d.name ? [d.name] : [])));
  const chair = 'ss-FUR-CH-10001270';
  const forYou = page.locator('hushcart-recs#for-you');
  const privacy = page.locator('hushcart-privacy');

  // Pending: the lists are there (not personal), nothing is recorded, and the device's storage is never opened.
  await expect(forYou.locator('.card')).toHaveCount(8);
  const pending = await page.evaluate(async (itemId) => {
    const h = (window as unknown as { HushCart: HushCartApi }).HushCart;
    const refused = await h.track({ type: 'add-to-cart', itemId }).catch((e: Error & { code?: string }) => e.code);
    return { consent: (await h.status()).consent, refused, events: (await h.events()).length };
  }, chair);
  expect(pending).toEqual({ consent: 'pending', refused: 'store/no-consent', events: 0 });
  await privacy.scrollIntoViewIfNeeded();
  await expect(privacy.locator('[data-consent="pending"]')).toContainText('Waiting for your consent');
  await expect(privacy.getByRole('checkbox', { name: 'Record my activity on this device' })).toBeDisabled();
  expect((await databases()).filter((n) => n.startsWith('hushcart'))).toEqual([]);

  // Granted: stored and personal from now on.
  await page.evaluate(
    async ({ chair }) => {
      const h = (window as unknown as { HushCart: HushCartApi }).HushCart;
      await h.consent(true);
      await h.track({ type: 'add-to-cart', itemId: chair });
    },
    { chair },
  );
  expect(
    await page.evaluate(async () => (await (window as unknown as { HushCart: HushCartApi }).HushCart.status()).consent),
  ).toBe('granted');
  await expect(forYou.locator('.reason').first()).toContainText('Because you added');
  expect((await databases()).some((n) => n.startsWith('hushcart-widget'))).toBe(true);
  await expect(privacy.locator('[data-consent]')).toHaveCount(0);

  // Declined: everything HushCart stored here is deleted, and it goes on storing nothing.
  const denied = await page.evaluate(async () => {
    const h = (window as unknown as { HushCart: HushCartApi }).HushCart;
    await h.consent(false);
    return { consent: (await h.status()).consent, events: (await h.events()).length };
  });
  expect(denied).toEqual({ consent: 'denied', events: 0 });
  expect((await databases()).filter((n) => n.startsWith('hushcart'))).toEqual([]);
  await expect(privacy.locator('[data-consent="denied"]')).toContainText('You declined');
  await expect(forYou.locator('.card')).toHaveCount(8);
  await expect(forYou.locator('.reason').first()).not.toContainText('Because you added');
  expect(seen.foreign).toEqual([]);
  expect(seen.errors).toEqual([]);
});
