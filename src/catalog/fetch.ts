/**
 * Fetching pack files: same-origin fetch (or an injected fetcher in tests), gzip decoded in the browser with
 * DecompressionStream, JSON parsed. Errors name the file and say what went wrong.
 */
import { HushCartError } from '../errors';
import { bytesFromBase64 } from '../shared/base64';

/** Returns the raw bytes of a URL. Injected in tests to read from disk. */
export type Fetcher = (url: string) => Promise<Uint8Array>;

export const httpFetcher: Fetcher = async (url) => {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin' });
  } catch (e) {
    throw new HushCartError(
      'catalog/fetch-failed',
      `${url}: could not be fetched (${String(e)}). Is the server running?`,
    );
  }
  if (!res.ok)
    throw new HushCartError('catalog/fetch-failed', `${url}: the server answered ${res.status} ${res.statusText}`);
  return new Uint8Array(await res.arrayBuffer());
};

/** True for gzip's magic bytes; a server that already decoded Content-Encoding hands us plain bytes. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Fetches a file, un-gzips it when it is gzipped, and returns its bytes. */
export async function fetchBytes(url: string, fetcher: Fetcher = httpFetcher, label = url): Promise<Uint8Array> {
  const bytes = await fetcher(url);
  if (!isGzip(bytes)) return bytes;
  try {
    return await gunzip(bytes);
  } catch (e) {
    throw new HushCartError('catalog/invalid', `${label}: is not valid gzip (${String(e)})`);
  }
}

/** `label`: what errors call the file (a local file's name rather than its blob: URL). */
export async function fetchJson(url: string, fetcher: Fetcher = httpFetcher, label = url): Promise<unknown> {
  const bytes = await fetchBytes(url, fetcher, label);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new HushCartError(
      'catalog/invalid',
      `${label}: is not valid JSON (${e instanceof Error ? e.message : String(e)})`,
    );
  }
}

/** Resolves a file named in a manifest against the manifest's URL. */
export function resolveUrl(file: string, base: string): string {
  return new URL(file, new URL(base, 'http://hushcart.invalid/')).href.replace(/^http:\/\/hushcart\.invalid/, '');
}

/** Serves files held in memory (a catalog file read on the page) by their URLs; anything else over HTTP. */
export function memoryFetcher(files: Record<string, Uint8Array>, fallback: Fetcher = httpFetcher): Fetcher {
  return async (url) => (Object.hasOwn(files, url) ? (files[url] as Uint8Array) : fallback(url));
}

/** The bytes of a data: URL (base64 or percent-encoded), without fetch (a page's CSP may not allow it). */
export function dataUrlBytes(url: string): { type: string; bytes: Uint8Array } {
  const m = /^data:([^,;]*)((?:;[^,;]*)*?)(;base64)?,(.*)$/is.exec(url);
  if (!m) throw new HushCartError('catalog/invalid', 'not a data: URL');
  const body = m[4] ?? '';
  if (m[3]) {
    return { type: m[1] || 'text/plain', bytes: bytesFromBase64(body.replace(/\s+/g, '')) };
  }
  return { type: m[1] || 'text/plain', bytes: new TextEncoder().encode(decodeURIComponent(body)) };
}
