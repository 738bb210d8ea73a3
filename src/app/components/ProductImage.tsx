/**
 * A product's picture: the real thumbnail from its pack's sprite (Fashion), else an honest text tile with the
 * aisle and category (the other sources have no images, and we do not invent any).
 */
import type { CSSProperties } from 'react';
import type { Item } from '../../api/types';
import { useApp } from '../context';

const HUES: Record<string, number> = { movies: 265, fashion: 200, pantry: 30, office: 150 };

export function ProductImage({ item, size }: { item: Item; size: number }) {
  const { catalog } = useApp();
  const s = catalog.spriteOf(item.id);
  if (s) {
    const { sprite, index } = s;
    const scale = size / sprite.tileWidth;
    const rows = Math.ceil(sprite.count / sprite.columns);
    const style: CSSProperties = {
      width: size,
      height: size,
      backgroundImage: `url("${sprite.spriteUrl}")`,
      backgroundSize: `${sprite.columns * sprite.tileWidth * scale}px ${rows * sprite.tileHeight * scale}px`,
      backgroundPosition: `-${(index % sprite.columns) * sprite.tileWidth * scale}px -${Math.floor(index / sprite.columns) * sprite.tileHeight * scale}px`,
    };
    return (
      <div
        className={`pimg sprite ${sprite.background === 'dark' ? 'invert' : ''}`}
        style={style}
        role="img"
        aria-label={`Photo: ${item.title}`}
      />
    );
  }
  const hue = HUES[item.aisle] ?? 0;
  const style: CSSProperties = {
    width: size,
    height: size,
    backgroundColor: `hsl(${hue} 35% 92%)`,
    color: `hsl(${hue} 40% 28%)`,
  };
  return (
    <div className="pimg tile" style={style} aria-hidden="true">
      <span className="tile-cat">{item.category ?? item.aisle}</span>
      <span className="tile-initial">{item.title.replace(/^(The|A|An) /, '').charAt(0)}</span>
    </div>
  );
}
