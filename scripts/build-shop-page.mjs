#!/usr/bin/env node
/**
 * The demo shops that embed the widget: plain HTML pages (no React, no framework), written to dist/shop/ with the
 * widget folder copied beside them as a shop would (dist/shop/hushcart/). `npm start` serves dist/shop/ on its own
 * origin (scripts/serve.mjs):
 * - `/`: "Linden Row", clothing, the clothing pack (800 Fashion-MNIST pictures): photo search, Similar items by
 *   look, and the image model the pack ships (models.json, trained in a browser by scripts/build-models.mjs);
 * - `/furniture/`: "Birch & Brass", the furniture pack (built by hushcart shop-pack from the Superstore orders: counts,
 *   no order line): bought together, For you by what many customers bought.
 * Run after the widget build.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_WIDGET_ORIGIN } from './widget-csp.mjs';

const root = join(import.meta.dirname, '..');
const out = join(root, 'dist', 'shop');
const shops = join(root, 'public', 'data', 'shops');

/** Each demo shop: where it is served, its pack, its name and what its pages show. */
const SHOPS = [
  {
    dir: '',
    pack: 'clothing',
    name: 'Linden Row',
    tagline: (n) => `A demo clothing shop: ${n} real article thumbnails from Fashion-MNIST`,
    searchPlaceholder: 'Search our clothes',
    /** Items listed on the home page, per department (search and photo search find the rest). */
    listed: 8,
    photoSearchFirst: true,
    boughtTogether: false,
  },
  {
    dir: 'furniture',
    pack: 'furniture',
    name: 'Birch & Brass',
    tagline: (n) => `A demo furniture shop: ${n} real products from the Superstore sample orders`,
    searchPlaceholder: 'Search our furniture',
    listed: Infinity,
    photoSearchFirst: false,
    boughtTogether: true,
  },
  {
    // The same shop in the widget's isolated mode: the script from the widget's own origin (scripts/serve.mjs), so the
    // shopper's data and personal lists live in frames of that origin and this page gets only track/consent/item.
    dir: 'isolated',
    pack: 'furniture',
    name: 'Birch & Brass',
    tagline: (n) => `A demo furniture shop, HushCart isolated from this page's scripts: ${n} real Superstore products`,
    searchPlaceholder: 'Search our furniture',
    listed: Infinity,
    photoSearchFirst: false,
    boughtTogether: true,
    widgetOrigin: DEMO_WIDGET_ORIGIN,
    unlisted: true,
  },
];

const escape = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
/** The demo shops a page links to (the isolated variant of a shop is reached by its address). */
const others = (shop) => SHOPS.filter((s) => s !== shop && !s.unlisted && s.pack !== shop.pack);
const money = (p) => (p ? `$${p.amount.toFixed(2)}` : '');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync(join(root, 'dist', 'widget'), join(out, 'hushcart'), { recursive: true });

for (const shop of SHOPS) {
  const dir = join(out, shop.dir);
  const up = shop.dir ? '../' : '';
  mkdirSync(dir, { recursive: true });
  const pack = JSON.parse(readFileSync(join(shops, shop.pack, 'pack.json'), 'utf8'));
  writeFileSync(join(dir, 'pack.json'), JSON.stringify(pack));
  // The files the manifest names (a shop pack built by hushcart shop-pack names its items and aggregates).
  for (const field of ['items', 'interactions', 'aggregates', 'reviews', 'models'])
    if (typeof pack[field] === 'string') cpSync(join(shops, shop.pack, pack[field]), join(dir, pack[field]));
  const items =
    typeof pack.items === 'string' ? JSON.parse(readFileSync(join(shops, shop.pack, pack.items), 'utf8')) : pack.items;
  const byTag = new Map();
  for (const it of items) {
    const tag = it.tags?.[0] ?? it.category ?? 'Other';
    byTag.set(tag, [...(byTag.get(tag) ?? []), it]);
  }
  const picture = (it) =>
    it.image?.url ? `<img class="thumb" src="${escape(it.image.url)}" alt="" width="56" height="56">` : '';
  const product = (it) =>
    `<li><a href="?item=${encodeURIComponent(it.id)}" data-item-id="${escape(it.id)}">${picture(it)}${escape(it.title)}</a> <span class="price">${money(it.price)}</span></li>`;
  /** A department's items, one category after another in turn (a short listing shows each of its kinds). */
  const byCategory = (items) => {
    const groups = new Map();
    for (const it of items) groups.set(it.category, [...(groups.get(it.category) ?? []), it]);
    const out = [];
    for (let k = 0; out.length < items.length; k++) for (const g of groups.values()) if (g[k]) out.push(g[k]);
    return out;
  };
  const listing = [...byTag]
    .map(([tag, items]) => {
      const more = items.length - Math.min(items.length, shop.listed);
      return `<section class="tag"><h3>${escape(tag)}</h3><ul class="products">${byCategory(items)
        .slice(0, shop.listed)
        .map(product)
        .join('')}</ul>${more ? `<p class="small">and ${more} more: search, or search by photo.</p>` : ''}</section>`;
    })
    .join('\n  ');
  const photoSearch = '<hushcart-photo-search limit="6"></hushcart-photo-search>';
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(shop.name)} (a demo shop)</title>
<link rel="stylesheet" href="${up}shop.css">
<link rel="icon" href="data:,">
${
  shop.widgetOrigin
    ? `<script type="module" src="${shop.widgetOrigin}/hushcart/hushcart.js" data-catalog="${shop.widgetOrigin}/${shop.pack}/pack.json"></script>`
    : `<script type="module" src="${up}hushcart/hushcart.js" data-catalog="pack.json"></script>`
}
<script type="module" src="${up}shop.js"></script>
</head>
<body class="shop-${escape(shop.pack)}">
<header class="shop-header">
  <h1 class="name"><a class="logo" href="./">${escape(shop.name)}</a></h1>
  <span class="tagline">${escape(shop.tagline(items.length))}</span>
</header>
<main>
  <hushcart-search limit="6" placeholder="${escape(shop.searchPlaceholder)}"></hushcart-search>
  ${shop.photoSearchFirst ? photoSearch : ''}
  <section id="product" hidden aria-live="polite">
    <h2 id="product-title"></h2>
    <p id="product-picture"></p>
    <p id="product-facts"></p>
    <p><button type="button" id="add-to-cart">Add to cart</button> <span id="cart-note" role="status"></span></p>
    <hushcart-recs kind="similar" limit="6" id="similar"></hushcart-recs>
    ${shop.boughtTogether ? '<hushcart-recs kind="fbt" limit="4" id="fbt"></hushcart-recs>' : ''}
  </section>
  <hushcart-recs kind="for-you" limit="8" id="for-you" heading="Picked for you, on your device"></hushcart-recs>
  <h2>All products</h2>
  ${listing}
  ${shop.photoSearchFirst ? '' : photoSearch}
</main>
<footer>
  <hushcart-privacy></hushcart-privacy>
  <p class="small">Recommendations by HushCart, computed in your browser: nothing about what you do here is sent to this
  shop or anyone else. Data: ${escape(pack.source ?? '')}.${
    others(shop).length
      ? ` Our other demo shop${others(shop).length > 1 ? 's' : ''}: ${others(shop)
          .map((s) => `<a href="${up}${s.dir ? `${s.dir}/` : ''}">${escape(s.name)}</a>`)
          .join(', ')}.`
      : ''
  }</p>
</footer>
</body>
</html>
`,
  );
}

writeFileSync(
  join(out, 'shop.js'),
  `// The shops' own script: it records views and cart additions through window.HushCart, and opens the
// product a recommendation card names (the widget's hushcart-select event).
const params = new URLSearchParams(location.search);
const itemId = params.get('item');
addEventListener('hushcart-select', (e) => {
  e.preventDefault();
  location.search = '?item=' + encodeURIComponent(e.detail.itemId);
});
addEventListener('hushcart-ready', async () => {
  const api = window.HushCart;
  // (In the isolated mode the page holds no catalog: it asks for the item, public data, by id.)
  const item = itemId && (api.isolated ? await api.item(itemId) : api.catalog.get(itemId));
  if (!item) return;
  document.getElementById('product').hidden = false;
  document.getElementById('product-title').textContent = item.title;
  if (item.image && item.image.url) {
    const img = document.createElement('img');
    img.className = 'picture';
    img.src = item.image.url;
    img.alt = item.title;
    document.getElementById('product-picture').append(img);
  }
  document.getElementById('product-facts').textContent =
    [item.tags?.[0], item.category, item.price ? '$' + item.price.amount.toFixed(2) : null]
      .filter((x, k, all) => x && all.indexOf(x) === k)
      .join(' · ');
  for (const id of ['similar', 'fbt']) document.getElementById(id)?.setAttribute('item-id', item.id);
  // The shop's cart works whatever HushCart says: recording paused, or no consent yet, only means nothing is kept.
  document.getElementById('add-to-cart').addEventListener('click', () => {
    void api.track({ type: 'add-to-cart', itemId: item.id, value: 1 }).catch(() => undefined);
    document.getElementById('cart-note').textContent = 'Added.';
  });
  await api.track({ type: 'view', itemId: item.id }).catch(() => undefined);
});
`,
);

writeFileSync(
  join(out, 'shop.css'),
  `body { margin: 0; font-family: Georgia, serif; background: #faf6ef; color: #2b2118; }
.shop-header { display: flex; gap: 1rem; align-items: baseline; padding: 1rem 1.5rem; background: #2b2118; color: #faf6ef; }
.name { margin: 0; font-size: 1.5rem; }
.logo { color: #f2c14e; font-size: 1.5rem; font-weight: bold; text-decoration: none; }
main, footer { padding: 1rem 1.5rem; max-width: 72rem; margin: 0 auto; }
/* A shop's own styles that would break a widget without a shadow root: */
li, a, p, span, button { font-size: 17px; letter-spacing: 0.02em; }
.products { columns: 3 18rem; }
.price { color: #7a5c2e; }
hushcart-recs, hushcart-search, hushcart-photo-search, hushcart-privacy { margin: 1.5rem 0; --hushcart-accent: #7a4f1d; --hushcart-radius: 4px; }
hushcart-recs::part(card) { background: #fffdf8; }
.small { font-size: 0.85rem; color: #6b5b4b; }
/* Fashion-MNIST thumbnails are 28x28: shown larger, pixel for pixel. */
.thumb, .picture, .shop-clothing hushcart-recs::part(image) { image-rendering: pixelated; }
.thumb { vertical-align: middle; margin-right: 0.5rem; border-radius: 3px; }
.picture { width: 168px; height: 168px; border-radius: 6px; }
.shop-clothing { background: #f3f5f7; color: #1d2530; }
.shop-clothing .shop-header { background: #1d2530; }
.shop-clothing .logo { color: #9fd3c7; }
.shop-clothing .products { columns: 4 14rem; list-style: none; padding: 0; }
.shop-clothing .products li { margin: 0 0 0.5rem; }
.shop-clothing hushcart-recs, .shop-clothing hushcart-search, .shop-clothing hushcart-photo-search { --hushcart-accent: #24606e; }
`,
);
console.log(`demo shops: wrote ${out} (${SHOPS.map((s) => `/${s.dir}`).join(', ')})`);
