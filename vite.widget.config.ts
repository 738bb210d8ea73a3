/**
 * The embeddable widget's build: `dist/widget/`, a folder a shop copies to its site. `hushcart.js` (the loader)
 * and everything it loads (its chunk, the engine worker, the wasm binaries) are resolved from the script's own URL
 * (base './'), and `data/` holds the general models' training data and word vectors, so nothing comes from
 * another origin and the folder works under any path. `frame.html` and `frame.js` are the isolated mode's frames,
 * for a shop that serves the folder from an origin of its own for HushCart (src/widget/isolated/).
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const OUT = 'dist/widget';

/** The data manifest and the files the general models train on (not the demo store's packs). */
function widgetData(): Plugin {
  return {
    name: 'hushcart-widget-data',
    apply: 'build',
    closeBundle() {
      const from = join(import.meta.dirname, 'public', 'data');
      const to = join(import.meta.dirname, OUT, 'data');
      mkdirSync(join(to, 'packs', 'pantry'), { recursive: true });
      for (const f of ['manifest.json', 'CREDITS.md', 'embeddings', 'lexicons', 'train'])
        cpSync(join(from, f), join(to, f), { recursive: true });
      // The labelled reviews the sentiment model trains on live in the Pantry pack's folder.
      cpSync(join(from, 'packs', 'pantry', 'reviews.json.gz'), join(to, 'packs', 'pantry', 'reviews.json.gz'));
      // The isolated mode's frames (src/widget/isolated/): one page, told in its address which frame it is.
      writeFileSync(
        join(import.meta.dirname, OUT, 'frame.html'),
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>HushCart</title>' +
          '<script type="module" src="./frame.js"></script></head><body></body></html>\n',
      );
    },
  };
}

export default defineConfig({
  base: './',
  publicDir: false,
  plugins: [widgetData()],
  worker: { format: 'es' },
  build: {
    outDir: OUT,
    emptyOutDir: true,
    target: 'es2022',
    // A shop copies the folder: no 20 MB of source maps in it.
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: { hushcart: 'src/widget/hushcart.ts', frame: 'src/widget/isolated/frame.ts' },
      preserveEntrySignatures: 'strict',
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        assetFileNames: 'assets/[name]-[hash][extname]',
      },
    },
  },
});
