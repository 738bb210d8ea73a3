/** Pictures: search by a photo, More like this, and an item's predicted category. */
import { HushCartError } from '../../errors';
import { ImageSearchOptions } from '../../vision/contract';
import { parseArgs } from '../../shared/args';
import type { Methods } from './context';

export const visionApi: Methods<'searchImage' | 'moreLikeThis' | 'imageCategory'> = (h) => ({
  async searchImage(input, o) {
    const { limit } = parseArgs(ImageSearchOptions, o);
    const isBitmap = typeof ImageBitmap !== 'undefined' && input instanceof ImageBitmap;
    if (!(input instanceof Blob) && !isBitmap)
      throw new HushCartError('api/invalid-argument', 'searchImage needs an image File, Blob or ImageBitmap');
    await h.pictures.ensure();
    const r = await h.engine.vision.searchImage(input, limit);
    const { log } = await h.loaded;
    // Only the predicted category is recorded: the photo itself is never stored.
    await log.record({ type: 'photo-query', text: r.category }).catch(() => undefined);
    return r;
  },
  async moreLikeThis(itemId, o) {
    const { catalog } = await h.loaded;
    if (!catalog.pictureOf(itemId))
      throw new HushCartError('api/invalid-argument', `item '${itemId}' has no picture to compare`);
    const { limit } = parseArgs(ImageSearchOptions, o);
    await h.pictures.ensure();
    return h.engine.vision.moreLikeThis(itemId, limit);
  },
  async imageCategory(itemId) {
    await h.pictures.ensure();
    return (await h.engine.vision.categories([itemId]))[0] ?? null;
  },
});
