#!/usr/bin/env node
/**
 * The models the clothing demo shop ships beside its pack (public/data/shops/clothing/models.json), trained the way
 * a shop owner would: the pack opened in the store (`?catalog=…&pretrain=0`), the image model trained there by the
 * app's own code in headless Chromium (the quick recipe, what a first visit would otherwise train for minutes),
 * then `HushCart.exportModels()`: models only, no events, no settings. The pack's manifest then names the file
 * (`"models": "models.json"`; the catalog's data hash leaves that field out, so naming it changes nothing else).
 * Run after `npm run build`: `node scripts/build-shop-models.mjs` (about 5 minutes on WASM here).
 */
/* global window -- page.evaluate's function runs in the browser */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { preview } from 'vite';
import { ensureBrowser } from './browser.mjs';

const root = join(import.meta.dirname, '..');
const shop = join(root, 'public', 'data', 'shops', 'clothing');
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
  await page.goto(`http://localhost:${PORT}/?backend=wasm&pretrain=0&catalog=/data/shops/clothing/pack.json`);
  await page.waitForFunction(() => 'HushCart' in window, undefined, { timeout: 120_000 });
  await page.exposeFunction('progress', (line) => console.log(line));
  const file = await page.evaluate(async () => {
    const api = window.HushCart;
    await api.ready();
    const timer = setInterval(async () => {
      const s = (await api.status()).embedder;
      window.progress(`image model: ${s.phase} ${Math.round(s.fraction * 100)}% ${s.message}`);
    }, 15_000);
    const s = await api.retrain('embedder', { recipe: 'quick' });
    clearInterval(timer);
    if (s.phase !== 'ready') throw new Error(`the image model did not train: ${s.phase} ${s.message}`);
    return (await api.exportModels()).text();
  });
  const models = JSON.parse(file).models ?? [];
  // Gzipped: the image model's reference embeddings (21,600 x 64 floats) are most of it, 8.8 MB as JSON.
  const gz = gzipSync(file, { level: 9 });
  writeFileSync(join(shop, 'models.json.gz'), gz);
  rmSync(join(shop, 'models.json'), { force: true });
  const packPath = join(shop, 'pack.json');
  const pack = JSON.parse(readFileSync(packPath, 'utf8'));
  writeFileSync(packPath, JSON.stringify({ ...pack, models: 'models.json.gz' }));
  const ids = models.map((m) => m.meta?.id ?? '?').join(', ');
  console.log(
    `clothing shop: wrote models.json.gz (${(gz.length / 1e6).toFixed(1)} MB, ${(file.length / 1e6).toFixed(1)} MB unzipped: ${ids})`,
  );
} finally {
  await browser.close();
  server.httpServer.close();
}
