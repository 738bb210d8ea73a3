/**
 * A shopper's photo to the embedder's domain, the way a person would prepare it: grayscale; decide the
 * background from the image border and invert a light one (Fashion-MNIST shows a light article on black); find
 * the object (pixels that differ from the background) and crop to it; pad to a square; resize to 28x28 by area
 * averaging; stretch the contrast. Pure functions over RGBA pixels, so they are unit-tested without a browser.
 */
import { IMAGE_SIZE } from './cnn';

export interface Rgba {
  width: number;
  height: number;
  /** RGBA bytes, row-major. */
  data: Uint8ClampedArray | Uint8Array;
}

export interface Gray {
  width: number;
  height: number;
  /** 0..1 */
  data: Float32Array;
}

export interface Prepared {
  /** 28x28 floats 0..1, light object on dark: the embedder's input. */
  pixels: Float32Array;
  /** The background was light and the image was inverted. */
  inverted: boolean;
  /** The crop that was found, in source pixels. */
  box: { x: number; y: number; width: number; height: number };
}

/** Luma (Rec. 601) with transparency composited over white (a cut-out product on a page reads as on white). */
export function toGray(img: Rgba): Gray {
  const n = img.width * img.height;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = (img.data[4 * i + 3] as number) / 255;
    const y =
      (0.299 * (img.data[4 * i] as number) +
        0.587 * (img.data[4 * i + 1] as number) +
        0.114 * (img.data[4 * i + 2] as number)) /
      255;
    out[i] = y * a + (1 - a);
  }
  return { width: img.width, height: img.height, data: out };
}

/** Median of the outermost ring of pixels: what the background looks like. */
export function borderLevel(g: Gray): number {
  const ring: number[] = [];
  const { width: w, height: h, data } = g;
  for (let x = 0; x < w; x++) ring.push(data[x] as number, data[(h - 1) * w + x] as number);
  for (let y = 1; y < h - 1; y++) ring.push(data[y * w] as number, data[y * w + w - 1] as number);
  ring.sort((a, b) => a - b);
  return ring[ring.length >> 1] ?? 0;
}

/** Bounding box of pixels that differ from the background by more than `threshold`; the whole image if none. */
export function objectBox(g: Gray, background: number, threshold = 0.12): Prepared['box'] {
  let x0 = g.width;
  let y0 = g.height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < g.height; y++)
    for (let x = 0; x < g.width; x++)
      if (Math.abs((g.data[y * g.width + x] as number) - background) > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
  if (x1 < 0) return { x: 0, y: 0, width: g.width, height: g.height };
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** Area-averaging resize of a square region into size x size. */
function resizeSquare(g: Gray, sx: number, sy: number, side: number, fill: number, size: number): Float32Array {
  const out = new Float32Array(size * size);
  const scale = side / size;
  for (let oy = 0; oy < size; oy++)
    for (let ox = 0; ox < size; ox++) {
      // Sample a 4x4 grid inside the output pixel's footprint (cheap area averaging, any scale).
      let sum = 0;
      for (let j = 0; j < 4; j++)
        for (let i = 0; i < 4; i++) {
          const x = Math.floor(sx + (ox + (i + 0.5) / 4) * scale);
          const y = Math.floor(sy + (oy + (j + 0.5) / 4) * scale);
          sum += x >= 0 && y >= 0 && x < g.width && y < g.height ? (g.data[y * g.width + x] as number) : fill;
        }
      out[oy * size + ox] = sum / 16;
    }
  return out;
}

export function prepare(img: Rgba): Prepared {
  if (img.width < 1 || img.height < 1 || img.data.length !== img.width * img.height * 4)
    throw new Error('the image has no pixels');
  const g = toGray(img);
  const bg = borderLevel(g);
  const inverted = bg > 0.5;
  if (inverted) for (let i = 0; i < g.data.length; i++) g.data[i] = 1 - (g.data[i] as number);
  const back = inverted ? 1 - bg : bg;
  const box = objectBox(g, back);
  // Square around the object's centre, a small margin like the dataset's tight crops.
  const side = Math.max(box.width, box.height) * 1.04;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const pixels = resizeSquare(g, cx - side / 2, cy - side / 2, side, back, IMAGE_SIZE);
  // Background to 0, the brightest part of the object to 1.
  let max = 0;
  for (let i = 0; i < pixels.length; i++) {
    const v = Math.max(0, (pixels[i] as number) - back);
    pixels[i] = v;
    if (v > max) max = v;
  }
  if (max > 0) for (let i = 0; i < pixels.length; i++) pixels[i] = (pixels[i] as number) / max;
  return { pixels, inverted, box };
}
