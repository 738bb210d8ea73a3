/**
 * The Content-Security-Policy HushCart is served with: only its own origin, for everything.
 * One source for the preview/dev server header and the <meta> tag injected into index.html,
 * so a shop that hosts the build elsewhere still gets the policy from the page itself.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  // WebAssembly compilation for the tfjs wasm backend; no eval of JavaScript.
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** frame-ancestors only works as a header, never in <meta>. */
export const CSP_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'self'`;
