/** Review sentiment in the real store: trained in the worker, scored reviews with highlights, live typing, bad input. */
import { expect, test } from './fixtures';

test.describe.configure({ timeout: 300_000 });

test('sentiment: trained on the device, reviews scored with highlights, live reading flips, a review counts as feedback', async ({
  page,
  store,
}) => {
  // Skip the recommender's pretraining; train only the sentiment model here.
  await store.open('/', '?backend=wasm&pretrain=0');
  await store.ready();
  // Not pretrained on this visit: the Lab offers to train it.
  await page.goto('/?backend=wasm&pretrain=0#/lab');
  const panel = page.getByRole('region', { name: 'Review sentiment model' });
  await expect(panel.getByRole('button', { name: 'Train on this device' })).toBeEnabled();
  const trained = await page.evaluate(() => window.HushCart.retrain('sentiment'));
  expect(trained.phase).toBe('ready');
  expect(trained.source).toBe('trained');
  expect(trained.validation?.length).toBeGreaterThan(0);

  // A Pantry page shows the review with the model's label and its driving words highlighted.
  await page.goto('/?backend=wasm&pretrain=0#/item/ff-B004WJAULO');
  const review = page.getByTestId('review');
  await expect(review.getByTestId('sentiment-label')).toHaveAttribute('data-label', 'negative');
  const marks = review.locator('mark');
  expect(await marks.count()).toBeGreaterThan(0);
  const weights = await marks.evaluateAll((ms) =>
    ms.map((m) => ({ text: m.textContent ?? '', weight: Number(m.getAttribute('data-weight')) })),
  );
  // "bad" in "This tastes so bad" pushes toward negative.
  expect(weights.find((w) => w.text.toLowerCase() === 'bad')?.weight).toBeLessThan(0);

  // Live reading while typing.
  const box = page.getByRole('textbox', { name: /Read on this device/ });
  const live = page.getByTestId('live-sentiment');
  await box.fill('Absolutely delicious, the best coffee I have ever had. I love it and will buy again!');
  await expect(live.getByTestId('sentiment-label')).toHaveAttribute('data-label', 'positive');
  await box.fill('Terrible. It tasted stale and awful, a waste of money. I would not buy it again.');
  await expect(live.getByTestId('sentiment-label')).toHaveAttribute('data-label', 'negative');
  await page.getByRole('button', { name: 'Save review' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved your review' })).toContainText('reads negative');
  const [ev] = await store.events(1);
  expect(ev).toMatchObject({ type: 'review', itemId: 'ff-B004WJAULO' });
  expect(ev?.value).toBeLessThan(0.5);

  // Other languages: a result, flagged as saying little.
  await box.fill('Ce café est vraiment délicieux, je le recommande vivement à tout le monde.');
  await expect(live.getByTestId('sentiment-unknown')).toBeVisible();
  // Too long to store: a clear message, saving disabled.
  await box.fill('good '.repeat(4_100));
  await expect(live).toContainText('at most 20,000 characters');
  await expect(page.getByRole('button', { name: 'Save review' })).toBeDisabled();
  await box.fill('');
  await expect(page.getByRole('button', { name: 'Save review' })).toBeDisabled();

  // The API on awkward input: emoji only, HTML, empty, 100,000 characters; no freeze, sensible results.
  const r = await page.evaluate(async () => {
    const api = window.HushCart;
    const t0 = performance.now();
    const [emoji, html, empty, huge] = await api.sentiment([
      '😍😍👍',
      '<p>Not good.<br/>Never again &amp; <b>avoid</b></p>',
      '',
      'tasty '.repeat(20_000),
    ]);
    const ms = performance.now() - t0;
    const bad = await api.sentiment(42 as unknown as string).catch((e: Error) => e.message);
    return {
      emoji,
      html,
      empty,
      huge: { label: huge?.label, truncated: huge?.truncated, n: huge?.tokens.length },
      ms,
      bad,
    };
  });
  expect(r.emoji?.label).toBe('positive');
  expect(r.html?.label).toBe('negative');
  expect(r.html?.text).not.toContain('<');
  expect(r.empty?.tokens).toEqual([]);
  expect(r.huge.truncated).toBe(true);
  expect(r.huge.n).toBeGreaterThan(10_000);
  expect(r.ms).toBeLessThan(30_000);
  expect(r.bad).toMatch(/string or an array/);

  // Reload: the saved model is used, not trained again.
  await page.reload();
  await store.ready();
  await expect.poll(async () => (await store.status()).sentiment.phase, { timeout: 30_000 }).toBe('ready');
  expect((await store.status()).sentiment.source).toBe('loaded');
});
