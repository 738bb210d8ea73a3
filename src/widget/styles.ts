/**
 * The elements' styles: one constructable stylesheet adopted by every shadow root (no <style> element, no inline
 * style: a host's `style-src 'self'` allows it). `:host { all: initial }` keeps the host page's CSS out; a shop
 * themes through `--hushcart-*` custom properties and `::part()`.
 */
export const CSS = `
:host { all: initial; display: block; box-sizing: border-box; contain: content;
  font-family: var(--hushcart-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
  font-size: var(--hushcart-font-size, 15px); line-height: 1.4; color: var(--hushcart-color, #1d2420); }
:host([hidden]) { display: none; }
*, *::before, *::after { box-sizing: border-box; }
.title { font-weight: 700; font-size: 1.05em; margin: 0 0 0.5em; }
.state { color: var(--hushcart-muted, #5d6862); margin: 0.4em 0; }
.state.error { color: var(--hushcart-error, #a4262c); }
.cards { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--hushcart-gap, 0.75em);
  grid-template-columns: repeat(auto-fill, minmax(var(--hushcart-card-width, 150px), 1fr)); }
.card { display: flex; flex-direction: column; gap: 0.3em; height: 100%; padding: 0.6em; cursor: pointer;
  text-decoration: none; color: inherit; background: var(--hushcart-card-bg, #fff);
  border: 1px solid var(--hushcart-border, #dcdfd8); border-radius: var(--hushcart-radius, 10px); }
.card:hover { border-color: var(--hushcart-accent, #1f6b46); }
.card:focus-visible, button:focus-visible, input:focus-visible, label:focus-within {
  outline: 3px solid var(--hushcart-accent, #1f6b46); outline-offset: 2px; }
.image { width: 100%; aspect-ratio: 1; object-fit: contain; border-radius: calc(var(--hushcart-radius, 10px) - 4px);
  background: var(--hushcart-image-bg, #f3f3ef); }
.placeholder { display: grid; place-items: center; aspect-ratio: 3 / 1; font-size: 1.6em; font-weight: 800;
  color: var(--hushcart-accent, #1f6b46); }
.item-title { font-weight: 600; }
.price { font-weight: 700; }
.reason { color: var(--hushcart-muted, #5d6862); font-size: 0.85em; }
button { font: inherit; color: inherit; cursor: pointer; padding: 0.35em 0.8em; border-radius: 6px;
  background: var(--hushcart-card-bg, #fff); border: 1px solid var(--hushcart-border, #dcdfd8); }
button.primary { background: var(--hushcart-accent, #1f6b46); color: var(--hushcart-accent-fg, #fff);
  border-color: var(--hushcart-accent, #1f6b46); }
input[type='search'] { font: inherit; color: inherit; width: 100%; padding: 0.45em 0.7em; margin: 0 0 0.6em;
  border-radius: 6px; border: 1px solid var(--hushcart-border, #dcdfd8); background: var(--hushcart-card-bg, #fff); }
.row { display: flex; flex-wrap: wrap; gap: 0.5em; align-items: center; margin: 0.5em 0; }
.facts, .interests { margin: 0.3em 0; padding-left: 1.2em; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

let sheet: CSSStyleSheet | null = null;
export function styleSheet(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}
