/**
 * A pack written by an attacker who controls a product feed, on a shop page with no Content-Security-Policy (most
 * shop pages): item links in every spelling of `javascript:` a browser would follow, data: and vbscript: links,
 * markup in titles. The widget renders every item, and clicking every card runs nothing: each link that is not
 * http(s) was dropped when the pack loaded (the shop's console says how many), and the widget checks again where a
 * string becomes a link or a navigation.
 */
import { expect, test } from '@playwright/test';
import { SHOP_URL } from './browser';

test.describe.configure({ timeout: 180_000 });

/** Each link sets a flag in the page (and alerts) if it ever runs. */
const RUN = 'window.top.__ran=(window.top.__ran||0)+1;alert(1)';
const HOSTILE = [
  `javascript:${RUN}`,
  `JaVaScRiPt:${RUN}`,
  `  javascript:${RUN}`,
  `\u0001javascript:${RUN}`,
  `java\tscript:${RUN}`,
  `java\nscript:${RUN}`,
  `javascript\t:${RUN}`,
  `\u0000\u001f javascript:${RUN}`,
  `data:text/html,<script>${RUN}</script>`,
  `vbscript:msgbox(1)`,
  `blob:${SHOP_URL}/0b5e1a2c`,
  ' ',
];

function hostilePack() {
  const items = HOSTILE.map((url, i) => ({
    id: `h${i}`,
    aisle: 'all',
    title: i === 0 ? `<img src=x onerror="${RUN}">Lamp ${i}` : `Lamp ${i}`,
    category: 'Lamps',
    url,
  }));
  // Purchases by 40 customers, so that For you (popular, before any activity) lists every item.
  const user: number[] = [];
  const item: number[] = [];
  for (let u = 0; u < 40; u++)
    for (let k = 0; k < 3; k++) {
      user.push(u);
      item.push((u + k * 5) % items.length);
    }
  return {
    format: 'hushcart-pack',
    version: 1,
    id: 'hostile',
    name: 'Hostile feed',
    aisles: [{ id: 'all', name: 'All' }],
    items,
    interactions: {
      kind: 'purchase',
      users: Array.from({ length: 40 }, (_, u) => `c${u}`),
      user,
      item,
      value: user.map(() => 1),
      timestamp: user.map((_, i) => 1_700_000_000 + i),
    },
  };
}

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A shop with no CSP</title></head>
<body>
<h1>A shop with no CSP</h1>
<script type="module" src="/hushcart/hushcart.js" data-catalog="/hostile/pack.json" data-train="off"></script>
<hushcart-recs id="recs" kind="for-you" limit="${HOSTILE.length}"></hushcart-recs>
</body></html>`;

test('a hostile pack on a shop page with no CSP: every card renders, clicking every card runs nothing', async ({
  page,
}) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const warnings: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'warning') warnings.push(m.text());
  });
  await page.route(`${SHOP_URL}/hostile/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/hostile/pack.json')
      return route.fulfill({ contentType: 'application/json', body: JSON.stringify(hostilePack()) });
    // No Content-Security-Policy header: nothing but HushCart's own rules stands between a link and the page.
    return route.fulfill({ contentType: 'text/html', body: PAGE });
  });
  const response = await page.goto(`${SHOP_URL}/hostile/`);
  expect(response?.headers()['content-security-policy']).toBeUndefined();

  const cards = page.locator('hushcart-recs#recs .card');
  await expect(cards).toHaveCount(HOSTILE.length);
  // The title's markup is text.
  await expect(page.locator('hushcart-recs#recs .item-title', { hasText: '<img src=x' })).toHaveCount(1);
  // Every link is inert: no card points anywhere but '#'.
  const hrefs = await cards.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  expect(hrefs).toEqual(HOSTILE.map(() => '#'));
  // The shop's console says what was dropped, counted.
  expect(warnings.some((w) => w.includes(`${HOSTILE.length} item links dropped`))).toBe(true);

  // Recording paused: a click then changes nothing For you shows, so every card stays where it is to be clicked.
  await page.evaluate(() =>
    (window as unknown as { HushCart: { setRecording(on: boolean): Promise<void> } }).HushCart.setRecording(false),
  );
  let selected = 0;
  await page.exposeFunction('__selected', () => selected++);
  await page.evaluate(() =>
    document.addEventListener('hushcart-select', () => (window as unknown as { __selected(): void }).__selected()),
  );
  for (let i = 0; i < HOSTILE.length; i++) {
    await cards.nth(i).click();
    await cards.nth(i).press('Enter');
  }
  await expect.poll(() => selected).toBe(2 * HOSTILE.length);
  expect(page.url()).toBe(`${SHOP_URL}/hostile/`);
  expect(await page.evaluate(() => (window as unknown as { __ran?: number }).__ran ?? 0)).toBe(0);
  expect(dialogs).toEqual([]);
});
