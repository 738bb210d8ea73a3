#!/usr/bin/env node
/**
 * The demo shop that embeds the widget: a plain HTML page (no React, no framework) of the Superstore Furniture
 * pack (public/data/shops/furniture/pack.json, real order data), written to dist/shop/ with the widget folder
 * copied beside it as a shop would (dist/shop/hushcart/). Run after the widget build; `npm start` serves it.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const out = join(root, 'dist', 'shop');
const pack = JSON.parse(readFileSync(join(root, 'public', 'data', 'shops', 'furniture', 'pack.json'), 'utf8'));

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync(join(root, 'dist', 'widget'), join(out, 'hushcart'), { recursive: true });
writeFileSync(join(out, 'pack.json'), JSON.stringify(pack));

const escape = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const money = (p) => (p ? `$${p.amount.toFixed(2)}` : '');
const byTag = new Map();
for (const it of pack.items) {
  const tag = it.tags?.[0] ?? it.category ?? 'Other';
  byTag.set(tag, [...(byTag.get(tag) ?? []), it]);
}

writeFileSync(
  join(out, 'index.html'),
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Birch &amp; Brass Furniture (a demo shop)</title>
<link rel="stylesheet" href="shop.css">
<link rel="icon" href="data:,">
<script type="module" src="hushcart/hushcart.js" data-catalog="pack.json" data-train="off"></script>
<script type="module" src="shop.js"></script>
</head>
<body>
<header class="shop-header">
  <a class="logo" href="./">Birch &amp; Brass</a>
  <span class="tagline">A demo furniture shop: ${pack.items.length} real products from the Superstore sample orders</span>
</header>
<main>
  <hushcart-search limit="6" placeholder="Search our furniture"></hushcart-search>
  <section id="product" hidden aria-live="polite">
    <h1 id="product-title"></h1>
    <p id="product-facts"></p>
    <p><button type="button" id="add-to-cart">Add to cart</button> <span id="cart-note" role="status"></span></p>
    <hushcart-recs kind="similar" limit="6" id="similar"></hushcart-recs>
    <hushcart-recs kind="fbt" limit="4" id="fbt"></hushcart-recs>
  </section>
  <hushcart-recs kind="for-you" limit="8" id="for-you" heading="Picked for you, on your device"></hushcart-recs>
  <h2>All products</h2>
  ${[...byTag]
    .map(
      ([tag, items]) =>
        `<section class="tag"><h3>${escape(tag)}</h3><ul class="products">${items
          .map(
            (it) =>
              `<li><a href="?item=${encodeURIComponent(it.id)}" data-item-id="${escape(it.id)}">${escape(it.title)}</a> <span class="price">${money(it.price)}</span></li>`,
          )
          .join('')}</ul></section>`,
    )
    .join('\n  ')}
  <hushcart-photo-search limit="6"></hushcart-photo-search>
</main>
<footer>
  <hushcart-privacy></hushcart-privacy>
  <p class="small">Recommendations by HushCart, computed in your browser: nothing about what you do here is sent to this
  shop or anyone else. Data: ${escape(pack.source ?? '')}.</p>
</footer>
</body>
</html>
`,
);

writeFileSync(
  join(out, 'shop.js'),
  `// The shop's own script: it records views and cart additions through window.HushCart, and opens the
// product a recommendation card names (the widget's hushcart-select event).
const params = new URLSearchParams(location.search);
const itemId = params.get('item');
addEventListener('hushcart-select', (e) => {
  e.preventDefault();
  location.search = '?item=' + encodeURIComponent(e.detail.itemId);
});
addEventListener('hushcart-ready', async () => {
  const api = window.HushCart;
  const item = itemId && api.catalog.get(itemId);
  if (!item) return;
  document.getElementById('product').hidden = false;
  document.getElementById('product-title').textContent = item.title;
  document.getElementById('product-facts').textContent =
    [item.tags?.[0], item.price ? '$' + item.price.amount.toFixed(2) : null].filter(Boolean).join(' · ');
  for (const id of ['similar', 'fbt']) document.getElementById(id).setAttribute('item-id', item.id);
  await api.track({ type: 'view', itemId: item.id });
  document.getElementById('add-to-cart').addEventListener('click', async () => {
    await api.track({ type: 'add-to-cart', itemId: item.id, value: 1 });
    document.getElementById('cart-note').textContent = 'Added.';
  });
});
`,
);

writeFileSync(
  join(out, 'shop.css'),
  `body { margin: 0; font-family: Georgia, serif; background: #faf6ef; color: #2b2118; }
.shop-header { display: flex; gap: 1rem; align-items: baseline; padding: 1rem 1.5rem; background: #2b2118; color: #faf6ef; }
.logo { color: #f2c14e; font-size: 1.5rem; font-weight: bold; text-decoration: none; }
main, footer { padding: 1rem 1.5rem; max-width: 72rem; margin: 0 auto; }
/* A shop's own styles that would break a widget without a shadow root: */
li, a, p, span, button { font-size: 17px; letter-spacing: 0.02em; }
.products { columns: 3 18rem; }
.price { color: #7a5c2e; }
hushcart-recs, hushcart-search, hushcart-photo-search, hushcart-privacy { margin: 1.5rem 0; --hushcart-accent: #7a4f1d; --hushcart-radius: 4px; }
hushcart-recs::part(card) { background: #fffdf8; }
.small { font-size: 0.85rem; color: #6b5b4b; }
`,
);
console.log(`demo shop: wrote ${out}`);
