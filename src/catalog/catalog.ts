/**
 * The in-memory catalog: every loaded pack's items, indexed by id and by aisle, with reviews by item.
 * Read-only after construction; the UI and the API read it, nothing writes it.
 */
import { HushCartError } from '../errors';
import type { Aisle, Item, Pack, Review, Sprite } from './schema';

export interface AisleInfo extends Aisle {
  packId: string;
  count: number;
}

export interface ListOptions {
  aisle?: string;
  offset?: number;
  limit?: number;
}

export interface ItemPage {
  items: Item[];
  total: number;
  offset: number;
}

export type Picture = { url: string } | { sprite: Sprite & { spriteUrl: string }; index: number };

export class Catalog {
  private readonly byId = new Map<string, Item>();
  private readonly byAisle = new Map<string, Item[]>();
  private readonly reviewsByItem = new Map<string, Review[]>();
  private readonly packOf = new Map<string, Pack>();
  readonly aisles: AisleInfo[] = [];

  constructor(readonly packs: Pack[]) {
    for (const pack of packs) {
      for (const a of pack.aisles) {
        if (this.byAisle.has(a.id))
          throw new HushCartError(
            'catalog/invalid',
            `pack '${pack.id}': aisle '${a.id}' is already used by another pack`,
          );
        this.byAisle.set(a.id, []);
      }
      for (const it of pack.items) {
        if (this.byId.has(it.id))
          throw new HushCartError('catalog/invalid', `pack '${pack.id}': item '${it.id}' is already in another pack`);
        this.byId.set(it.id, it);
        this.packOf.set(it.id, pack);
        this.byAisle.get(it.aisle)?.push(it);
      }
      for (const r of pack.reviews ?? []) {
        const list = this.reviewsByItem.get(r.itemId);
        if (list) list.push(r);
        else this.reviewsByItem.set(r.itemId, [r]);
      }
      for (const a of pack.aisles)
        this.aisles.push({ ...a, packId: pack.id, count: this.byAisle.get(a.id)?.length ?? 0 });
    }
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): Item | undefined {
    return this.byId.get(id);
  }

  /** Like get, but a missing id is an error that says which id. */
  require(id: string): Item {
    const it = this.byId.get(id);
    if (!it) throw new HushCartError('catalog/not-found', `no item '${id}' in the catalog`);
    return it;
  }

  aisle(id: string): AisleInfo | undefined {
    return this.aisles.find((a) => a.id === id);
  }

  list({ aisle, offset = 0, limit = 50 }: ListOptions = {}): ItemPage {
    if (aisle !== undefined && !this.byAisle.has(aisle))
      throw new HushCartError(
        'api/invalid-argument',
        `no aisle '${aisle}'; aisles are: ${this.aisles.map((a) => a.id).join(', ')}`,
      );
    if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 0 || limit > 1000)
      throw new HushCartError(
        'api/invalid-argument',
        'offset must be an integer >= 0 and limit an integer from 0 to 1000',
      );
    const all = aisle === undefined ? [...this.byId.values()] : (this.byAisle.get(aisle) ?? []);
    return { items: all.slice(offset, offset + limit), total: all.length, offset };
  }

  /** Every item of an aisle, in pack order (read-only: the catalog's own array). */
  itemsIn(aisle: string): readonly Item[] {
    return this.byAisle.get(aisle) ?? [];
  }

  reviews(itemId: string): Review[] {
    return this.reviewsByItem.get(itemId) ?? [];
  }

  /** The sprite an item's image lives in, with its tile index, if the item has a sprite image. */
  spriteOf(itemId: string): { sprite: Sprite & { spriteUrl: string }; index: number } | undefined {
    const it = this.byId.get(itemId);
    const sprite = this.packOf.get(itemId)?.images;
    if (!it?.image || !('sprite' in it.image) || !sprite) return undefined;
    return { sprite, index: it.image.sprite };
  }

  /**
   * An item's picture as HushCart itself may read and show it: a sprite tile, or a URL (same origin, data: or
   * blob:, checked on load). A picture on the shop's image host (the pack's imageOrigins) is not: the widget shows
   * it on the shop's page, but the store and the engine never request another origin.
   */
  pictureOf(itemId: string): Picture | undefined {
    const it = this.byId.get(itemId);
    if (it?.image && 'url' in it.image) {
      const hosts = this.packOf.get(itemId)?.imageOrigins;
      if (hosts && /^https?:/i.test(it.image.url) && hosts.includes(new URL(it.image.url).origin)) return undefined;
      return { url: it.image.url };
    }
    const s = this.spriteOf(itemId);
    return s ? { sprite: s.sprite, index: s.index } : undefined;
  }

  /** Whether any item has a review. */
  hasReviews(): boolean {
    return this.reviewsByItem.size > 0;
  }

  /** Items that have a picture, in catalog order (what visual search indexes). */
  pictured(): Item[] {
    return this.packs.flatMap((p) => p.items.filter((i) => this.pictureOf(i.id)));
  }

  /** The pack an item belongs to. */
  packOfItem(itemId: string): Pack | undefined {
    return this.packOf.get(itemId);
  }

  counts(): Record<string, number> {
    return Object.fromEntries(this.aisles.map((a) => [a.id, a.count]));
  }
}

/** A pack's review texts by item id (items without reviews absent). */
export function reviewTexts(pack: Pick<Pack, 'reviews'>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of pack.reviews ?? []) {
    const list = out.get(r.itemId);
    if (list) list.push(r.text);
    else out.set(r.itemId, [r.text]);
  }
  return out;
}
