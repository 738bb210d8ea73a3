/**
 * The Content-Security-Policy lines a shop's page needs for the HushCart widget (no 'unsafe-inline' for scripts or
 * styles, no other origin): the demo shop is served with exactly these, and its browser test checks that nothing
 * is blocked and nothing leaves the origin.
 */
export const WIDGET_CSP_LINES = [
  "script-src 'self' 'wasm-unsafe-eval'", // the loader, its chunk and the tfjs wasm backend
  "worker-src 'self'", // the engine worker
  "connect-src 'self'", // the catalog pack and the general models' data, from the widget's folder
  "img-src 'self' data: blob:", // item pictures (same origin or data: URLs)
  "style-src 'self'", // the shop's own stylesheets; the widget's styles are constructable stylesheets
];
export const SHOP_CSP = ["default-src 'self'", ...WIDGET_CSP_LINES, "object-src 'none'", "base-uri 'self'"].join('; ');
