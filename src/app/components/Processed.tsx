/** The 28x28 image the model saw, drawn large (pixelated) and inverted for display like the catalog pictures. */
import { useEffect, useRef } from 'react';

export function ProcessedImage({ pixels, size = 112 }: { pixels: Uint8Array; size?: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(28, 28);
    pixels.forEach((v, i) => {
      const shown = 255 - v;
      img.data.set([shown, shown, shown, 255], i * 4);
    });
    ctx.putImageData(img, 0, 0);
  }, [pixels]);
  return (
    <canvas
      ref={ref}
      width={28}
      height={28}
      style={{ width: size, height: size, imageRendering: 'pixelated' }}
      className="processed"
      role="img"
      aria-label="Your photo as the model saw it (28 × 28, grayscale)"
      data-testid="processed"
    />
  );
}
