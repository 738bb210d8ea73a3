/**
 * Opening a shop's catalog: a same-origin pack URL or a single-file pack (File/Blob) read in the page, validated
 * completely and hashed before anything is stored, and the database each catalog keeps its data in.
 */
import { httpFetcher, memoryFetcher, type Fetcher } from '../catalog/fetch';
import { loadPack, type DataManifest } from '../catalog/load';
import type { Pack } from '../catalog/schema';
import { HushCartError } from '../errors';
import { DEFAULT_DB_NAME } from '../store/db';

/** The database a catalog's data lives in: the default store's own, or one per shop catalog. */
export const catalogDbName = (catalogId: string, base = DEFAULT_DB_NAME): string =>
  catalogId === 'default' ? base : `${base}-catalog-${catalogId}`;

async function sha256Hex(parts: Uint8Array[]): Promise<string> {
  const all = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
  return Array.from(digest.slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Reads and validates a shop's catalog completely (items, interactions, reviews) before anything is stored, and
 * hashes every byte of it, with the general data's hash, for the models' data hash.
 */
export async function loadShopCatalog(
  source: string | Blob,
  manifest: DataManifest,
  fetcher: Fetcher = httpFetcher,
  /** The page's address, which a relative URL is resolved against (in the worker, `location` is the worker's). */
  pageUrl: string = location.href,
): Promise<{ pack: Pack; url: string; label: string; files: Record<string, Uint8Array>; dataHash: string }> {
  const files: Record<string, Uint8Array> = {};
  let url: string;
  let label: string;
  if (typeof source === 'string') {
    url = new URL(source, pageUrl).href;
    if (new URL(url).origin !== location.origin)
      throw new HushCartError(
        'catalog/invalid',
        `${source}: a catalog must come from this site's own origin (${location.origin}); HushCart never fetches from another`,
      );
    label = source;
  } else if (source instanceof Blob) {
    label = source instanceof File && source.name ? source.name : 'the catalog file';
    if (source.size > MAX_CATALOG_FILE_BYTES)
      throw new HushCartError(
        'catalog/invalid',
        `${label}: is ${(source.size / 1e6).toFixed(0)} MB; a catalog file can be at most ${MAX_CATALOG_FILE_BYTES / 1e6} MB (serve larger packs as a manifest with separate files)`,
      );
    url = `blob:hushcart-file/${encodeURIComponent(label)}`;
    files[url] = new Uint8Array(await source.arrayBuffer());
  } else throw new HushCartError('api/invalid-argument', 'a catalog is a URL string or a File/Blob');
  const read: Uint8Array[] = [new TextEncoder().encode(manifest.dataHash)];
  const hashing: Fetcher = async (u) => {
    const bytes = await memoryFetcher(files, fetcher)(u);
    read.push(u === url && typeof source === 'string' ? hashedManifest(bytes) : bytes);
    return bytes;
  };
  const pack = await loadPack(url, { fetcher: hashing, label });
  const dataHash = await sha256Hex(read);
  // Validated and hashed, with its interactions and aggregates: the engine, in the same worker, uses the pack as it
  // is (the page is sent the pack without them: engine/house.ts).
  return { pack, url, label, files, dataHash };
}

/**
 * What of a pack manifest its data hash covers: its JSON without the `models` field (naming the shipped models
 * must not make them stale: they were exported, and stamped, before the manifest named them). Bytes that are not a
 * JSON object are hashed as they are (their validation reports them).
 */
function hashedManifest(bytes: Uint8Array): Uint8Array {
  try {
    const json: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return bytes;
    const rest: Record<string, unknown> = { ...(json as Record<string, unknown>) };
    delete rest.models;
    return new TextEncoder().encode(JSON.stringify(rest));
  } catch {
    return bytes;
  }
}

/** The largest catalog file read in the page (a pack served as files can be larger). */
export const MAX_CATALOG_FILE_BYTES = 200e6;
