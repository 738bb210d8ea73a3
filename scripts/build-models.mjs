#!/usr/bin/env node
/**
 * Models trained in a browser and shipped beside a catalog, so that a first visit loads them instead of training
 * them: the catalog opened in the store (`pretrain=0`), the model trained there by the app's own code in headless
 * Chromium, then `HushCart.exportModels()` (models only: no events, no settings), kept to the models named, gzipped,
 * and named by the catalog's manifest (`"models": …`; the data hash leaves that field out, so naming it changes
 * nothing else). A model stamped with other data is skipped by the visit that reads it (it trains instead).
 *
 *   node scripts/build-models.mjs clothing   the clothing demo shop's image model (quick recipe, about 5 minutes)
 *   node scripts/build-models.mjs store      the demo store's models: its sequential model (full recipe: three
 *                                            trainings, about 15 minutes) and its general models, the review model and the image model
 *                                            (the quick recipe, as a first visit would train it; about 10 minutes)
 *   node scripts/build-models.mjs store sentiment,embedder
 *                                            only those; the others are kept from the file already there (retraining
 *                                            the sequential model changes the store's measured quality)
 *
 * Run after `npm run build` (WASM here).
 */
/* global window -- page.evaluate's function runs in the browser */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { preview } from 'vite';
import { ensureBrowser } from './browser.mjs';

const root = join(import.meta.dirname, '..');
const data = join(root, 'public', 'data');
const TARGETS = {
  clothing: {
    query: '?backend=wasm&pretrain=0&catalog=/data/shops/clothing/pack.json',
    train: [{ model: 'embedder', recipe: 'quick', id: 'image-embedder-fashion' }],
    manifest: join(data, 'shops', 'clothing', 'pack.json'),
    indent: 2, // as hushcart shop-pack writes it
    out: join(data, 'shops', 'clothing', 'models.json.gz'),
  },
  store: {
    query: '?backend=wasm&pretrain=0',
    // A first visit then loads every model instead of training it: each capability answers within a minute.
    train: [
      { model: 'sequential', recipe: 'full', id: 'sequential:movies' },
      { model: 'sentiment', id: 'sentiment-reviews' },
      { model: 'embedder', recipe: 'quick', id: 'image-embedder-fashion' },
    ],
    manifest: join(data, 'manifest.json'),
    indent: 2, // as scripts/build-data.mjs writes it
    out: join(data, 'models', 'store.json.gz'),
  },
};
const name = process.argv[2];
const target = TARGETS[name];
const only = process.argv[3]?.split(',');
if (!target || (only && !only.every((m) => target.train.some((t) => t.model === m)))) {
  console.error(
    `usage: node scripts/build-models.mjs ${Object.keys(TARGETS).join('|')} [models, comma-separated: train only those]`,
  );
  process.exit(2);
}
const training = target.train.filter((t) => !only || only.includes(t.model));
const kept = target.train.filter((t) => !training.includes(t));
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
  const file = await page.evaluate(async (models) => {
    const api = window.HushCart;
    await api.ready();
    for (const { model, recipe } of models) {
      const timer = setInterval(async () => {
        const s = (await api.status())[model];
        window.progress(`${model}: ${s.phase} ${Math.round(s.fraction * 100)}% ${s.message}`);
      }, 15_000);
      const s = await api.retrain(model, recipe ? { recipe } : {});
      clearInterval(timer);
      if (s.phase !== 'ready') throw new Error(`the ${model} model did not train: ${s.phase} ${s.message}`);
      window.progress(`${model}: ${s.message}`);
    }
    return (await api.exportModels()).text();
  }, training);
  const exported = JSON.parse(file);
  const ids = training.map((t) => t.id);
  const models = (exported.models ?? []).filter((m) => ids.includes(m.meta?.id));
  // The models not trained this time, as the file already there has them.
  if (kept.length) {
    const before = JSON.parse(gunzipSync(readFileSync(target.out)).toString('utf8'));
    for (const { id } of kept) {
      const m = (before.models ?? []).find((x) => x.meta?.id === id);
      if (!m) throw new Error(`${relative(root, target.out)} has no ${id} to keep: train it too`);
      models.push(m);
    }
  }
  const missing = target.train.map((t) => t.id).filter((id) => !models.some((m) => m.meta.id === id));
  if (missing.length) throw new Error(`the export lacks ${missing.join(', ')}`);
  // One order, whichever were trained this time: by id.
  models.sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));
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
    `${name}: wrote ${relative(root, target.out)} (${(gz.length / 1e6).toFixed(1)} MB, ${(text.length / 1e6).toFixed(1)} MB unzipped: ${models.map((m) => m.meta.id).join(', ')})`,
  );
} finally {
  await browser.close();
  server.httpServer.close();
}
