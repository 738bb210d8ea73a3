/** Reads the shipped word vectors (shared/word-vectors.ts) from their files, once per worker. */
import { HushCartError } from '../errors';
import type { GloveUrls, WordVectors } from '../shared/word-vectors';
import { fetchBytes, fetchJson, type Fetcher } from './fetch';

const loaded = new Map<string, Promise<WordVectors>>();

/** Loads the word vectors once per worker (recommendations and sentiment share them). */
export function loadWordVectors(urls: GloveUrls, fetcher?: Fetcher): Promise<WordVectors> {
  let p = loaded.get(urls.vocab);
  if (!p) {
    loaded.set(urls.vocab, (p = readWordVectors(urls, fetcher)));
    p.catch(() => loaded.delete(urls.vocab));
  }
  return p;
}

async function readWordVectors(urls: GloveUrls, fetcher?: Fetcher): Promise<WordVectors> {
  const [vocab, vectors, scales] = await Promise.all([
    fetchJson(urls.vocab, fetcher),
    fetchBytes(urls.vectors, fetcher),
    fetchBytes(urls.scales, fetcher),
  ]);
  if (!Array.isArray(vocab) || !vocab.every((w) => typeof w === 'string'))
    throw new HushCartError('catalog/invalid', `${urls.vocab}: expected an array of words`);
  const n = vocab.length;
  if (vectors.byteLength !== n * urls.dims || scales.byteLength !== n * 4)
    throw new HushCartError(
      'catalog/invalid',
      `${urls.vectors}: sizes do not match ${n} words of ${urls.dims} dimensions`,
    );
  return {
    dims: urls.dims,
    index: new Map(vocab.map((w: string, i) => [w, i])),
    vectors: new Int8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength),
    scales: new Float32Array(scales.slice().buffer),
  };
}
