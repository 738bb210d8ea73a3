/**
 * One item representation for every pack: each item is described by the blocks its pack can give it (the meaning
 * of its review, the meaning of its title and description, its category and tags, how it looks), each block a
 * unit vector or absent, and the item's vector is the blocks side by side, block b scaled by sqrt(w_b), divided by
 * sqrt(sum of the weights of the blocks the item has). Rows are unit vectors, so a dot product is a cosine:
 *
 *   cos(i, j) = sum over blocks both have of w_b <i_b, j_b> / sqrt(W_i W_j)
 *
 * and it splits exactly into one share per block, which is what a reason names ("its review reads like ...",
 * "looks like ...", "in Bookcases, like ..."). A shopper's profile is a weighted sum of rows, so it is folded in
 * after every event with no training. Items with no interactions (Pantry, Fashion, a shop's own catalog) are
 * recommended by it from the first view; items with few interactions lean on it in "Similar items".
 *
 * The space is per pack: the packs share no users, and the text blocks, though built from the same word vectors,
 * do not relate one aisle's items to another's (measured: docs/models.md "Recommendations").
 */
import { unitRows } from '../shared/unit-rows';
import { embedTexts, normalize, words, type WordVectors } from '../shared/word-vectors';

export type Basis = 'review' | 'text' | 'category' | 'image' | 'bought';

export interface SpaceBlock {
  basis: Basis;
  dims: number;
  weight: number;
  /** [items x dims]: a unit row per item that has this block, a zero row for one that has not. */
  rows: Float32Array;
  /** The category block's labels per item (category, then tags), for the reasons. */
  labels?: string[][];
}

export interface ItemSpace {
  items: number;
  dims: number;
  blocks: { basis: Basis; offset: number; dims: number }[];
  /** [items x dims], unit rows (zero for an item with no block at all). */
  vectors: Float32Array;
  /** Category and tags per item (from the category block). */
  labels: string[][];
}

/**
 * Block weights: what an item is (category, picture, review) weighs as much as its name; a category alone is
 * half a block (it ties every item of the category).
 */
export const BLOCK_WEIGHT: Record<Basis, number> = { review: 1, text: 1, category: 0.5, image: 1, bought: 1 };

/** A text block (TF-IDF-weighted word vectors, corpus mean removed); items with no known word lack it. */
export function textBlock(basis: 'review' | 'text', texts: string[], wv: WordVectors): SpaceBlock {
  return { basis, dims: wv.dims, weight: BLOCK_WEIGHT[basis], rows: embedTexts(texts, wv) };
}

/**
 * Category and tags as one-hots, 1/sqrt(count) each; items with neither lack it. A label every item has tells
 * nothing apart (Pantry's "Grocery") and is left out.
 */
export function categoryBlock(items: { category?: string; tags?: string[] }[]): SpaceBlock {
  const all = items.map((i) => [...new Set([i.category, ...(i.tags ?? [])].filter((x): x is string => !!x))]);
  const count = new Map<string, number>();
  for (const ls of all) for (const l of ls) count.set(l, (count.get(l) ?? 0) + 1);
  const labels = all.map((ls) => ls.filter((l) => (count.get(l) as number) < items.length));
  const at = new Map([...new Set(labels.flat())].sort().map((l, k) => [l, k]));
  const dims = at.size;
  const rows = new Float32Array(items.length * dims);
  labels.forEach((ls, r) => {
    for (const l of ls) rows[r * dims + (at.get(l) as number)] = 1 / Math.sqrt(ls.length);
  });
  return { basis: 'category', dims, weight: BLOCK_WEIGHT.category, rows, labels };
}

/** Image embeddings (rows normalised here; a zero row: no picture). */
export function imageBlock(vectors: Float32Array, dims: number): SpaceBlock {
  const rows = Float32Array.from(vectors);
  for (let r = 0; r < rows.length / dims; r++) normalize(rows, r * dims, dims);
  return { basis: 'image', dims, weight: BLOCK_WEIGHT.image, rows };
}

/**
 * A shop pack's learned item vectors (catalog/schema.ts ItemVectorsSchema: from its released pairs, or trained by
 * the shop): who buys an item, as a block; an item without a vector lacks it and is placed by its content.
 */
export function boughtBlock(items: number, v: { dims: number; item: number[]; values: number[] }): SpaceBlock {
  return { basis: 'bought', dims: v.dims, weight: BLOCK_WEIGHT.bought, rows: unitRows(items, v) };
}

/** The blocks side by side, each scaled by sqrt(weight), each row divided by sqrt(its blocks' total weight). */
export function itemSpace(items: number, blocks: SpaceBlock[]): ItemSpace {
  for (const b of blocks)
    if (b.rows.length !== items * b.dims)
      throw new Error(`item space: the ${b.basis} block has ${b.rows.length / b.dims} rows for ${items} items`);
  // A block no item has (Pantry's names, all "Fine Foods product …") would only cost time.
  const has = blocks.map((b) => Uint8Array.from({ length: items }, (_, r) => (hasRow(b, r) ? 1 : 0)));
  const used = blocks.filter((_, k) => has[k]?.includes(1));
  const present = has.filter((h) => h.includes(1));
  const dims = used.reduce((a, b) => a + b.dims, 0);
  const vectors = new Float32Array(items * dims);
  const layout: ItemSpace['blocks'] = [];
  let offset = 0;
  for (const b of used) {
    layout.push({ basis: b.basis, offset, dims: b.dims });
    const s = Math.sqrt(b.weight);
    for (let r = 0; r < items; r++)
      for (let p = 0; p < b.dims; p++) vectors[r * dims + offset + p] = s * (b.rows[r * b.dims + p] as number);
    offset += b.dims;
  }
  for (let r = 0; r < items; r++) {
    let total = 0;
    used.forEach((b, k) => (total += present[k]?.[r] ? b.weight : 0));
    if (total > 0)
      for (let p = 0; p < dims; p++) vectors[r * dims + p] = (vectors[r * dims + p] as number) / Math.sqrt(total);
  }
  const labels = blocks.find((b) => b.labels)?.labels ?? [];
  return { items, dims, blocks: layout, vectors, labels };
}

function hasRow(b: SpaceBlock, r: number): boolean {
  for (let p = 0; p < b.dims; p++) if (b.rows[r * b.dims + p] !== 0) return true;
  return false;
}

/** The labels (category, tags) two items share, in a's order. */
export function sharedLabels(space: ItemSpace, a: number, b: number): string[] {
  const theirs = new Set(space.labels[b] ?? []);
  return (space.labels[a] ?? []).filter((l) => theirs.has(l));
}

/** Each block's share of cos(a, b), largest first (the shares add up to the cosine). */
export function blockShares(space: ItemSpace, a: number, b: number): { basis: Basis; share: number }[] {
  const { dims, vectors } = space;
  return space.blocks
    .map(({ basis, offset, dims: n }) => {
      let s = 0;
      for (let p = offset; p < offset + n; p++)
        s += (vectors[a * dims + p] as number) * (vectors[b * dims + p] as number);
      return { basis, share: s };
    })
    .sort((x, y) => y.share - x.share);
}

/** What a pack's catalog says of its items (reviews joined per item; '' for none). */
export interface Described {
  title: string;
  category?: string;
  tags?: string[];
  description?: string;
  sku?: string;
  review: string;
}

/**
 * What an item's name says beyond its category: the title less the SKU (it names, it does not describe) and less
 * the category's and tags' words, which the category block already holds ("Ankle boot no. 12" says nothing more
 * than its category "Ankle boot").
 */
function nameWords(i: Described): string {
  const known = new Set(words([i.category ?? '', ...(i.tags ?? []), i.sku ?? ''].join(' ')));
  return words(i.sku ? i.title.split(i.sku).join(' ') : i.title)
    .filter((w) => !known.has(w))
    .join(' ');
}

/**
 * The blocks of one pack's items from what its catalog says: review, title and description (nameWords), category
 * and tags; the text blocks only with word vectors. The picture block joins once the image embedder has run.
 */
export function describeItems(items: Described[], wv: WordVectors | null): SpaceBlock[] {
  const blocks: SpaceBlock[] = [categoryBlock(items)];
  if (wv) {
    blocks.unshift(
      textBlock(
        'text',
        items.map((i) => [nameWords(i), i.description ?? ''].join(' ')),
        wv,
      ),
    );
    if (items.some((i) => i.review))
      blocks.unshift(
        textBlock(
          'review',
          items.map((i) => i.review),
          wv,
        ),
      );
  }
  return blocks;
}
