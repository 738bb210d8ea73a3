#!/usr/bin/env node
/**
 * Models trained in a browser and shipped beside a catalog, so that a first visit loads them instead of training
 * them: the catalog opened in the store (`pretrain=0`), the model trained there by the app's own code in headless
 * Chromium, then `HushCart.exportModels()` (models only: no events, no settings), kept to the models named, gzipped,
 * and named by the catalog's manifest (`"models": …`; the data hash leaves that field out, so naming it changes
 * nothing else). A model stamped with other data is skipped by the visit that reads it (it trains instead).
 *
 *   node scripts/build-models.mjs clothing   the clothing demo shop's image model (quick recipe, about 5 minutes)
 *   node scripts/build-models.mjs store      the demo store's sequential model (full recipe, about 5 minutes)
 *
 * Run after `npm run build` (WASM here).
 */
/* global window -- page.evaluate's function runs in the browser */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { preview } from 'vite';
import { ensureBrowser } from './browser.mjs';

const root = join(import.meta.dirname, '..');
const data = join(root, 'public', 'data');
const TARGETS = {
  clothing: {
    query: '?backend=wasm&pretrain=0&catalog=/data/shops/clothing/pack.json',
    model: 'embedder',
    recipe: 'quick',
    ids: ['image-embedder-fashion'],
    manifest: join(data, 'shops', 'clothing', 'pack.json'),
    indent: 0, // the pack file is one line
    out: join(data, 'shops', 'clothing', 'models.json.gz'),
  },
  store: {
    query: '?backend=wasm&pretrain=0',
    model: 'sequential',
    recipe: 'full',
    ids: ['sequential:movies'],
    manifest: join(data, 'manifest.json'),
    indent: 2, // as scripts/build-data.mjs writes it
    out: join(data, 'models', 'store.json.gz'),
  },
};
const name = process.argv[2];
const target = TARGETS[name];
if (!target) {
  console.error(`usage: node scripts/build-models.mjs ${Object.keys(TARGETS).join('|')}`);
  process.exit(2);
}
const PORT = 4183;

const server = await preview({ root, logLevel: 'warn', preview: { port: PORT, strictPort: true, host: 'localhost' } });
const found = await ensureBrowser();
const browser = await chromium.launch({
  ...(found.path ? { executablePath: found.path } : {}),
  args: ['--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto(`http://localhost:${PORT}/${target.query}`);
  await page.waitForFunction(() => 'HushCart' in window, undefined, { timeout: 120_000 });
  await page.exposeFunction('progress', (line) => console.log(line));
  const file = await page.evaluate(async ({ model, recipe }) => {
    const api = window.HushCart;
    await api.ready();
    const timer = setInterval(async () => {
      const s = (await api.status())[model];
      window.progress(`${model}: ${s.phase} ${Math.round(s.fraction * 100)}% ${s.message}`);
    }, 15_000);
    const s = await api.retrain(model, { recipe });
    clearInterval(timer);
    if (s.phase !== 'ready') throw new Error(`the ${model} model did not train: ${s.phase} ${s.message}`);
    window.progress(`${model}: ${s.message}`);
    return (await api.exportModels()).text();
  }, target);
  const exported = JSON.parse(file);
  const models = (exported.models ?? []).filter((m) => target.ids.includes(m.meta?.id));
  const missing = target.ids.filter((id) => !models.some((m) => m.meta.id === id));
  if (missing.length) throw new Error(`the export lacks ${missing.join(', ')}`);
  const text = JSON.stringify({ ...exported, models });
  const gz = gzipSync(text, { level: 9 });
  mkdirSync(dirname(target.out), { recursive: true });
  writeFileSync(target.out, gz);
  const manifest = JSON.parse(readFileSync(target.manifest, 'utf8'));
  const path = relative(dirname(target.manifest), target.out);
  const named = JSON.stringify({ ...manifest, models: path }, null, target.indent);
  writeFileSync(target.manifest, target.indent ? `${named}\n` : named);
  rmSync(target.out.replace(/\.gz$/, ''), { force: true });
  console.log(
    `${name}: wrote ${relative(root, target.out)} (${(gz.length / 1e6).toFixed(1)} MB, ${(text.length / 1e6).toFixed(1)} MB unzipped: ${target.ids.join(', ')})`,
  );
} finally {
  await browser.close();
  server.httpServer.close();
}
