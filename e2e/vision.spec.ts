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
