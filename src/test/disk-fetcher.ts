/** A Fetcher that serves URLs from the repository's public/ folder, for tests that load the shipped packs. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Fetcher } from '../catalog/fetch';

export const PUBLIC_DIR = join(import.meta.dirname, '..', '..', 'public');

export const diskFetcher: Fetcher = async (url) => {
  const path = new URL(url, 'http://localhost/').pathname;
  return new Uint8Array(await readFile(join(PUBLIC_DIR, decodeURIComponent(path))));
};

/** A fetcher over in-memory files (name -> JSON value or raw bytes), for broken-pack tests. */
export function memoryFetcher(files: Record<string, unknown>): Fetcher {
  return async (url) => {
    const path = new URL(url, 'http://localhost/').pathname.replace(/^\//, '');
    if (!(path in files)) throw new Error(`no file ${path}`);
    const v = files[path];
    return v instanceof Uint8Array ? v : new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
  };
}
