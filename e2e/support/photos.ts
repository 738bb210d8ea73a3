/** Pictures a shopper would upload, made from the store's own Fashion-MNIST tiles. */
import type { Page } from '@playwright/test';

/**
 * Tile `index` of the store's Fashion sprite (the Fashion-MNIST test set) rendered as an upload, from `page` on the
 * store's origin: `raw` is the 28x28 tile as stored (light on dark, PNG); otherwise a
 * photo-like colour JPEG, 360x300, the article dark-brown on an off-white, noisy, off-centre background.
 */
export async function photoOfTile(page: Page, index: number, raw: boolean): Promise<Buffer> {
  const b64 = await page.evaluate(
    async ({ index, raw }) => {
      const res = await fetch('/data/packs/fashion/sprite.png');
      const sprite = await createImageBitmap(await res.blob());
      const sx = (index % 100) * 28;
      const sy = Math.floor(index / 100) * 28;
      const canvas = raw ? new OffscreenCanvas(28, 28) : new OffscreenCanvas(360, 300);
      const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
      if (raw) ctx.drawImage(sprite, sx, sy, 28, 28, 0, 0, 28, 28);
      else {
        const tile = new OffscreenCanvas(28, 28);
        const t = tile.getContext('2d') as OffscreenCanvasRenderingContext2D;
        t.drawImage(sprite, sx, sy, 28, 28, 0, 0, 28, 28);
        const px = t.getImageData(0, 0, 28, 28);
        // Light background, the article in brown with its darkness following the tile's brightness.
        const big = ctx.createImageData(360, 300);
        for (let y = 0; y < 300; y++)
          for (let x = 0; x < 360; x++) {
            const tx = Math.floor((x - 110) / 6.5);
            const ty = Math.floor((y - 40) / 7.5);
            const v = tx >= 0 && ty >= 0 && tx < 28 && ty < 28 ? (px.data[(ty * 28 + tx) * 4] as number) / 255 : 0;
            const noise = ((x * 7 + y * 13) % 11) - 5;
            big.data.set([245 - v * 150 + noise, 240 - v * 175 + noise, 230 - v * 195 + noise, 255], (y * 360 + x) * 4);
          }
        ctx.putImageData(big, 0, 0);
      }
      const blob = await canvas.convertToBlob({ type: raw ? 'image/png' : 'image/jpeg', quality: 0.9 });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s2 = '';
      for (const b of bytes) s2 += String.fromCharCode(b);
      return btoa(s2);
    },
    { index, raw },
  );
  return Buffer.from(b64, 'base64');
}
