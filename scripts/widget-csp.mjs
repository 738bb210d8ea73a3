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

/**
 * The isolated mode (the widget's folder served from an origin of the shop's own for HushCart, `widgetOrigin`):
 * the shop's page needs only the loader's script and the frames; the engine, its worker, its wasm and the catalog's
 * requests are the frames', under the widget origin's own policy.
 */
export const isolatedHostCspLines = (widgetOrigin) => [
  `script-src 'self' ${widgetOrigin}`, // the loader and its chunk, from the widget's origin
  `frame-src ${widgetOrigin}`, // the house frame and one frame per element
];
/** The policy the widget's origin serves its folder with: its frames may be embedded by the shop's pages only. */
export const widgetOriginCsp = (shopOrigin) =>
  [
    "default-src 'self'",
    ...WIDGET_CSP_LINES,
    "object-src 'none'",
    "base-uri 'self'",
    `frame-ancestors ${shopOrigin}`, // no other site may frame them
  ].join('; ');

/** The demo: the shop on :4174, the widget's own origin on :4175 (scripts/serve.mjs). */
export const DEMO_WIDGET_ORIGIN = 'http://localhost:4175';
export const DEMO_SHOP_ORIGIN = 'http://localhost:4174';
export const ISOLATED_SHOP_CSP = [
  "default-src 'self'",
  ...isolatedHostCspLines(DEMO_WIDGET_ORIGIN),
  "connect-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
].join('; ');
