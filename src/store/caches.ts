/**
 * Derived arrays kept on this device (e.g. the catalog's image embeddings), reusable while their version and
 * stamp (data hash plus the model they came from) still match; otherwise they are computed again.
 */
import type { Database } from './db';

export async function saveCache(
  db: Database,
  key: string,
  version: number,
  stamp: string,
  shape: number[],
  data: Float32Array | Uint8Array,
): Promise<void> {
  await db.put('caches', {
    key,
    version,
    dataHash: stamp,
    createdAt: Date.now(),
    shape,
    data: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer,
  });
}

/** The cached array when version, stamp and size match; otherwise undefined. */
export async function loadCache(
  db: Database,
  key: string,
  version: number,
  stamp: string,
): Promise<{ shape: number[]; data: Float32Array } | undefined> {
  const r = await db.get('caches', key);
  if (!r || r.version !== version || r.dataHash !== stamp) return undefined;
  const n = r.shape.reduce((a, b) => a * b, 1);
  if (r.data.byteLength !== n * 4) return undefined;
  return { shape: r.shape, data: new Float32Array(r.data) };
}

/** Cached bytes (e.g. a saved search index) when version and stamp match; otherwise undefined. */
export async function loadCacheBytes(
  db: Database,
  key: string,
  version: number,
  stamp: string,
): Promise<Uint8Array | undefined> {
  const r = await db.get('caches', key);
  if (!r || r.version !== version || r.dataHash !== stamp || r.data.byteLength !== r.shape[0]) return undefined;
  return new Uint8Array(r.data);
}
