/**
 * Loads catalog packs: the manifest, then its parts in parallel, each validated and cross-checked.
 * `include` leaves out parts a caller does not need (the store UI never needs the interaction log).
 */
import { z } from 'zod';
import { HushCartError } from '../errors';
import { fetchJson, resolveUrl, type Fetcher, httpFetcher } from './fetch';
import type { Pack } from './schema';
import { validateInteractions, validateItems, validateManifest, validateReviews } from './validate';

export interface LoadOptions {
  fetcher?: Fetcher;
  include?: { interactions?: boolean; reviews?: boolean };
}

/** Resolves a part that is either inline JSON or a file name relative to the manifest. */
async function part(value: unknown, manifestUrl: string, fetcher: Fetcher): Promise<{ file: string; json: unknown }> {
  if (typeof value !== 'string') return { file: `${manifestUrl} (inline)`, json: value };
  const url = resolveUrl(value, manifestUrl);
  return { file: url, json: await fetchJson(url, fetcher) };
}

export async function loadPack(manifestUrl: string, options: LoadOptions = {}): Promise<Pack> {
  const fetcher = options.fetcher ?? httpFetcher;
  const include = { interactions: true, reviews: true, ...options.include };
  const manifest = validateManifest(manifestUrl, await fetchJson(manifestUrl, fetcher));
  const [items, interactions, reviews] = await Promise.all([
    part(manifest.items, manifestUrl, fetcher),
    include.interactions && manifest.interactions !== undefined
      ? part(manifest.interactions, manifestUrl, fetcher)
      : undefined,
    include.reviews && manifest.reviews !== undefined ? part(manifest.reviews, manifestUrl, fetcher) : undefined,
  ]);
  const aisleIds = new Set(manifest.aisles.map((a) => a.id));
  const validItems = validateItems(items.file, items.json, aisleIds, manifest.images);
  const pack: Pack = {
    id: manifest.id,
    name: manifest.name,
    baseUrl: manifestUrl,
    aisles: manifest.aisles,
    items: validItems,
  };
  if (manifest.source) pack.source = manifest.source;
  if (manifest.images) pack.images = { ...manifest.images, spriteUrl: resolveUrl(manifest.images.sprite, manifestUrl) };
  if (interactions) pack.interactions = validateInteractions(interactions.file, interactions.json, validItems.length);
  if (reviews) pack.reviews = validateReviews(reviews.file, reviews.json, new Set(validItems.map((i) => i.id)));
  return pack;
}

/** The data manifest written by `npm run data`: pack list, training assets and the data hash. */
const DataManifestSchema = z.object({
  format: z.literal('hushcart-data'),
  version: z.literal(1),
  dataHash: z.string().min(8),
  packs: z.array(z.string()).min(1),
  train: z.object({
    fashionImages: z.object({
      images: z.string(),
      labels: z.string(),
      count: z.number().int(),
      width: z.number().int(),
      height: z.number().int(),
      classes: z.array(z.string()),
      /** The rest of the Fashion-MNIST training pictures, fetched only for the full recipe. */
      extra: z.object({ images: z.string(), labels: z.string(), count: z.number().int() }).optional(),
    }),
    uciSentences: z.string(),
    fineFoodsReviews: z.string(),
  }),
  lexicons: z.object({ afinn: z.string(), vader: z.string() }),
  embeddings: z.object({
    glove: z.object({
      vocab: z.string(),
      vectors: z.string(),
      scales: z.string(),
      dims: z.number(),
      words: z.number(),
    }),
  }),
  stats: z.record(z.string(), z.unknown()),
});
export type DataManifest = z.infer<typeof DataManifestSchema>;

export async function loadDataManifest(url: string, fetcher: Fetcher = httpFetcher): Promise<DataManifest> {
  const r = DataManifestSchema.safeParse(await fetchJson(url, fetcher));
  if (!r.success)
    throw new HushCartError('catalog/invalid', `${url}: not a HushCart data manifest (${r.error.message})`);
  return r.data;
}
