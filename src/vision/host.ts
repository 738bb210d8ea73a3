/**
 * The picture capability's host in the engine: the catalog's pictures and where the training pictures are
 * (`load`), the image embedder's verbs (`train` by a recipe, `use`), the catalog embedded (or its cached embeddings
 * used), search by a photo, More like this, categories, and the evaluation. `ports.imageVectors`: told the catalog's
 * embeddings, so the capabilities that compare items by look (the recommender's item space) follow.
 */
import { HushCartError } from '../errors';
import type { BackendRuntime } from '../runtime/backend-runtime';
import type { ModelHost, ProgressCallback } from '../runtime/types';
import type { EmbedderTrainResult, EmbedderWeights } from './cnn';
import { IMAGE_SIZE, type EmbedderRecipe } from './cnn-config';
import type { CatalogEmbeddings, VisionCatalogSource } from './contract';
import { pictureFromUrl, spriteTiles } from './decode';
import type { ImageMatch, ImageSearchResult, VisionEvaluation, VisionService, VisionTrainUrls } from './service';

export interface VisionHost extends ModelHost<
  { recipe: EmbedderRecipe; epochs?: number },
  EmbedderTrainResult,
  EmbedderWeights
> {
  /** Loads the catalog's pictures and notes where the training pictures are (fetched to train). */
  load(train: VisionTrainUrls, catalog: VisionCatalogSource): Promise<{ catalog: number }>;
  /** Embeds every catalog picture (to cache on the device). */
  embedCatalog(jobId: string, onProgress?: ProgressCallback): Promise<CatalogEmbeddings>;
  useCatalogEmbeddings(c: CatalogEmbeddings): Promise<void>;
  /** A photo (Blob or ImageBitmap): its category and the visually nearest catalog items. */
  searchImage(input: Blob | ImageBitmap, limit: number): Promise<ImageSearchResult>;
  /** The catalog items that look most like one item's picture. */
  moreLikeThis(itemId: string, limit: number): Promise<ImageMatch[]>;
  /** The predicted category of catalog items (null where unknown or not embedded yet). */
  categories(itemIds: string[]): Promise<({ category: string; confidence: number } | null)[]>;
  /** Retrieval precision@10 (trained embedder vs raw pixels), accuracy, query latency. */
  evaluate(jobId: string, onProgress?: ProgressCallback): Promise<VisionEvaluation>;
}

export function visionHost(
  service: VisionService,
  rt: BackendRuntime,
  ports: { imageVectors: (c: CatalogEmbeddings) => Promise<void> },
): VisionHost {
  return {
    load: (train, catalog) => loadPictures(service, train, catalog),
    train(jobId, { recipe, epochs }, onProgress) {
      const overrides = epochs === undefined ? {} : { epochs };
      return rt.training(jobId, onProgress, (ctx) => service.trainEmbedder(recipe, overrides, ctx));
    },
    async use(weights) {
      rt.requireBackend();
      service.use(weights);
    },
    async embedCatalog(jobId, onProgress) {
      const c = await rt.job(jobId, () =>
        service.embedCatalog((f) => onProgress?.({ jobId, fraction: f, message: 'embedding catalog pictures' })),
      );
      await ports.imageVectors(c);
      return c;
    },
    async useCatalogEmbeddings(c) {
      service.useCatalogEmbeddings(c);
      await ports.imageVectors(c);
    },
    async searchImage(input, limit) {
      try {
        return await service.searchImage(input, limit);
      } catch (e) {
        // Anything but a typed error here comes from the shopper's file.
        throw HushCartError.from(e, 'api/invalid-argument');
      }
    },
    moreLikeThis: async (itemId, limit) => service.moreLike(itemId, limit),
    categories: async (itemIds) => itemIds.map((id) => service.categoryOf(id)),
    evaluate: async (jobId, onProgress) =>
      rt.job(jobId, () =>
        service.evaluate((fraction, step) => onProgress?.({ jobId, fraction, message: `evaluating ${step}` })),
      ),
  };
}

/** The catalog's pictures as 28x28 grey pixels: a sprite's tiles, or each item's own picture decoded. */
async function loadPictures(
  service: VisionService,
  train: VisionTrainUrls,
  catalog: VisionCatalogSource,
): Promise<{ catalog: number }> {
  const n = catalog.itemIds.length;
  if (catalog.pictures.length !== n || catalog.labels.length !== n)
    throw new HushCartError('api/invalid-argument', 'vision catalog: one picture and one label per item');
  service.setTrainingSource(train);
  const px = IMAGE_SIZE * IMAGE_SIZE;
  const pixels = new Float32Array(n * px);
  let tiles: Float32Array | null = null;
  if (catalog.pictures.some((p) => 'tile' in p)) {
    const { spriteUrl, sprite } = catalog;
    if (!spriteUrl || !sprite) throw new HushCartError('api/invalid-argument', 'vision catalog: tiles need a sprite');
    if (sprite.tileWidth !== IMAGE_SIZE || sprite.tileHeight !== IMAGE_SIZE)
      throw new HushCartError('catalog/invalid', `${spriteUrl}: sprite tiles must be ${IMAGE_SIZE}x${IMAGE_SIZE}`);
    const res = await fetch(spriteUrl);
    if (!res.ok) throw new HushCartError('catalog/fetch-failed', `${spriteUrl}: HTTP ${res.status}`);
    tiles = await spriteTiles(await res.blob(), sprite);
  }
  for (const [r, p] of catalog.pictures.entries()) {
    if ('tile' in p) pixels.set((tiles as Float32Array).subarray(p.tile * px, (p.tile + 1) * px), r * px);
    else pixels.set(await pictureFromUrl(p.url, catalog.itemIds[r] as string), r * px);
  }
  service.setCatalog({ itemIds: catalog.itemIds, labels: Int32Array.from(catalog.labels), pixels });
  return { catalog: n };
}
