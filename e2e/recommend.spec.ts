/** Recommendations in the real store: cold start, a taste shift with reasons, diversity, similar items. */
import { expect, test } from './fixtures';

const SCI_FI = ['Star Wars: Episode IV - A New Hope', 'Alien', 'Blade Runner'];

test('For you: popular across aisles at first, then science fiction with reasons after three sci-fi ratings', async ({
  page,
  store,
}) => {
  await store.open('/', '?backend=wasm');
  const forYou = page.getByTestId('for-you');
  await expect(forYou.locator('li')).toHaveCount(12);
  // Cold start: a popular selection from more than one aisle, each with its reason.
  const coldIds = await forYou.locator('li').evaluateAll((lis) => lis.map((l) => l.getAttribute('data-item-id') ?? ''));
  expect(new Set(coldIds.map((id) => id.split('-')[0])).size).toBeGreaterThan(1);
  await expect(forYou.getByTestId('reason').first()).toContainText('Popular in');

  const sciFiShare = async () => {
    const recs = await page.evaluate(() => window.HushCart.recommend({ limit: 10 }));
    const genres = await page.evaluate(
      (ids) => ids.map((id) => window.HushCart.catalog.get(id)?.tags ?? []),
      recs.map((r) => r.itemId),
    );
    return { recs, share: genres.filter((g) => g.includes('Sci-Fi')).length / recs.length };
  };
  const before = await sciFiShare();

  for (const title of SCI_FI) {
    await page.goto(`/?backend=wasm#/aisle/movies`);
    const id = await page.evaluate(
      (t) => window.HushCart.catalog.list({ aisle: 'movies', limit: 1000 }).items.find((i) => i.title === t)?.id,
      title,
    );
    expect(id, title).toBeTruthy();
    await page.goto(`/?backend=wasm#/item/${id}`);
    await expect(page.getByTestId('product-title')).toHaveText(title);
    await page.getByRole('button', { name: 'Rate 5 of 5' }).click();
    await expect(page.getByRole('group', { name: /Your rating: 5 of 5/ })).toBeVisible();
  }
  const after = await sciFiShare();
  expect(after.share).toBeGreaterThanOrEqual(0.5);
  expect(after.share).toBeGreaterThan(before.share);
  // Every personal pick is explained by the movies the shopper rated.
  for (const r of after.recs)
    expect(r.reasons.join(' ')).toMatch(/Because you rated (Star Wars: Episode IV - A New Hope|Alien|Blade Runner) 5★/);

  await page.goto('/?backend=wasm#/');
  await expect(forYou.getByTestId('reason').first()).toContainText('Because you rated');
  const plain = await forYou.locator('li').evaluateAll((lis) => lis.map((l) => l.getAttribute('data-item-id')));
  await page.getByLabel('Variety').fill('1');
  await expect
    .poll(async () => forYou.locator('li').evaluateAll((lis) => lis.map((l) => l.getAttribute('data-item-id'))))
    .not.toEqual(plain);
  // The aisle filter keeps to one aisle.
  await page.getByRole('combobox', { name: 'Aisle' }).selectOption('office');
  await expect(forYou.locator('li').first()).toHaveAttribute('data-item-id', /^ss-/);
});

test('adding to the cart re-ranks at once and hides the item; similar items on a product page', async ({
  page,
  store,
}) => {
  await store.open('/', '?backend=wasm');
  await store.ready();
  const first = await page.evaluate(() => window.HushCart.recommend({ limit: 5 }));
  const top = first[0]?.itemId ?? '';
  await page.evaluate((itemId) => window.HushCart.track({ type: 'add-to-cart', itemId }), top);
  const next = await page.evaluate(() => window.HushCart.recommend({ limit: 5 }));
  expect(next.map((r) => r.itemId)).not.toContain(top);
  expect(next[0]?.reasons[0]).toMatch(/^Because you added .* to your cart/);

  await page.goto('/?backend=wasm#/item/ml-1');
  const similar = page.getByTestId('similar');
  await expect(similar.locator('li')).toHaveCount(6);
  await expect(similar.getByTestId('reason').first()).toContainText('Liked by the same people as Toy Story');
  // Office products carry "frequently bought together" from Superstore orders, with support/lift in words.
  await page.goto('/?backend=wasm#/item/ss-OFF-BI-10001575');
  const fbt = page.getByTestId('fbt');
  await expect(fbt.locator('li').first()).toBeVisible();
  await expect(fbt.getByTestId('reason').first()).toContainText(
    /(Bought with .* in \d+ orders by Superstore customers|are often bought with .*: together in \d+ orders) \(.*lift/,
  );
  // Pantry has no interactions: its items are compared by the meaning of their reviews (cold start).
  await page.goto('/?backend=wasm#/item/ff-B000EYLDYE');
  const pantrySimilar = page.getByTestId('similar');
  await expect(pantrySimilar.locator('li')).toHaveCount(6);
  await expect(pantrySimilar.getByTestId('reason').first()).toContainText(
    /Its review reads like the one for Fine Foods product B000EYLDYE \(similarity 0\.\d\d\)/,
  );
  const pantryForYou = await page.evaluate(() => window.HushCart.recommend({ aisle: 'pantry', limit: 3 }));
  expect(pantryForYou).toHaveLength(3);
  expect(pantryForYou[0]?.reasons[0]).toMatch(/^Because you viewed Fine Foods product B000EYLDYE/);
  const bad = await page.evaluate(() => window.HushCart.recommend({ slot: 'similar' }).catch((e: Error) => e.message));
  expect(bad).toMatch(/slot 'similar' needs an itemId/);
});

test('the recommender trains on first visit with progress, is saved, and is loaded (not retrained) on reload', async ({
  page,
  store,
}) => {
  test.setTimeout(300_000);
  await store.open('/', '?backend=wasm');
  await expect(page.getByTestId('model-training-recommender')).toBeVisible();
  await expect
    .poll(async () => (await store.status()).recommender.phase, { timeout: 240_000, intervals: [1000] })
    .toBe('ready');
  const trained = await store.status();
  expect(trained.recommender.source).toBe('trained');
  expect(trained.recommender.losses.length).toBe(10);
  expect(trained.recommender.losses.at(-1)).toBeLessThan(trained.recommender.losses[0] as number);
  expect(trained.models.map((m) => m.id)).toContain('bpr:movies');
  const savedAt = trained.models.find((m) => m.id === 'bpr:movies')?.createdAt;

  await page.reload();
  await expect.poll(async () => (await store.status()).recommender.phase).toBe('ready');
  const loaded = await store.status();
  expect(loaded.recommender.source).toBe('loaded');
  expect(loaded.models.find((m) => m.id === 'bpr:movies')?.createdAt).toBe(savedAt);
  await page.goto('/?backend=wasm#/lab');
  await expect(page.getByTestId('model-state-recommender')).toContainText('Loaded from this device');

  // Taste segments over the trained user vectors; a liked movie places the shopper in one.
  await page.evaluate(() => window.HushCart.track({ type: 'rate', itemId: 'ml-260', value: 5 }));
  const taste = await page.evaluate(() => window.HushCart.taste());
  expect(taste.segments).toHaveLength(8);
  expect(taste.segments.reduce((n, s) => n + s.size, 0)).toBe(671);
  expect(taste.yours).not.toBeNull();
  await page.goto('/?backend=wasm#/my-data');
  await expect(page.getByTestId('taste-yours')).toContainText(/You are closest to segment \d, based on 1 movie you/);
});

test('background retraining: after enough new movie events and a quiet spell, with the shopper as one more user; cancellable', async ({
  page,
  store,
}) => {
  test.setTimeout(240_000);
  await store.open('/', '?backend=wasm&pretrain=0&retrainAfter=3&retrainQuietMs=1500');
  await store.ready();
  const first = await page.evaluate(() => window.HushCart.retrain('recommender', { epochs: 2 }));
  expect(first.phase).toBe('ready');
  const trainedAt = async () => (await store.status()).models.find((m) => m.id === 'bpr:movies')?.createdAt ?? 0;
  const t1 = await trainedAt();
  expect((await store.status()).autoRetrain).toMatchObject({ threshold: 3, pending: 0, running: false });

  // Two movie events and a pantry one: not enough movie events yet.
  for (const e of [
    { type: 'view', itemId: 'ml-260' },
    { type: 'view', itemId: 'ff-B004WJAULO' },
    { type: 'rate', itemId: 'ml-1196', value: 5 },
  ] as const)
    await page.evaluate((ev) => window.HushCart.track(ev), e);
  await page.waitForTimeout(3000);
  expect((await store.status()).autoRetrain.pending).toBe(2);
  expect(await trainedAt()).toBe(t1);

  // The third starts a retrain once the shopper is quiet; it runs in the worker while the store answers.
  await page.evaluate(() => window.HushCart.track({ type: 'view', itemId: 'ml-1210' }));
  await expect.poll(async () => (await store.status()).recommender.phase, { intervals: [200] }).toBe('training');
  const during = await page.evaluate(() => window.HushCart.recommend({ limit: 5 }));
  expect(during).toHaveLength(5);
  await expect.poll(async () => (await store.status()).recommender.phase, { timeout: 120_000 }).toBe('ready');
  expect(await trainedAt()).toBeGreaterThan(t1);
  expect((await store.status()).autoRetrain.pending).toBe(0);

  // Cancelled from the Lab: the model in service stays in service.
  await page.goto('/?backend=wasm&pretrain=0&retrainAfter=3&retrainQuietMs=1500#/lab');
  await expect.poll(async () => (await store.status()).recommender.phase).toBe('ready');
  // The Lab says when each model in service retrains next (the sequential model is the one the store ships).
  await expect(page.getByTestId('auto-retrain-recommender')).toContainText(
    'after 3 new events on its items (0 so far)',
  );
  await expect(page.getByTestId('auto-retrain-sequential')).toContainText('after 100 new events on its items');
  for (const id of ['ml-1', 'ml-2', 'ml-3'])
    await page.evaluate((itemId) => window.HushCart.track({ type: 'view', itemId }), id);
  const stop = page.getByRole('region', { name: 'Recommender model' }).getByRole('button', { name: 'Stop training' });
  await stop.click({ timeout: 30_000 });
  await expect.poll(async () => (await store.status()).recommender.phase).toBe('ready');
  await expect(page.getByTestId('model-state-recommender')).toContainText('kept the previous model');
  expect(await page.evaluate(() => window.HushCart.recommend({ limit: 3 }))).toHaveLength(3);
});

test('items with few or no interactions are compared in their pack item space: by name and category', async ({
  page,
  store,
}) => {
  // ?pretrain=0: the image embedder does not run, so Fashion items have their category and no picture block yet.
  await store.open('/', '?backend=wasm&pretrain=0');
  await store.ready();
  // An Office bookcase ordered once: its co-purchases are one order's worth, so its name and sub-category lead.
  await page.goto('/?backend=wasm&pretrain=0#/item/ss-FUR-BO-10000112');
  const similar = page.getByTestId('similar');
  await expect(similar.locator('li')).toHaveCount(6);
  await expect(similar.getByTestId('reason').first()).toContainText(
    /^Described like Bush Birmingham Collection Bookcase, Dark Cherry \(similarity 0\.\d\d\)/,
  );
  const ids = await similar.locator('li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-item-id')));
  for (const id of ids) expect(id).toMatch(/^ss-FUR-BO-/); // bookcases
  // For you in Office reads the same blend from the shopper's history (the page recorded a view of the bookcase).
  const office = await page.evaluate(() => window.HushCart.recommend({ aisle: 'office', limit: 3 }));
  for (const r of office) expect(r.itemId).toMatch(/^ss-FUR-BO-/);
  expect(office[0]?.reasons[0]).toMatch(/^Because you viewed Bush Birmingham Collection Bookcase, Dark Cherry/);
  // A Fashion item before its picture is embedded: its category, from the first view.
  const fashion = await page.evaluate(async () => {
    await window.HushCart.track({ type: 'view', itemId: 'fm-0' });
    const forYou = await window.HushCart.recommend({ aisle: 'fashion', limit: 5 });
    const similarOnes = await window.HushCart.recommend({ slot: 'similar', itemId: 'fm-0', limit: 3 });
    const category = (id: string) => window.HushCart.catalog.get(id)?.category;
    return {
      categories: [...forYou, ...similarOnes].map((r) => category(r.itemId)),
      forYouReason: forYou[0]?.reasons[0],
      similarReason: similarOnes[0]?.reasons[0],
    };
  });
  expect(fashion.categories).toEqual(Array(8).fill('Ankle boot'));
  expect(fashion.forYouReason).toMatch(/^Because you viewed Ankle boot no\. 1/);
  expect(fashion.similarReason).toMatch(/^In Ankle boot, like Ankle boot no\. 1 \(similarity 1\.00\)/);
});
