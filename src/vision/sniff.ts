/**
 * What an uploaded file really is, from its first bytes (never from its name or claimed type), and its
 * dimensions from the header, so a non-image, an SVG or a 50-megapixel photo is turned away with a clear
 * message before anything is decoded.
 */
import { HushCartError } from '../errors';

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp';

/** Largest photo accepted, in pixels (a 40-megapixel camera image still passes). */
export const MAX_PIXELS = 40_000_000;
/** Largest file accepted, in bytes. */
export const MAX_BYTES = 30 * 1024 * 1024;

export interface Sniffed {
  format: ImageFormat;
  width: number;
  height: number;
}

const u16be = (b: Uint8Array, o: number) => ((b[o] as number) << 8) | (b[o + 1] as number);
const u16le = (b: Uint8Array, o: number) => (b[o] as number) | ((b[o + 1] as number) << 8);
const u32be = (b: Uint8Array, o: number) => u16be(b, o) * 65536 + u16be(b, o + 2);
const u32le = (b: Uint8Array, o: number) => u16le(b, o) + u16le(b, o + 2) * 65536;
const ascii = (b: Uint8Array, o: number, n: number) => String.fromCharCode(...b.subarray(o, o + n));

function jpegSize(b: Uint8Array): { width: number; height: number } | null {
  let o = 2;
  while (o + 9 < b.length) {
    if (b[o] !== 0xff) return null;
    const marker = b[o + 1] as number;
    if (marker === 0xff) {
      o++;
      continue;
    }
    const len = u16be(b, o + 2);
    // Start-of-frame markers carry the size (not DHT c4, JPG c8, DAC cc).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { height: u16be(b, o + 5), width: u16be(b, o + 7) };
    o += 2 + len;
  }
  return null;
}

function webpSize(b: Uint8Array): { width: number; height: number } | null {
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8X') return { width: 1 + (u32le(b, 24) & 0xffffff), height: 1 + (u32le(b, 27) & 0xffffff) };
  if (chunk === 'VP8 ') return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  if (chunk === 'VP8L') {
    const bits = u32le(b, 21);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
  }
  return null;
}

/** Identifies the image and checks its size; throws a HushCartError that says what is wrong. */
export function sniffImage(head: Uint8Array, byteLength: number): Sniffed {
  const bad = (msg: string) => new HushCartError('api/invalid-argument', msg);
  if (byteLength === 0) throw bad('The file is empty.');
  if (byteLength > MAX_BYTES)
    throw bad(
      `The file is ${(byteLength / 1048576).toFixed(0)} MB; photos up to ${MAX_BYTES / 1048576} MB are accepted.`,
    );
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(0, 512)).trimStart().toLowerCase();
  if (text.startsWith('<svg') || (text.startsWith('<?xml') && text.includes('<svg')) || text.includes('<svg'))
    throw bad('SVG drawings are not accepted: use a photo (PNG, JPEG, WebP or GIF).');
  let found: Sniffed | null = null;
  if (head.length >= 24 && head[0] === 0x89 && ascii(head, 1, 3) === 'PNG')
    found = { format: 'png', width: u32be(head, 16), height: u32be(head, 20) };
  else if (head.length >= 4 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) {
    const s = jpegSize(head);
    if (!s) throw bad('The JPEG file is damaged or truncated (no image size in its header).');
    found = { format: 'jpeg', ...s };
  } else if (head.length >= 10 && ascii(head, 0, 4) === 'GIF8')
    found = { format: 'gif', width: u16le(head, 6), height: u16le(head, 8) };
  else if (head.length >= 30 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WEBP') {
    const s = webpSize(head);
    if (!s) throw bad('The WebP file is damaged (unknown chunk).');
    found = { format: 'webp', ...s };
  } else if (head.length >= 26 && ascii(head, 0, 2) === 'BM')
    found = { format: 'bmp', width: u32le(head, 18), height: Math.abs(u32le(head, 22) | 0) };
  if (!found) throw bad('This is not an image the store can read: use a PNG, JPEG, WebP or GIF photo.');
  if (found.width < 1 || found.height < 1) throw bad('The image header gives no size: the file is damaged.');
  if (found.width * found.height > MAX_PIXELS)
    throw bad(
      `The image is ${found.width} × ${found.height} (${((found.width * found.height) / 1e6).toFixed(0)} megapixels); ` +
        `photos up to ${MAX_PIXELS / 1e6} megapixels are accepted. Resize it and try again.`,
    );
  return found;
}
