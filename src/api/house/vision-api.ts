/** Pictures: search by a photo, More like this, and an item's predicted category. */
import { HushCartError } from '../../errors';
import type { Methods } from './context';

export const visionApi: Methods<'searchImage' | 'moreLikeThis' | 'imageCategory'> = (h) => ({
  async searchImage(input, o = {}) {
    const limit = o.limit ?? 12;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw new HushCartError('api/invalid-argument', 'limit must be an integer from 1 to 100');
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
  async moreLikeThis(itemId, o = {}) {
    const limit = o.limit ?? 12;
    const { catalog } = await h.loaded;
    if (!catalog.pictureOf(itemId))
      throw new HushCartError('api/invalid-argument', `item '${itemId}' has no picture to compare`);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw new HushCartError('api/invalid-argument', 'limit must be an integer from 1 to 100');
    await h.pictures.ensure();
    return h.engine.vision.moreLikeThis(itemId, limit);
  },
  async imageCategory(itemId) {
    await h.pictures.ensure();
    return (await h.engine.vision.categories([itemId]))[0] ?? null;
  },
});
