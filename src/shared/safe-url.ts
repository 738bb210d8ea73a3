/**
 * Where a string from a catalog may become a link, a navigation or a CSS value. A pack is text from many hands (a
 * marketplace seller's feed, an imported description), so each of its strings is treated as hostile.
 *
 * The rule runs on the parsed URL, after the URL parser's own normalisation (it strips leading and trailing spaces
 * and C0 controls, drops tabs and newlines anywhere, lower-cases the scheme), so every spelling of `javascript:`
 * that a browser would follow is caught by the one comparison a browser makes: the parsed scheme.
 */

/** The schemes a link or a navigation may use: anything else (javascript:, data:, vbscript:, blob:, file:) is refused. */
const LINK_SCHEMES = new Set(['https:', 'http:']);

/**
 * The absolute URL of an item's link, or null when it may not be one: `raw` must parse, against `base` when it is
 * relative, to an http(s) URL. A relative path against a base that cannot hold one (a catalog read from a file, a
 * blob: or data: URL) is refused too.
 */
export function safeLinkUrl(raw: string, base?: string): string | null {
  if (!raw.trim()) return null; // an empty link would be the page itself: not a link
  let url: URL;
  try {
    url = base === undefined ? new URL(raw) : new URL(raw, base);
  } catch {
    return null;
  }
  return LINK_SCHEMES.has(url.protocol) ? url.href : null;
}

/**
 * A CSS `url("…")` value for a URL, escaped so that no character of it can end the string (a quote, a backslash, a
 * newline), whatever the URL holds. A data: URL keeps its quotes after parsing; an http(s) one does not.
 */
export function cssUrl(url: string): string {
  return `url("${url.replace(/["\\\n\r\f]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}")`;
}
