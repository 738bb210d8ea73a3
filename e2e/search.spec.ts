/**
 * Search in the store: results as the shopper types in the header box, titles found as typed and misspelled,
 * matched words marked, the intent chip filtering, facets, odd queries answered without a freeze, and the
 * queries and opened results recorded as events on this device.
 */
import { expect, test } from './fixtures';

test.describe.configure({ timeout: 240_000 });

test('search: typed and misspelled titles, highlights, the intent chip, facets, odd queries', async ({
  page,
  store,
}) => {
  await store.open('/', '?backend=wasm&pretrain=0');
  await store.ready();
  const box = page.getByRole('searchbox', { name: 'Search the store' });
  const results = page.getByTestId('search-results').locator('li');

  await box.fill('Toy Story');
  await expect(page).toHaveURL(/#\/search\?q=Toy\+Story/);
  await expect(results.first().locator('.hit-title')).toHaveText('Toy Story');
  await expect(results.first().locator('.hit-title mark')).toHaveText(['Toy', 'Story']);

  await box.fill('Toy Stroy');
  await expect(results.first().locator('.hit-title')).toHaveText('Toy Story');

  // Typed letter by letter: the last word is a prefix while it is being typed.
  await box.fill('');
  await box.pressSequentially('jumanj', { delay: 30 });
  await expect(results.first().locator('.hit-title')).toHaveText('Jumanji');

  // The intent chip names the aisle and category, and filters when clicked.
  await box.fill('office chairs');
  const chip = page.getByTestId('intent-chip');
  await expect(chip).toHaveText('Looking in Office › Furniture?');
  await expect(results.first().locator('.hit-title mark').first()).toBeVisible();
  await chip.click();
  await expect(page).toHaveURL(/aisle=office/);
  await expect(page.getByRole('button', { name: /^Office \(/ })).toHaveAttribute('aria-pressed', 'true');
  const aisles = await results.locator('.card-facts').allTextContents();
  expect(aisles.length).toBeGreaterThan(0);
  expect(aisles.every((t) => t.startsWith('Office'))).toBe(true);
  await page.getByRole('button', { name: 'Clear filters ✕' }).click();
  await expect(page).not.toHaveURL(/aisle=/);

  // A search result opened counts as a search event with the item (feedback for the profile).
  await results.first().locator('.hit-title').click();
  await expect(page.getByTestId('product-title')).toBeVisible();
  await expect
    .poll(async () => (await store.events()).filter((e) => e.type === 'search').map((e) => [e.text, e.itemId ?? null]))
    .toContainEqual(['office chairs', expect.any(String)]);

  // Review text is searched too: Pantry items are known by their reviews.
  await box.fill('bitter coffee');
  await expect(results.first()).toBeVisible();
  await expect(page.getByTestId('search-results').locator('.hit-snippet mark').first()).toBeVisible();

  // Odd queries: punctuation, emoji, nonsense, an empty box, a 10,000-character paste.
  await box.fill('?!…;;');
  await expect(page.getByText('There are no words to search for')).toBeVisible();
  await box.fill('🙂🛒');
  await expect(page.getByText('There are no words to search for')).toBeVisible();
  await box.fill('qqqxzv');
  await expect(page.getByText('Nothing in this catalog matches')).toBeVisible();
  await box.fill('');
  await expect(page.getByText(/Type in the search box above to search 25,928 items/)).toBeVisible();
  const long = await page.evaluate(async () => {
    const t0 = performance.now();
    const r = await window.HushCart.search('chair '.repeat(2000));
    return { ms: performance.now() - t0, truncated: r.truncated, first: r.results[0]?.itemId };
  });
  expect(long.truncated).toBe(true);
  expect(long.first).toBeTruthy();
  await box.fill('lamp '.repeat(300));
  await expect(page.getByTestId('search-summary')).toContainText('Only the first 32 words were searched');

  // Personalised: a switch that re-orders by the profile (off: the same order for everyone).
  await box.fill('bookcase');
  await page.getByTestId('personalised-switch').check();
  await expect(page).toHaveURL(/personal=1/);
  await expect(results.first()).toBeVisible();
  expect((await store.status()).capabilities.search).toEqual({ available: true });
});

test('the assistant: one question of each intent answered with evidence, "I do not know" when it cannot', async ({
  page,
  store,
}) => {
  await store.open('/', '?backend=wasm&pretrain=0');
  await store.ready();
  // A short training of the review model, so that quoted sentences come with how they read.
  expect((await page.evaluate(() => window.HushCart.retrain('sentiment', { epochs: 2 }))).phase).toBe('ready');
  await page.getByRole('link', { name: 'Ask', exact: true }).click();
  const input = page.getByLabel('Your question');
  const last = page.getByTestId('answer').last();
  const ask = async (q: string) => {
    const before = await page.getByTestId('answer').count();
    await input.fill(q);
    await input.press('Enter');
    await expect(page.getByTestId('answer')).toHaveCount(before + 1);
  };

  await ask('Something like Toy Story for a child');
  await expect(last).toHaveAttribute('data-known', 'true');
  await expect(last).toContainText('Items like Toy Story, for “child” first');
  await expect(last.locator('.answer-item')).toHaveCount(6);

  await ask('Compare Heat and Casino');
  await expect(last).toHaveAttribute('data-known', 'true');
  await expect(last.locator('.answer-item')).toHaveText([/Heat/, /Casino/]);

  await ask('Office chairs under $200');
  await expect(last).toHaveAttribute('data-known', 'true');
  await expect(last).toContainText(/office chairs under \$200\.00/);
  const prices = await last.locator('.card-facts').allTextContents();
  expect(prices.every((p) => Number(p.match(/\$([\d.]+)/)?.[1]) <= 200)).toBe(true);

  // Things this catalog does not hold, and nonsense: it says it does not know.
  await ask('sofas under $100');
  await expect(last).toHaveAttribute('data-known', 'false');
  await ask('blarg fnord wibble?');
  await expect(last).toHaveAttribute('data-known', 'false');
  await ask('where is my order');
  await expect(last).toContainText('I cannot see orders');

  // On an item's page: "this" is that item; review sentences quoted with how they read.
  await page.evaluate(() => (location.hash = '#/item/ff-B004WJAU32'));
  await page.getByTestId('ask-about').click();
  await expect(page.getByTestId('ask-context')).toContainText('Fine Foods product B004WJAU32');
  await ask('Is this coffee bitter?');
  await expect(last).toHaveAttribute('data-known', 'true');
  await expect(last.locator('blockquote').first()).toContainText(/bitter/i);
  await expect(last.locator('.card-sentiment').first()).toContainText(/reads (positive|negative)/);
  await ask('What do people like about it?');
  await expect(last).toHaveAttribute('data-known', 'true');
  await expect(last.locator('blockquote').first()).toBeVisible();
  await ask('Is it waterproof?');
  await expect(last).toHaveAttribute('data-known', 'false');

  // Questions are kept on this device as events, like searches.
  const questions = (await store.events()).filter((e) => e.type === 'question').map((e) => e.text);
  expect(questions).toContain('Compare Heat and Casino');
  expect(questions).toContain('Is this coffee bitter?');
});
