import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
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

export default defineConfig({
  plugins: [react(), cspMeta()],
  server: { port: 5173, strictPort: true, host: 'localhost', headers: securityHeaders },
  preview: { port: 4173, strictPort: true, host: 'localhost', headers: securityHeaders },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 2000 },
});
