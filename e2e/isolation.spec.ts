/**
 * The widget's isolated mode: the furniture shop's page on one origin (4174, /isolated/) loads the widget from
 * another (4175, the shop's own origin for HushCart). A script on the shop's page, acting as a third party (an
 * analytics tag, an ad), tries everything it can: every IndexedDB database it can see, every method on
 * `window.HushCart`, the frames' documents and windows, every `message` event. It must get nothing personal, while
 * the lists render in the page's layout, the page's track() moves For you, a card still lets the page navigate,
 * consent and the privacy element work inside the frames, axe finds nothing, and no request leaves the two origins.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Frame, type FrameLocator, type Page } from '@playwright/test';
import type { HushCartApi, IsolatedHushCartApi } from '../src/api/types';
import { SHOP_URL, WIDGET_URL } from './browser';
import { watch } from './fixtures';

test.describe.configure({ timeout: 240_000 });

const ISOLATED = `${SHOP_URL}/isolated/`;

type Win = Window & { HushCart: IsolatedHushCartApi; __loot: string[]; __csp: string[] };

/** In every document of the page: CSP violations; on the shop's page only, the third party's ears on `message`. */
function spy(shopOrigin: string) {
  const w = window as unknown as Win;
  w.__csp = [];
  addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  if (location.origin !== shopOrigin) return;
  // Kept across the shop's pages (in its session storage), as a tag manager's would be.
  w.__loot = JSON.parse(sessionStorage.getItem('loot') ?? '[]') as string[];
  addEventListener(
    'message',
    (e) => {
      w.__loot.push(`message from ${e.origin}: ${JSON.stringify(e.data)}`);
      sessionStorage.setItem('loot', JSON.stringify(w.__loot));
    },
    true,
  );
}

/** What a third-party script on the shop's page can get at, as text. */
async function thirdParty(page: Page, knownItem: string): Promise<{ loot: string[]; methods: string[] }> {
  return page.evaluate(async (itemId) => {
    const w = window as unknown as Win;
    const loot = [...w.__loot];
    // Every database of this origin, every record in it.
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue;
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      for (const store of db.objectStoreNames) {
        const all = await new Promise<unknown[]>((res) => {
          const r = db.transaction(store).objectStore(store).getAll();
          r.onsuccess = () => res(r.result);
        });
        loot.push(`db ${name}/${store}: ${JSON.stringify(all)}`);
      }
      db.close();
    }
    for (const k of Object.keys(localStorage)) loot.push(`localStorage ${k}: ${localStorage.getItem(k)}`);
    for (const k of Object.keys(sessionStorage))
      if (k !== 'loot') loot.push(`sessionStorage ${k}: ${sessionStorage.getItem(k)}`);
    // Every method and property of the API, called with what a script would try.
    const api = w.HushCart as unknown as Record<string, unknown>;
    const methods = Object.keys(api);
    for (const k of methods) {
      const v = api[k];
      if (typeof v !== 'function') {
        loot.push(`HushCart.${k}: ${JSON.stringify(v)}`);
        continue;
      }
      if (k === 'consent') continue; // the shopper's answer, not the script's to give
      const args = k === 'track' ? [{ type: 'view', itemId }] : [itemId];
      try {
        loot.push(`HushCart.${k}(): ${JSON.stringify(await (v as (...a: unknown[]) => unknown)(...args))}`);
      } catch (e) {
        loot.push(`HushCart.${k}() threw ${String(e)}`);
      }
    }
    for (const name of ['events', 'recommend', 'taste', 'exportData', 'interests', 'storage', 'status', 'catalog'])
      if (name in api) loot.push(`HushCart.${name} is there`);
    // The frames: their documents, their windows' globals.
    const frames = [...document.querySelectorAll('*')]
      .flatMap((e) => [e, ...(e.shadowRoot ? e.shadowRoot.querySelectorAll('*') : [])])
      .filter((e): e is HTMLIFrameElement => e instanceof HTMLIFrameElement);
    for (const f of frames) {
      if (f.contentDocument) loot.push(`frame document: ${f.contentDocument.documentElement.outerHTML}`);
      try {
        loot.push(`frame body: ${f.contentWindow?.document.body.outerHTML}`);
      } catch {
        // another origin
      }
      try {
        loot.push(
          `frame hub: ${JSON.stringify((f.contentWindow as unknown as { __hushcartHub?: unknown }).__hushcartHub)}`,
        );
      } catch {
        // another origin
      }
    }
    loot.push(`frames seen: ${frames.length}`);
    return { loot, methods };
  }, knownItem);
}

const ids = (frame: FrameLocator) =>
  frame.locator('.card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-item-id') ?? ''));

const frameOf = (page: Page, selector: string) => page.frameLocator(`${selector} iframe`);

async function documents(page: Page): Promise<Frame[]> {
  return page.frames().filter((f) => f.url().startsWith(WIDGET_URL));
}

test('isolated mode: the lists render in frames of the widget origin, and the shop page’s other scripts get nothing personal', async ({
  page,
}) => {
  const seen = watch(page, [SHOP_URL, WIDGET_URL]);
  await page.addInitScript(spy, SHOP_URL);
  const response = await page.goto(ISOLATED);
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain(`frame-src ${WIDGET_URL}`);
  expect(csp).toContain(`script-src 'self' ${WIDGET_URL}`);
  expect(csp).not.toContain('wasm-unsafe-eval'); // the engine is the frames', not the page's
  await page.waitForFunction(() => 'HushCart' in window);
  await page.evaluate(() => (window as unknown as Win).HushCart.ready());

  // For you renders in its frame, in the page's layout (the frame as tall as its content: no inner scrollbar).
  const forYou = frameOf(page, 'hushcart-recs#for-you');
  await expect(forYou.locator('.card')).toHaveCount(8);
  await expect(forYou.locator('.title')).toHaveText('Picked for you, on your device');
  const before = await ids(forYou);
  const fit = await page.locator('hushcart-recs#for-you iframe').evaluate((f: HTMLIFrameElement) => f.clientHeight);
  const content = await forYou.locator('html').evaluate((h) => h.scrollHeight);
  expect(Math.abs(fit - content)).toBeLessThanOrEqual(2);
  // The page's theme reaches the frame (shop.css: --hushcart-accent on the elements).
  await expect(forYou.locator('html')).toHaveCSS('--hushcart-accent', '#7a4f1d');
  // And follows it when the page changes theme (a class on <body>, as a dark mode would).
  await page.evaluate(() => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('body.dark hushcart-recs { --hushcart-accent: #123456; }');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    document.body.classList.add('dark');
  });
  await expect(forYou.locator('html')).toHaveCSS('--hushcart-accent', '#123456');

  // The page's own product link; its script asks the house for the item (public data) and records the view.
  await page.getByRole('link', { name: 'Bush Birmingham Collection Bookcase, Dark Cherry', exact: true }).click();
  await expect(page.locator('#product-title')).toHaveText('Bush Birmingham Collection Bookcase, Dark Cherry');
  const similar = frameOf(page, 'hushcart-recs#similar');
  await expect(similar.locator('.card')).toHaveCount(6);
  await expect(similar.locator('.item-title').first()).toContainText(/Bookcase/);

  // The page moves Similar to another item by the element's property, as in the same-origin mode.
  const firstSimilar = await ids(similar);
  const other = (await similar.locator('.card').nth(2).getAttribute('data-item-id')) ?? '';
  await page
    .locator('hushcart-recs#similar')
    .evaluate((el, id) => ((el as unknown as { itemId: string }).itemId = id), other);
  await expect.poll(async () => (await ids(similar)).join(',')).not.toBe(firstSimilar.join(','));
  await expect(page.locator('hushcart-recs#similar')).toHaveAttribute('item-id', other);

  // The page tracks views of chairs: For you follows (the house learns; the page is told nothing back).
  const items = (await (await page.request.get(`${WIDGET_URL}/furniture/items.json`)).json()) as {
    id: string;
    category: string;
  }[];
  const chairs = items
    .filter((i) => i.category === 'Chairs')
    .slice(0, 4)
    .map((i) => i.id);
  const bookcase = await page.evaluate(() => new URLSearchParams(location.search).get('item') ?? '');
  const replies = await page.evaluate(
    async (chairIds) =>
      Promise.all(chairIds.map((itemId) => (window as unknown as Win).HushCart.track({ type: 'view', itemId }))),
    chairs,
  );
  expect(replies).toEqual(chairs.map(() => undefined)); // the stored event stays in the house
  await expect.poll(async () => (await ids(forYou)).join(','), { timeout: 30_000 }).not.toBe(before.join(','));
  const personal = await ids(forYou);

  // A card lets the page navigate (hushcart-select), with only the chosen item's id and link.
  const chosenTitle = (await similar.locator('.item-title').nth(1).textContent()) ?? '';
  const chosen = (await similar.locator('.card').nth(1).getAttribute('data-item-id')) ?? '';
  await similar.locator('.card').nth(1).click();
  await expect(page.locator('#product-title')).toHaveText(chosenTitle);
  await expect(frameOf(page, 'hushcart-recs#for-you').locator('.card')).toHaveCount(8);
  const afterSelect = await ids(frameOf(page, 'hushcart-recs#for-you'));

  // The data is in the widget's origin (its house frame's IndexedDB), not the shop's.
  const hub = (await documents(page)).find((f) => f.url().includes('%22hub%22'));
  expect(hub, 'the house frame').toBeTruthy();
  const databases = await hub!.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  expect(databases.some((n) => n?.startsWith('hushcart-widget'))).toBe(true);

  // The third party's haul.
  const { loot, methods } = await thirdParty(page, chosen);
  expect(methods.sort()).toEqual(['consent', 'isolated', 'item', 'ready', 'track', 'version']);
  const text = loot.join('\n');
  expect(text).toContain('frames seen: 7'); // it saw the frames (6 elements and the house) and got into none
  expect(text).not.toContain('frame document');
  expect(text).not.toContain('frame body');
  expect(text).not.toContain('frame hub');
  expect(text).not.toContain(' is there');
  expect(text).not.toMatch(/^db /m);
  // No item of a personal list, except those the page itself tracked or the shopper chose.
  const known = new Set([...chairs, bookcase, chosen]);
  const secret = [...new Set([...before, ...personal, ...afterSelect])].filter((id) => !known.has(id));
  expect(secret.length).toBeGreaterThan(5);
  for (const id of secret) expect(text, `a personal list's ${id}`).not.toContain(id);
  // What the frames did tell the page: their height, the chosen card, readiness and progress.
  const kinds = [...text.matchAll(/"kind":"([a-z]+)"/g)].map((m) => m[1]);
  expect(new Set(kinds)).toEqual(
    new Set(
      kinds.filter((k) => ['hello', 'size', 'select', 'attribution', 'ready', 'reply', 'progress'].includes(k ?? '')),
    ),
  );
  expect(kinds).toContain('select');

  // A call that does not come from the shop's page itself is ignored: here consent(false), which would delete
  // everything, sent to the house frame by an element frame (the right origin, the wrong window) and by itself.
  const elementFrame = (await documents(page)).find((f) => f.url().includes('%22element%22'))!;
  for (const from of [elementFrame, hub!])
    await from.evaluate(() => {
      const forged = { mark: 'hushcart-isolated', kind: 'call', id: 999, method: 'consent', args: [false] };
      for (let k = 0; k < parent.frames.length; k++)
        try {
          if ((parent.frames[k] as unknown as { __hushcartHub?: unknown }).__hushcartHub)
            parent.frames[k]!.postMessage(forged, '*');
        } catch {
          // another origin
        }
    });
  await page.waitForTimeout(500);
  const kept = await hub!.evaluate(async () => {
    const api = await (window as unknown as { __hushcartHub: { api: Promise<HushCartApi> } }).__hushcartHub.api;
    return { consent: (await api.status()).consent, events: (await api.events()).length };
  });
  expect(kept.consent).toBe('not-required');
  expect(kept.events).toBeGreaterThanOrEqual(chairs.length + 2);

  // Nothing blocked by either origin's policy, on the page or in any frame.
  expect(await page.evaluate(() => (window as unknown as Win).__csp)).toEqual([]);
  for (const f of await documents(page)) expect(await f.evaluate(() => (window as unknown as Win).__csp)).toEqual([]);

  // axe, into the frames.
  const r = await new AxeBuilder({ page }).analyze();
  expect(r.passes.length).toBeGreaterThan(10);
  expect(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

  expect(seen.foreign, 'no request outside the shop and the widget origins').toEqual([]);
  expect(seen.errors).toEqual([]);
});

test('isolated mode: consent and the privacy element inside the frames, keyboard focus through them in order', async ({
  page,
}) => {
  const seen = watch(page, [SHOP_URL, WIDGET_URL]);
  // The shop asks for consent (data-consent="required" on its script tag, set as the page parses: a page answered by
  // the test itself would be refused the loopback widget origin by Chromium's private network rules).
  await page.addInitScript((shop) => {
    if (location.origin !== shop) return;
    new MutationObserver((records) => {
      for (const r of records)
        for (const n of r.addedNodes)
          if (n instanceof HTMLScriptElement && n.src.endsWith('/hushcart.js')) n.dataset.consent = 'required';
    }).observe(document, { childList: true, subtree: true });
  }, SHOP_URL);
  await page.goto(ISOLATED);
  await page.waitForFunction(() => 'HushCart' in window);
  const refused = await page.evaluate(async () => {
    const h = (window as unknown as Win).HushCart;
    await h.ready();
    return h.track({ type: 'view', itemId: 'x' }).then(
      () => 'stored',
      (e: { code?: string }) => e.code ?? String(e),
    );
  });
  expect(refused).toBe('store/no-consent');
  const privacyHost = page.locator('hushcart-privacy');
  await privacyHost.scrollIntoViewIfNeeded();
  const privacy = frameOf(page, 'hushcart-privacy');
  await expect(privacy.locator('[data-consent="pending"]')).toContainText('Waiting for your consent');
  await expect(privacy.getByRole('checkbox', { name: 'Record my activity on this device' })).toBeDisabled();

  // The shop's banner says yes: the house starts storing, and the privacy element inside its frame says so.
  const items = (await (await page.request.get(`${WIDGET_URL}/furniture/items.json`)).json()) as { id: string }[];
  await page.evaluate(async (itemId) => {
    const h = (window as unknown as Win).HushCart;
    await h.consent(true);
    await h.track({ type: 'view', itemId });
  }, items[0]!.id);
  await expect(privacy.locator('[data-consent]')).toHaveCount(0);
  await expect(privacy.locator('.facts li').first()).toHaveText('1 events (1 view), in this browser only.');
  // Pausing is the shopper's, inside the frame.
  await privacy.getByRole('checkbox', { name: 'Record my activity on this device' }).uncheck();
  // (Once the house has it: the switch's change is a call of its own, and the page's track() is another.)
  const hub = (await documents(page)).find((f) => f.url().includes('%22hub%22'))!;
  await expect
    .poll(() =>
      hub.evaluate(async () => {
        const api = await (window as unknown as { __hushcartHub: { api: Promise<HushCartApi> } }).__hushcartHub.api;
        return (await api.storage()).recording;
      }),
    )
    .toBe(false);
  const paused = await page.evaluate(
    (itemId) =>
      (window as unknown as Win).HushCart.track({ type: 'view', itemId }).then(
        () => 'stored',
        (e: { code?: string }) => e.code ?? String(e),
      ),
    items[1]!.id,
  );
  expect(paused).toBe('store/paused');

  // Keyboard: from the shop's logo, Tab goes into the search frame's box, then on to For you's first card.
  await page.evaluate(() => scrollTo(0, 0));
  await page.locator('a.logo').focus();
  await page.keyboard.press('Tab');
  await expect(frameOf(page, 'hushcart-search').getByRole('searchbox', { name: 'Search this shop' })).toBeFocused();
  // And back out of it to the page (Shift+Tab), then in again.
  await page.keyboard.press('Shift+Tab');
  await expect(page.locator('a.logo')).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.type('bookcase');
  await expect(frameOf(page, 'hushcart-search').locator('.card').first()).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(frameOf(page, 'hushcart-search').locator('.card').first()).toBeFocused();
  // Screen readers: each frame is named by its list.
  await expect(page.locator('hushcart-recs#for-you iframe')).toHaveAttribute('title', 'Picked for you, on your device');
  await expect(page.locator('hushcart-search iframe')).toHaveAttribute('title', 'Search this shop');
  expect(seen.foreign).toEqual([]);
  expect(seen.errors).toEqual([]);
});
