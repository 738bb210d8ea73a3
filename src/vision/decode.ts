/**
 * Browser-side image decoding (works in the engine worker): a photo Blob or ImageBitmap to RGBA pixels, checked
 * first by its bytes (./sniff.ts), decoded with createImageBitmap at a reduced size (the embedder needs 28x28;
 * 512 px on the longest side keeps the object detection honest), and the catalog sprite cut into tiles.
 */
import { HushCartError } from '../errors';
import { MAX_PIXELS, sniffImage } from './sniff';
import { prepare, type Rgba } from './preprocess';
import { dataUrlBytes } from '../catalog/fetch';

const WORK_SIZE = 512;

function pixelsOf(bitmap: ImageBitmap): Rgba {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new HushCartError('engine/failed', 'no 2D canvas to read the image with');
  ctx.drawImage(bitmap, 0, 0);
  const d = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
  return { width: d.width, height: d.height, data: d.data };
}

/** Decodes a photo for the search; throws a HushCartError with a message for the shopper on bad input. */
export async function decodePhoto(input: Blob | ImageBitmap): Promise<Rgba> {
  if (typeof ImageBitmap !== 'undefined' && input instanceof ImageBitmap) {
    if (input.width * input.height > MAX_PIXELS)
      throw new HushCartError('api/invalid-argument', 'The image is too large (over 40 megapixels).');
    const scale = Math.min(1, WORK_SIZE / Math.max(input.width, input.height));
    const small = await createImageBitmap(input, {
      resizeWidth: Math.max(1, Math.round(input.width * scale)),
      resizeHeight: Math.max(1, Math.round(input.height * scale)),
      resizeQuality: 'medium',
    });
    return pixelsOf(small);
  }
  if (!(input instanceof Blob))
    throw new HushCartError('api/invalid-argument', 'searchImage needs a Blob, File or ImageBitmap');
  const head = new Uint8Array(await input.slice(0, 65536).arrayBuffer());
  const info = sniffImage(head, input.size);
  const scale = Math.min(1, WORK_SIZE / Math.max(info.width, info.height));
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(input, {
      resizeWidth: Math.max(1, Math.round(info.width * scale)),
      resizeHeight: Math.max(1, Math.round(info.height * scale)),
      resizeQuality: 'medium',
    });
  } catch {
    throw new HushCartError(
      'api/invalid-argument',
      `The ${info.format.toUpperCase()} file could not be decoded: it is damaged or truncated.`,
    );
  }
  try {
    return pixelsOf(bitmap);
  } finally {
    bitmap.close();
  }
}

/** The pack's sprite cut into `count` gray tiles, as floats 0..1 ([count, tileW * tileH]). */
export async function spriteTiles(
  blob: Blob,
  sprite: { tileWidth: number; tileHeight: number; columns: number; count: number },
): Promise<Float32Array> {
  const bitmap = await createImageBitmap(blob);
  try {
    const { data, width } = pixelsOf(bitmap);
    const { tileWidth: tw, tileHeight: th, columns, count } = sprite;
    const out = new Float32Array(count * tw * th);
    for (let i = 0; i < count; i++) {
      const ox = (i % columns) * tw;
      const oy = Math.floor(i / columns) * th;
      for (let y = 0; y < th; y++)
        for (let x = 0; x < tw; x++)
          out[i * tw * th + y * tw + x] = (data[4 * ((oy + y) * width + ox + x)] as number) / 255;
    }
    return out;
  } finally {
    bitmap.close();
  }
}

/**
 * A catalog picture given by URL (same origin, data: or blob:; checked when the pack loaded), as the embedder's
 * 28x28 input: decoded and prepared exactly like a shopper's photo. Errors name the item and the field.
 */
export async function pictureFromUrl(url: string, itemId: string): Promise<Float32Array> {
  try {
    let blob: Blob;
    if (url.startsWith('data:')) {
      const { type, bytes } = dataUrlBytes(url);
      blob = new Blob([bytes as BlobPart], { type });
    } else {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      blob = await res.blob();
    }
    return prepare(await decodePhoto(blob)).pixels;
  } catch (e) {
    throw new HushCartError(
      'catalog/invalid',
      `item '${itemId}': field 'image.url': the picture could not be used (${e instanceof Error ? e.message : String(e)})`,
    );
  }
}
