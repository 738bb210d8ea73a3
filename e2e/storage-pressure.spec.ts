/**
 * Under real storage pressure the shopper's events come first. The browser's own quota is capped through the
 * DevTools protocol (Storage.overrideQuotaForOrigin) before the store opens, nothing simulated inside the app. What
 * gives way for the events (caches, then models) is tested on a simulated disk in src/store/space.test.ts: on a real
 * one, when it happens depends on the database's free pages, which a test cannot arrange. Every event is kept and survives a reload, recommendations still
 * answer, and My data (the store's page, the widget's privacy element) says what was not kept and why.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import type { HushCartApi } from '../src/api/types';
import { BASE_URL, SHOP_URL } from './browser';

test.describe.configure({ timeout: 300_000 });

type Win = { HushCart: HushCartApi };

/**
 * Caps the origin's quota through the DevTools protocol; the cap holds while the session does (detaching it lifts
 * the cap), and applies at once to the databases already open.
 */
async function quotaCap(context: BrowserContext, page: Page, origin: string) {
  const cdp = await context.newCDPSession(page);
  return (bytes: number) => cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: bytes });
}

/** Reloads the page (the cap still in force) and reads how many events are there and how many For you answers. */
async function afterReload(page: Page): Promise<{ events: number; recs: number }> {
  await page.reload();
  await page.waitForFunction(() => 'HushCart' in window);
  return page.evaluate(async () => {
    const api = (window as unknown as Win).HushCart;
    await api.ready({ engine: false });
    const recs = await api.recommend({ limit: 5 });
    return { events: (await api.status()).events, recs: recs.length };
  });
}

/** 300 events, one at a time as a shopper makes them; resolves with how many were kept and the first error. */
function journey(page: Page, itemIds: string[]) {
  return page.evaluate(async (ids) => {
    const api = (window as unknown as Win).HushCart;
    let kept = 0;
    let error: string | null = null;
    for (let i = 0; i < 300; i++) {
      const itemId = ids[i % ids.length] as string;
      try {
        await api.track(i % 3 ? { type: 'view', itemId } : { type: 'click', itemId });
        kept++;
      } catch (e) {
        error ??= `event ${i}: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    return { kept, error };
  }, itemIds);
}

test('the store capped at 6 MB: 300 events are all kept and survive a reload, recommendations work, My data says what was not kept', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cap = await quotaCap(context, page, new URL(BASE_URL).origin);
  // 6 MB before the store opens: the service worker's offline copy takes most of it, and the search index (5.3 MB)
  // and the models cannot all be kept.
  await cap(6 * 1024 * 1024);
  await page.goto('/');
  await page.waitForFunction(() => 'HushCart' in window);
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const api = (window as unknown as Win).HushCart;
          const [s, st] = await Promise.all([api.status(), api.storage()]);
          return `${s.recommender.phase} ${s.search ? 'search' : ''} ${st.notKept.length > 0}`;
        }),
      { timeout: 240_000, intervals: [2000] },
    )
    .toBe('ready search true');

  const ids = await page.evaluate(() =>
    (window as unknown as Win).HushCart.catalog.list({ aisle: 'movies', limit: 40 }).items.map((i) => i.id),
  );
  expect(ids.length).toBe(40);
  expect(await journey(page, ids)).toEqual({ kept: 300, error: null });
  const after = await page.evaluate(async () => {
    const api = (window as unknown as Win).HushCart;
    const [s, st, recs] = await Promise.all([api.status(), api.storage(), api.recommend({ limit: 5 })]);
    return {
      events: s.events,
      phase: s.recommender.phase,
      recs: recs.length,
      notKept: st.notKept.map((n) => `${n.what}: ${n.why}`),
    };
  });
  // A model that was not kept still serves: ready (its note says it is not kept).
  expect(after).toMatchObject({ events: 300, phase: 'ready', recs: 5 });
  expect(after.notKept).toContainEqual(expect.stringMatching(/^The search index: not enough space on this device/));

  // My data says what was not kept, and why.
  await page.getByRole('link', { name: 'My data' }).click();
  const notice = page.getByTestId('not-kept');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('Your activity and settings are kept first');
  await expect(notice).toContainText('The search index');

  // A reload under the same cap: every event is there, and recommendations answer.
  expect(await afterReload(page)).toEqual({ events: 300, recs: 5 });
  await context.close();
});

test('the widget on a shop page with 1 MB: the shipped image model serves from memory, 300 events are kept, the privacy element says what was not', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cap = await quotaCap(context, page, new URL(SHOP_URL).origin);
  // The clothing shop ships an image model of several megabytes: it cannot be kept in 1 MB, nor the catalog's
  // image embeddings; the shopper's events can.
  await cap(1024 * 1024);
  await page.goto(`${SHOP_URL}/`);
  await page.waitForFunction(() => 'HushCart' in window);
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const e = (await (window as unknown as Win).HushCart.status()).embedder;
          return `${e.phase} ${e.note ?? ''}`;
        }),
      { timeout: 120_000, intervals: [1000] },
    )
    .toMatch(/^ready not kept on this device: not enough space/);
  const ids = await page.evaluate(() =>
    (window as unknown as Win).HushCart.catalog.list({ limit: 40 }).items.map((i) => i.id),
  );
  expect(await journey(page, ids)).toEqual({ kept: 300, error: null });
  // The model not kept still answers: "More like this" by look.
  const similar = await page.evaluate(async () => {
    const api = (window as unknown as Win).HushCart;
    return (await api.moreLikeThis(api.catalog.list({ limit: 1 }).items[0]!.id, { limit: 3 })).length;
  });
  expect(similar).toBe(3);

  const privacy = page.locator('hushcart-privacy');
  await privacy.scrollIntoViewIfNeeded();
  await expect(privacy.locator('[data-not-kept]')).toContainText('Your activity is kept first');
  await expect(privacy.locator('[data-not-kept]')).toContainText('not enough space on this device');
  await expect(privacy.locator('.facts')).toContainText('300 events');

  expect(await afterReload(page)).toEqual({ events: 300, recs: 5 });
  await context.close();
});
