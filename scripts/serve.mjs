#!/usr/bin/env node
/**
 * `npm start` (after the build): serves the store on http://localhost:4173 and the demo shops that embed the
 * widget on their own origin, http://localhost:4174 (/ and /furniture/), with a strict Content-Security-Policy of exactly the lines a
 * host page needs (scripts/widget-csp.mjs). The isolated demo, http://localhost:4174/isolated/, loads the widget from
 * a third origin, http://localhost:4175, as a shop would from an origin of its own for HushCart: the shopper's data
 * and personal lists live in frames of that origin.
 */
import { preview } from 'vite';
import { DEMO_SHOP_ORIGIN, ISOLATED_SHOP_CSP, SHOP_CSP, widgetOriginCsp } from './widget-csp.mjs';

const root = new URL('..', import.meta.url).pathname;

/** A static server of dist/shop/ whose Content-Security-Policy depends on the path. */
const shopServer = (port, csp) =>
  preview({
    configFile: false,
    root,
    build: { outDir: 'dist/shop' },
    plugins: [
      {
        name: 'hushcart-csp-by-path',
        configurePreviewServer(server) {
          server.middlewares.use((req, res, next) => {
            res.setHeader('Content-Security-Policy', csp(req.url ?? '/'));
            res.setHeader('Referrer-Policy', 'no-referrer');
            next();
          });
        },
      },
    ],
    preview: { port, strictPort: true, host: 'localhost' },
  });

// The shops first: once the store answers (what the browser tests wait for), all do.
await shopServer(4174, (url) => (url.startsWith('/isolated/') ? ISOLATED_SHOP_CSP : SHOP_CSP));
// The widget's own origin for the isolated demo: the same folder, its frames embeddable by the shop's pages only.
await shopServer(4175, () => widgetOriginCsp(DEMO_SHOP_ORIGIN));
console.log('Demo shops, plain HTML pages embedding the widget (one script tag each):');
console.log('  Linden Row (clothing, photo search):   http://localhost:4174/');
console.log('  Birch & Brass (furniture, orders):     http://localhost:4174/furniture/');
console.log('  Birch & Brass, isolated mode (the widget from http://localhost:4175): http://localhost:4174/isolated/');
const store = await preview({ root });
console.log('HushCart store:');
store.printUrls();
