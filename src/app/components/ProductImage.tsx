/**
 * A product's picture: the pack's own (a sprite tile, or an image URL the catalog gives), else an honest text tile
 * with the aisle and category (no picture is invented). The tile's colour follows from the aisle's id, so any
 * catalog's aisles get their own.
 */
import type { CSSProperties } from 'react';
import type { Item } from '../../api/types';
import { useApp } from '../context';
import { cssUrl } from '../../shared/safe-url';

/** A hue from a string (FNV-1a), stable across visits and catalogs. */
export function hueOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 360;
}

export function ProductImage({ item, size }: { item: Item; size: number }) {
  const { catalog } = useApp();
  const picture = catalog.pictureOf(item.id);
  if (picture && 'url' in picture)
    return (
      <img
        className="pimg photo"
        src={picture.url}
        width={size}
        height={size}
        alt={`Photo: ${item.title}`}
        loading="lazy"
        decoding="async"
      />
    );
  const s = picture && 'sprite' in picture ? picture : undefined;
  if (s) {
    const { sprite, index } = s;
    const scale = size / sprite.tileWidth;
    const rows = Math.ceil(sprite.count / sprite.columns);
    const style: CSSProperties = {
      width: size,
      height: size,
      backgroundImage: cssUrl(sprite.spriteUrl),
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
  const hue = hueOf(item.aisle);
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
