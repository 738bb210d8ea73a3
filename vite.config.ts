import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { CONTENT_SECURITY_POLICY, CSP_HEADER } from './csp.config.ts';

const securityHeaders = {
  'Content-Security-Policy': CSP_HEADER,
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Permissions-Policy': 'interest-cohort=()',
};

/** Puts the CSP into index.html too, so any static host serves the page with it. */
function cspMeta(): Plugin {
  return {
    name: 'hushcart-csp-meta',
    transformIndexHtml: {
      order: 'pre',
      handler: () => [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
          injectTo: 'head-prepend',
        },
      ],
    },
  };
}

/**
 * Offline use, by Workbox (vite-plugin-pwa), not hand-written caching: the service worker precaches the app shell,
 * the engine worker, the wasm binaries (not in Workbox's default glob) and the catalog's data, so the store opens
 * and recommends with the network off after one visit, reload included (the models the store ships too: a reload
 * offline reads them again). The general models' training sets (26 MB, needed only to train) are cached the first
 * time they are fetched instead. A new deployment waits for the shopper to accept it (the app's "Reload to update"
 * prompt).
 */
const offline = VitePWA({
  registerType: 'prompt',
  injectRegister: null, // registered by the app (src/app/sw-update.ts): no inline script under the CSP
  manifest: false,
  workbox: {
    globPatterns: ['**/*.{js,css,html,svg,wasm}', 'data/*.{json,md}', 'data/{packs,embeddings,lexicons,models}/**/*'],
    globIgnores: ['**/*.map'],
    // The sprite (3.9 MB), the bundles and the store's shipped models (15.1 MB: the review and image models and the
    // sequential model's three trainings) are over Workbox's 2 MiB default; a file over this limit would be left out
    // of the offline copy without an error.
    maximumFileSizeToCacheInBytes: 24 * 2 ** 20,
    navigateFallback: 'index.html',
    clientsClaim: true,
    runtimeCaching: [
      {
        urlPattern: ({ url }) => url.pathname.includes('/data/train/'),
        handler: 'CacheFirst',
        options: {
          cacheName: 'hushcart-training-data' /* TRAINING_DATA_CACHE, src/store/space.ts */,
          expiration: { maxEntries: 20 },
        },
      },
    ],
  },
});

export default defineConfig({
  plugins: [react(), cspMeta(), offline],
  // The shop page's pack builder parses CSV in a worker: csv-parse's browser build (Node's streams bundled in).
  resolve: { alias: [{ find: /^csv-parse$/, replacement: 'csv-parse/browser/esm' }] },
  server: { port: 5173, strictPort: true, host: 'localhost', headers: securityHeaders },
  preview: { port: 4173, strictPort: true, host: 'localhost', headers: securityHeaders },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 2000 },
});
