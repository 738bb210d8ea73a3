#!/usr/bin/env node
/**
 * `npm start` (after the build): serves the store on http://localhost:4173 and the demo shops that embed the
 * widget on their own origin, http://localhost:4174 (/ and /furniture/), with a strict Content-Security-Policy of exactly the lines a
 * host page needs (scripts/widget-csp.mjs).
 */
import { preview } from 'vite';
import { SHOP_CSP } from './widget-csp.mjs';

const root = new URL('..', import.meta.url).pathname;

// The shop first: once the store answers (what the browser tests wait for), both do.
await preview({
  configFile: false,
  root,
  build: { outDir: 'dist/shop' },
  preview: {
    port: 4174,
    strictPort: true,
    host: 'localhost',
    headers: { 'Content-Security-Policy': SHOP_CSP, 'Referrer-Policy': 'no-referrer' },
  },
});
console.log('Demo shops, plain HTML pages embedding the widget (one script tag each):');
console.log('  Linden Row (clothing, photo search):   http://localhost:4174/');
console.log('  Birch & Brass (furniture, orders):     http://localhost:4174/furniture/');
const store = await preview({ root });
console.log('HushCart store:');
store.printUrls();
