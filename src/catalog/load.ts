/**
 * Loads catalog packs: the manifest, then its parts in parallel, each validated and cross-checked.
 * `include` leaves out parts a caller does not need (the store UI never needs the interaction log).
 */
import { z } from '../shared/zod';
import { HushCartError } from '../errors';
import { safeLinkUrl } from '../shared/safe-url';
import { fetchJson, resolveUrl, type Fetcher, httpFetcher } from './fetch';
import type { Item, Pack } from './schema';
import {
  invalid,
  validateAggregates,
  validateInteractions,
  validateItems,
  validateManifest,
  validateReviews,
} from './validate';

export interface LoadOptions {
  fetcher?: Fetcher;
  include?: { interactions?: boolean; aggregates?: boolean; reviews?: boolean };
  /** The name errors give the manifest (a catalog file's own name, not its blob: URL). */
  label?: string;
}

/** A pack read from a local file or a data: URL: it has nothing to resolve relative names against. */
const isSelfContained = (url: string) => url.startsWith('blob:') || url.startsWith('data:');

/** Resolves a part that is either inline JSON or a file name relative to the manifest. */
async function part(
  value: unknown,
  field: string,
  manifestUrl: string,
  label: string,
  fetcher: Fetcher,
): Promise<{ file: string; json: unknown }> {
  if (typeof value !== 'string') return { file: `${label} (inline ${field})`, json: value };
  if (isSelfContained(manifestUrl))
    throw new HushCartError(
      'catalog/invalid',
      `${label}: field '${field}': names the file '${value}', but a catalog file must hold its ${field} inline`,
    );
  const url = resolveUrl(value, manifestUrl);
  return { file: url, json: await fetchJson(url, fetcher) };
}

/**
 * Where a picture given by URL may come from: the manifest's own origin, or inline (data:image/, blob:). Anything
 * else would be a request to another origin (and the page's CSP blocks it anyway), or no picture at all (javascript:):
 * rejected with the item named. Checked on the parsed URL, as shared/safe-url.ts checks links.
 */
function pictureUrl(raw: string, manifestUrl: string, imageOrigins: string[] = []): string | null {
  const base = isSelfContained(manifestUrl) ? undefined : new URL(manifestUrl, 'http://hushcart.invalid/');
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return null; // a path in a catalog file: nothing to resolve it against
  }
  if (url.protocol === 'data:') return /^data:image\//i.test(url.href) ? url.href : null;
  if (url.protocol === 'blob:') return url.href;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // The shop's declared image host (a catalog file may declare one too): shown by the page in <img>, never fetched
  // by the worker.
  if (imageOrigins.includes(url.origin)) return url.href;
  if (!base || url.origin !== base.origin) return null;
  return resolveUrl(raw, manifestUrl);
}

function resolvePictures(items: Item[], manifestUrl: string, file: string, imageOrigins: string[]): Item[] {
  const problems: string[] = [];
  const out = items.map((it, i) => {
    if (!it.image || !('url' in it.image)) return it;
    const url = pictureUrl(it.image.url, manifestUrl, imageOrigins);
    if (url) return { ...it, image: { url } };
    problems.push(
      `item '${it.id}' (#${i}): field 'image.url': '${it.image.url.slice(0, 80)}' is not on this catalog's origin ` +
        `(use ${isSelfContained(manifestUrl) ? 'a data: URL in a catalog file' : 'a same-origin path or a data: URL'}; ` +
        'HushCart never fetches from another origin)',
    );
    return it;
  });
  if (problems.length) throw invalid(file, problems);
  return out;
}

/**
 * Item links: resolved against the manifest's URL and kept only when they are http(s) (shared/safe-url.ts). A link
 * that is not (javascript:, data:, vbscript:, a relative path in a catalog file) is dropped, its item kept, and the
 * drop counted in a warning that names the file and the first items: one bad row of a feed must not take a shop's
 * recommendations down, and a dropped link can never be followed.
 */
function resolveLinks(items: Item[], manifestUrl: string, file: string): { items: Item[]; warning?: string } {
  const base = isSelfContained(manifestUrl) ? undefined : new URL(manifestUrl, 'http://hushcart.invalid/').href;
  const dropped: string[] = [];
  const out = items.map((it, i) => {
    if (it.url === undefined) return it;
    // Checked once; written as resolveUrl writes paths (relative to a relative manifest URL stays relative).
    const safe = safeLinkUrl(it.url, base);
    const url = safe && base ? resolveUrl(it.url, manifestUrl) : safe;
    if (url) return url === it.url ? it : { ...it, url };
    dropped.push(`item '${it.id}' (#${i}): ${JSON.stringify(it.url.slice(0, 60))}`);
    const rest = { ...it };
    delete rest.url;
    return rest;
  });
  if (!dropped.length) return { items: out };
  const shown = dropped.slice(0, 5).join('; ') + (dropped.length > 5 ? `; and ${dropped.length - 5} more` : '');
  return {
    items: out,
    warning:
      `${file}: field 'url': ${dropped.length} item link${dropped.length === 1 ? '' : 's'} dropped, ` +
      `not ${base ? 'an http(s) URL or a path' : 'an absolute http(s) URL (a catalog file has no address to resolve a path against)'} ` +
      `(${shown})`,
  };
}

/** The manifest's image hosts: each an https origin exactly (no path), else the pack is refused. */
function imageOrigins(label: string, origins: string[] | undefined): string[] {
  return (origins ?? []).map((o) => {
    let url: URL | null = null;
    try {
      url = new URL(o);
    } catch {
      // reported below
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== o.replace(/\/$/, ''))
      throw invalid(label, [
        `field 'imageOrigins': '${o.slice(0, 80)}' is not an origin (write https://host, no path)`,
      ]);
    return url.origin;
  });
}

export async function loadPack(manifestUrl: string, options: LoadOptions = {}): Promise<Pack> {
  const fetcher = options.fetcher ?? httpFetcher;
  const include = { interactions: true, aggregates: true, reviews: true, ...options.include };
  const label = options.label ?? manifestUrl;
  const manifest = validateManifest(label, await fetchJson(manifestUrl, fetcher, label));
  const [items, interactions, aggregates, reviews] = await Promise.all([
    part(manifest.items, 'items', manifestUrl, label, fetcher),
    include.interactions && manifest.interactions !== undefined
      ? part(manifest.interactions, 'interactions', manifestUrl, label, fetcher)
      : undefined,
    include.aggregates && manifest.aggregates !== undefined
      ? part(manifest.aggregates, 'aggregates', manifestUrl, label, fetcher)
      : undefined,
    include.reviews && manifest.reviews !== undefined
      ? part(manifest.reviews, 'reviews', manifestUrl, label, fetcher)
      : undefined,
  ]);
  const aisleIds = new Set(manifest.aisles.map((a) => a.id));
  const hosts = imageOrigins(label, manifest.imageOrigins);
  const links = resolveLinks(
    resolvePictures(validateItems(items.file, items.json, aisleIds, manifest.images), manifestUrl, items.file, hosts),
    manifestUrl,
    items.file,
  );
  const validItems = links.items;
  const pack: Pack = {
    id: manifest.id,
    name: manifest.name,
    baseUrl: manifestUrl,
    aisles: manifest.aisles,
    items: validItems,
  };
  if (links.warning) pack.warnings = [links.warning];
  if (hosts.length) pack.imageOrigins = hosts;
  if (manifest.fallbacks) pack.fallbacks = manifest.fallbacks;
  if (manifest.rules?.length) {
    const ids = new Set(validItems.map((i) => i.id));
    const unknown = manifest.rules.flatMap((r, k) =>
      r.itemId !== undefined && !ids.has(r.itemId)
        ? [`field 'rules[${k}].itemId': no item '${r.itemId}' in the pack`]
        : [],
    );
    if (unknown.length) throw invalid(label, unknown);
    pack.rules = manifest.rules;
  }
  if (manifest.source) pack.source = manifest.source;
  if (manifest.audience) pack.audience = manifest.audience;
  if (manifest.models) {
    if (isSelfContained(manifestUrl))
      throw invalid(label, [
        "field 'models': a catalog file cannot name a models file; serve the pack by URL to ship models with it",
      ]);
    const models = resolveUrl(manifest.models, manifestUrl);
    if (new URL(models).origin !== new URL(manifestUrl).origin)
      throw invalid(label, [`field 'models': ${manifest.models} is not on this catalog's origin`]);
    pack.models = models;
  }
  if (manifest.images) {
    if (isSelfContained(manifestUrl))
      throw invalid(label, [
        "field 'images': a catalog file cannot use a sprite file; give each item an image url (data:)",
      ]);
    const spriteUrl = pictureUrl(manifest.images.sprite, manifestUrl);
    if (!spriteUrl)
      throw invalid(label, [
        `field 'images.sprite': '${manifest.images.sprite.slice(0, 80)}' is not on this catalog's origin (use a same-origin path)`,
      ]);
    pack.images = { ...manifest.images, spriteUrl };
  }
  if (interactions) pack.interactions = validateInteractions(interactions.file, interactions.json, validItems.length);
  if (aggregates) pack.aggregates = validateAggregates(aggregates.file, aggregates.json, validItems.length);
  if (reviews) pack.reviews = validateReviews(reviews.file, reviews.json, new Set(validItems.map((i) => i.id)));
  return pack;
}

/** The data manifest written by `npm run data`: pack list, training assets and the data hash. */
const DataManifestSchema = z.object({
  format: z.literal('hushcart-data'),
  version: z.literal(1),
  dataHash: z.string().min(8),
  packs: z.array(z.string()).min(1),
  /** Each general model's training data is optional: a capability without it is `unavailable`, the rest works. */
  train: z
    .object({
      fashionImages: z
        .object({
          images: z.string(),
          labels: z.string(),
          count: z.number().int(),
          width: z.number().int(),
          height: z.number().int(),
          classes: z.array(z.string()),
          /** The rest of the Fashion-MNIST training pictures, fetched only for the full recipe. */
          extra: z.object({ images: z.string(), labels: z.string(), count: z.number().int() }).optional(),
        })
        .optional(),
      uciSentences: z.string().optional(),
      fineFoodsReviews: z.string().optional(),
    })
    .optional(),
  lexicons: z.object({ afinn: z.string(), vader: z.string() }).optional(),
  embeddings: z
    .object({
      glove: z.object({
        vocab: z.string(),
        vectors: z.string(),
        scales: z.string(),
        dims: z.number(),
        words: z.number(),
      }),
    })
    .optional(),
  stats: z.record(z.string(), z.unknown()).optional(),
  /**
   * Models trained in a browser for the demo store (a file `HushCart.exportModels()` wrote, relative to the
   * manifest; scripts/build-models.mjs): a first visit loads those still stamped with this data hash.
   */
  models: z.string().min(1).max(2000).optional(),
});
export type DataManifest = z.infer<typeof DataManifestSchema>;

export async function loadDataManifest(url: string, fetcher: Fetcher = httpFetcher): Promise<DataManifest> {
  const r = DataManifestSchema.safeParse(await fetchJson(url, fetcher));
  if (!r.success)
    throw new HushCartError('catalog/invalid', `${url}: not a HushCart data manifest (${r.error.message})`);
  return r.data;
}
