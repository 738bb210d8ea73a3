/**
 * The `hushcart` command line (`npm run shop-pack`, and the package's bin): src/shop-pack/main.ts bundled for
 * Node to dist/cli/hushcart.mjs. Dependencies stay imports (resolved from node_modules at run time).
 */
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  build: {
    ssr: 'src/shop-pack/main.ts',
    outDir: 'dist/cli',
    emptyOutDir: true,
    target: 'node20',
    sourcemap: false,
    rollupOptions: { output: { entryFileNames: 'hushcart.mjs', format: 'es', banner: '#!/usr/bin/env node' } },
  },
});
