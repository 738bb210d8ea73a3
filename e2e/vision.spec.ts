/** Visual search in the real store: trained on the device, photo queries, "more like this", bad files. */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { photoOfTile } from './support/photos';

test.describe.configure({ timeout: 420_000 });

/** A store catalog item's picture as an upload (see ./support/photos.ts). */
const pictureOf = async (page: Page, itemId: string, raw: boolean) =>
  photoOfTile(
    page,
    await page.evaluate((id) => {
      const image = window.HushCart.catalog.get(id)?.image;
      return image && 'sprite' in image ? image.sprite : 0;
    }, itemId),
    raw,
  );

test('visual search: trained on the device, photo queries find the same category, more like this, bad files', async ({
  page,
  store,
  watched,
}) => {
  await store.open('/', '?backend=wasm&pretrain=0');
  await store.ready();
  // One epoch keeps the browser test short; the full training is measured by `npm run bench`.
  const trained = await page.evaluate(() => window.HushCart.retrain('embedder', { epochs: 1 }));
  expect(trained.phase).toBe('ready');

  await page.goto('/?backend=wasm&pretrain=0#/photo');
  const upload = page.getByLabel('Choose a photo');
  const categoryOf = (ids: string[]) =>
    page.evaluate((xs) => xs.map((id) => window.HushCart.catalog.get(id)?.category), ids);

  for (const [itemId, raw, name] of [
    ['fm-2', true, 'trouser.png'],
    ['fm-0', false, 'boot-photo.jpg'],
  ] as const) {
    const [want] = await categoryOf([itemId]);
    await upload.setInputFiles({
      name,
      mimeType: raw ? 'image/png' : 'image/jpeg',
      buffer: await pictureOf(page, itemId, raw),
    });
    await expect(page.getByTestId('photo-category')).toContainText(`Looks like: ${want}`);
    await expect(page.getByTestId('processed')).toBeVisible();
    const ids = await page
      .getByTestId('photo-results')
      .locator('li')
      .evaluateAll((lis) => lis.map((l) => l.getAttribute('data-item-id') ?? ''));
    expect(ids).toHaveLength(12);
    const cats = await categoryOf(ids);
    expect(cats.filter((c) => c === want).length, `${name}: ${cats.join(', ')}`).toBeGreaterThanOrEqual(8);
  }
  // A result links to its product and records the click.
  await page.getByTestId('photo-results').locator('a').first().click();
  await expect(page.getByTestId('product-title')).toBeVisible();
  const [click] = await store.events(2).then((es) => es.filter((e) => e.type === 'click'));
  expect(click).toBeTruthy();

  // More like this on a Fashion product.
  await page.goto('/?backend=wasm&pretrain=0#/item/fm-1');
  const more = page.getByTestId('more-like-this');
  await expect(more.getByTestId('image-category')).toBeVisible();
  const moreIds = await more.locator('li').evaluateAll((lis) => lis.map((l) => l.getAttribute('data-item-id') ?? ''));
  expect(moreIds.length).toBe(6);
  expect(moreIds).not.toContain('fm-1');
  const [pullover] = await categoryOf(['fm-1']);
  expect((await categoryOf(moreIds)).filter((c) => c === pullover).length).toBeGreaterThanOrEqual(4);

  // Bad files: a clear message each, nothing stored.
  await page.goto('/?backend=wasm&pretrain=0#/photo');
  const before = (await store.events(1000)).length;
  const pngHeader = (w: number, h: number) => {
    const b = Buffer.alloc(64);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]).copy(b);
    b.writeUInt32BE(w, 16);
    b.writeUInt32BE(h, 20);
    return b;
  };
  for (const [name, mimeType, buffer, message] of [
    ['notes.txt', 'text/plain', Buffer.from('just some text, not a picture'), /not an image/],
    ['broken.png', 'image/png', pngHeader(400, 300), /could not be decoded/],
    ['huge.png', 'image/png', pngHeader(10_000, 5_000), /50 megapixels/],
    [
      'drawing.svg',
      'image/svg+xml',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><rect width="9" height="9"/></svg>'),
      /SVG/,
    ],
  ] as const) {
    await upload.setInputFiles({ name, mimeType, buffer });
    await expect(page.getByTestId('photo-error')).toContainText(message);
  }
  expect((await store.events(1000)).length).toBe(before);
  // The API says the same to a caller passing something that is not an image at all.
  const err = await page.evaluate(() =>
    window.HushCart.searchImage('photo.jpg' as unknown as Blob).catch((e: Error) => e.message),
  );
  expect(err).toMatch(/File, Blob or ImageBitmap/);

  // A return visit uses the saved model and the cached catalog embeddings: the 10 MB of training pictures are
  // not fetched again.
  const seen = watched.requests.length;
  // (The recorder does see the worker's fetches: the first visit fetched them to train.)
  expect(watched.requests.some((u) => u.includes('fashion-train'))).toBe(true);
  // The extra 36,000 pictures are only for the full model, which nobody asked for.
  expect(watched.requests.filter((u) => u.includes('fashion-train-extra'))).toEqual([]);
  await page.reload();
  await store.ready();
  await expect.poll(async () => (await store.status()).embedder.source, { timeout: 60_000 }).toBe('loaded');
  const cat = await page.evaluate(() => window.HushCart.imageCategory('fm-0'));
  expect(cat?.category).toBeTruthy();
  expect(watched.requests.slice(seen).filter((u) => u.includes('fashion-train'))).toEqual([]);
});

test('the full image model trains from the Lab while the quick one answers; stopping it keeps the quick one', async ({
  page,
  store,
  watched,
}) => {
  await store.open('/', '?backend=wasm&pretrain=0');
  await store.ready();
  expect((await page.evaluate(() => window.HushCart.retrain('embedder', { epochs: 1 }))).recipe).toBe('quick');
  const saved = async () => (await store.models()).find((m) => m.id === 'image-embedder-fashion');
  const quick = await saved();
  expect(quick?.recipe).toBe('quick');
  // Recipes are checked: an unknown one, or one for a model that has none, is refused with the choices.
  const refusals = await page.evaluate(() =>
    Promise.all([
      window.HushCart.retrain('embedder', { recipe: 'huge' as 'full' }).catch((e: Error) => e.message),
      window.HushCart.retrain('recommender', { recipe: 'full' }).catch((e: Error) => e.message),
    ]),
  );
  expect(refusals[0]).toMatch(/unknown recipe 'huge'.*quick, full/);
  expect(refusals[1]).toMatch(/'recommender' has no recipes \(models with recipes: sequential, embedder\)/);

  await page.goto('/?backend=wasm&pretrain=0#/lab');
  const panel = page.getByRole('region', { name: 'Image embedder' });
  await panel.getByRole('button', { name: 'Train the full model' }).click();
  await expect(panel.getByTestId('model-in-service-embedder')).toBeVisible();
  await expect(panel.getByRole('progressbar', { name: 'Image embedder training progress' })).toBeVisible();
  await expect
    .poll(() => watched.requests.some((u) => u.includes('fashion-train-extra')), { timeout: 60_000 })
    .toBe(true);
  // Meanwhile the quick model still answers a photo query, and "more like this".
  const during = await page.evaluate(async () => {
    const res = await fetch('data/packs/fashion/sprite.png');
    const sprite = await createImageBitmap(await res.blob());
    const c = new OffscreenCanvas(28, 28);
    (c.getContext('2d') as OffscreenCanvasRenderingContext2D).drawImage(sprite, 28 * 2, 0, 28, 28, 0, 0, 28, 28);
    const r = await window.HushCart.searchImage(await c.convertToBlob({ type: 'image/png' }), { limit: 5 });
    const like = await window.HushCart.moreLikeThis('fm-1', { limit: 3 });
    return { results: r.results.length, like: like.length, phase: (await window.HushCart.status()).embedder.phase };
  });
  expect(during).toEqual({ results: 5, like: 3, phase: 'training' });

  await panel.getByRole('button', { name: 'Stop training' }).click();
  await expect(panel.getByTestId('model-state-embedder')).toContainText('kept the previous model', {
    timeout: 60_000,
  });
  const after = await store.status();
  expect(after.embedder.phase).toBe('ready');
  expect(after.embedder.recipe).toBe('quick');
  expect((await saved())?.createdAt).toBe(quick?.createdAt);
  await expect(panel.getByRole('button', { name: 'Train the full model' })).toBeEnabled();
});
