/**
 * The catalog-pack format, version 1: the contract between HushCart and whoever supplies a catalog (the demo
 * store's four packs, or a shop embedding the widget). A pack is a small JSON manifest plus files (JSON, or
 * gzipped JSON) for items, optional interactions, optional reviews and an optional image sprite.
 * Everything is validated on load; errors name the file, the item and the field.
 */
import { z } from '../shared/zod';

export const PACK_FORMAT = 'hushcart-pack';
export const PACK_VERSION = 1;

export const AisleSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be lowercase letters, digits or dashes (max 40)'),
  name: z.string().min(1).max(80),
  description: z.string().max(500).optional(),
});

export const PriceSchema = z.object({
  amount: z.number().nonnegative().finite(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO 4217 code'),
  /** How the price was derived when it is not a listed price (shown to the shopper). */
  derived: z.string().max(300).optional(),
});

export const ItemImageSchema = z.union([
  z.object({ sprite: z.number().int().nonnegative() }).strict(),
  z.object({ url: z.string().min(1).max(2000) }).strict(),
]);

export const AVAILABILITY = ['in_stock', 'out_of_stock', 'preorder', 'backorder'] as const;

import { FALLBACKS, SLOTS, type Fallback, type Slot } from './slots';
export { FALLBACKS, SLOTS, type Fallback, type Slot };

export const ItemSchema = z
  .object({
    id: z.string().min(1).max(200),
    aisle: z.string().min(1),
    title: z.string().min(1).max(500),
    category: z.string().min(1).max(200).optional(),
    tags: z.array(z.string().min(1).max(100)).max(50).optional(),
    year: z.number().int().min(1800).max(2100).optional(),
    description: z.string().max(20_000).optional(),
    sku: z.string().max(100).optional(),
    price: PriceSchema.optional(),
    image: ItemImageSchema.optional(),
    /** The item's page: an http(s) URL or a path relative to the manifest; any other scheme is dropped at load. */
    url: z.string().max(2000).optional(),
    /** Merchant Center's values; an item that is not available (out_of_stock) is never recommended unless asked. */
    availability: z.enum(AVAILABILITY).optional(),
    /** The price it sells at now, when lower than `price` (a sale). */
    salePrice: PriceSchema.optional(),
    /** When the shop added it (YYYY-MM-DD): new arrivals. */
    added: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
      .optional(),
    brand: z.string().min(1).max(200).optional(),
  })
  .strict();

/**
 * A shop's rule for what its lists show (in the pack's `rules`, or per call): pin an item to a position (1-based),
 * boost or bury items by category, tag or brand (their scores times `factor`: above 1 boosts, below buries), or
 * exclude items or categories. A rule without `slot` applies to every slot.
 */
export const MerchRuleSchema = z
  .object({
    action: z.enum(['pin', 'boost', 'bury', 'exclude']),
    slot: z.enum(SLOTS).optional(),
    itemId: z.string().min(1).max(200).optional(),
    position: z.number().int().min(1).max(50).optional(),
    category: z.string().min(1).max(200).optional(),
    tag: z.string().min(1).max(100).optional(),
    brand: z.string().min(1).max(200).optional(),
    factor: z.number().positive().max(100).optional(),
  })
  .strict()
  .refine((r) => r.action !== 'pin' || (r.itemId !== undefined && r.position !== undefined), {
    message: 'a pin names an itemId and a position',
  })
  .refine((r) => r.action === 'pin' || [r.itemId, r.category, r.tag, r.brand].some((v) => v !== undefined), {
    message: 'a rule names an itemId, a category, a tag or a brand',
  })
  .refine((r) => (r.action !== 'boost' && r.action !== 'bury') || r.factor !== undefined, {
    message: 'boost and bury take a factor (above 1 boosts, below 1 buries)',
  });

/**
 * Interactions are columnar: parallel arrays, one entry per interaction. `item` indexes the pack's items,
 * `user` indexes `users`. `basket` (optional) groups lines bought together (an order).
 */
export const InteractionsSchema = z
  .object({
    kind: z.enum(['rating', 'purchase', 'view']),
    users: z.array(z.string().min(1)),
    user: z.array(z.number().int().nonnegative()),
    item: z.array(z.number().int().nonnegative()),
    value: z.array(z.number().finite()),
    timestamp: z.array(z.number().int()),
    basket: z.array(z.number().int().nonnegative()).optional(),
  })
  .strict();

const index = z.number().int().nonnegative();
/** Released counts, sparse: `count[k]` people chose item `item[k]` (noisy; see docs/privacy.md). */
const CountsSchema = z.object({ item: z.array(index), count: z.array(z.number().nonnegative().finite()) }).strict();
/** Released pair counts: `count[k]` people support the pair (a[k], b[k]). */
const PairsSchema = z
  .object({ a: z.array(index), b: z.array(index), count: z.array(z.number().nonnegative().finite()) })
  .strict();

/** The kinds of aggregate a shop pack releases, each with its own privacy budget. */
export const AGGREGATE_KINDS = [
  'customers',
  'popularity',
  'recent',
  'together',
  'alsoBought',
  'next',
  'groups',
] as const;
export type AggregateKind = (typeof AGGREGATE_KINDS)[number];

/** Where a shop pack's item vectors come from, and what they were measured at (./ItemVectorsSchema). */
export const VectorCardSchema = z
  .object({
    /** 'released-pairs': computed from the pack's own released pairs; 'imported': trained by the shop elsewhere. */
    source: z.enum(['released-pairs', 'imported']),
    method: z.string().max(300),
    /** The months of orders behind them, and about how many customers (noisy). */
    period: z.object({ from: z.string().max(7), to: z.string().max(7) }).strict(),
    customers: z.number().nonnegative(),
    /** Items with a vector, and the catalog's items. */
    items: z.number().int().nonnegative(),
    catalogItems: z.number().int().nonnegative(),
    k: z.number().int().min(1),
    /** The budget they inherit (the pairs'), or null: imported vectors are not differentially private. */
    epsilon: z.number().positive().nullable(),
    /** Held-out last order per customer, when the builder measured it (--evaluate). */
    metrics: z
      .object({ ndcg10: z.number().min(0).max(1), hr10: z.number().min(0).max(1), customers: z.number().int() })
      .strict()
      .optional(),
  })
  .strict();

/** Learned item vectors: `values` holds `dims` numbers per entry of `item` (indices into the pack's items). */
export const ItemVectorsSchema = z
  .object({
    dims: z.number().int().min(1).max(256),
    item: z.array(index),
    values: z.array(z.number().finite()),
    card: VectorCardSchema,
  })
  .strict();

/**
 * What a shop pack carries instead of interactions (`npm run shop-pack`): counts that many customers support,
 * with calibrated noise, and never a person's row. Items are indices into the pack's items.
 */
export const AggregatesSchema = z
  .object({
    format: z.literal('hushcart-aggregates'),
    version: z.literal(1),
    /** The months the orders span ("2024-01" to "2024-06"): never an individual order's time. */
    period: z.object({ from: z.string().max(7), to: z.string().max(7) }).strict(),
    privacy: z
      .object({
        k: z.number().int().min(1),
        epsilon: z.record(z.enum(AGGREGATE_KINDS), z.number().positive()),
        delta: z.number().min(0).max(1).optional(),
        mechanism: z.literal('laplace'),
        maxItemsPerCustomer: z.number().int().positive(),
        maxPairsPerCustomer: z.number().int().positive(),
      })
      .strict(),
    /** About how many customers the orders come from (noisy). */
    customers: z.number().nonnegative(),
    popularity: CountsSchema,
    /** Popularity over the last `days` of the period (trending). */
    recent: CountsSchema.extend({ days: z.number().int().positive() }).strict(),
    /** Bought in the same order (a < b). */
    together: PairsSchema,
    /** Bought by the same customer, in any orders (a < b). */
    alsoBought: PairsSchema,
    /** b bought in the order after one with a. */
    next: PairsSchema,
    /** Departments bought in the same order: `of[i]` is item i's group in `names`. */
    groups: z
      .object({
        names: z.array(z.string().max(200)),
        of: z.array(index),
        count: z.array(z.number().nonnegative().finite()),
        pairs: PairsSchema,
      })
      .strict(),
    /** Item vectors (for For you and Similar items), with their model card; absent items are served by content. */
    vectors: ItemVectorsSchema.optional(),
  })
  .strict();

export const ReviewSchema = z
  .object({
    itemId: z.string().min(1),
    text: z.string().min(1).max(100_000),
    label: z.enum(['great', 'other']).optional(),
    rating: z.number().min(0).max(5).optional(),
    split: z.enum(['train', 'test']).optional(),
  })
  .strict();

export const SpriteSchema = z
  .object({
    sprite: z.string().min(1),
    tileWidth: z.number().int().positive().max(1024),
    tileHeight: z.number().int().positive().max(1024),
    columns: z.number().int().positive(),
    count: z.number().int().nonnegative(),
    channels: z.union([z.literal(1), z.literal(3), z.literal(4)]),
    /** 'dark' = light object on a dark background (Fashion-MNIST); the UI inverts it for display. */
    background: z.enum(['dark', 'light']),
  })
  .strict();

const fileOr = <T extends z.ZodType>(inline: T) => z.union([z.string().min(1), inline]);

export const PackManifestSchema = z
  .object({
    format: z.literal(PACK_FORMAT),
    version: z.literal(PACK_VERSION),
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be lowercase letters, digits or dashes (max 40)'),
    name: z.string().min(1).max(80),
    aisles: z.array(AisleSchema).min(1).max(50),
    items: fileOr(z.array(z.unknown())),
    interactions: fileOr(z.unknown()).optional(),
    /** A shop pack's released aggregates (./AggregatesSchema), instead of interactions. */
    aggregates: fileOr(z.unknown()).optional(),
    /**
     * Origins the shop's pictures may come from besides the pack's own (its image host, e.g. a CDN): shown in
     * <img> by the page, never fetched by HushCart's worker.
     */
    imageOrigins: z.array(z.string().max(200)).max(10).optional(),
    /** The shop's merchandising rules (MerchRuleSchema), applied to every list. */
    rules: z.array(MerchRuleSchema).max(500).optional(),
    /** Per slot, what fills a list that would be short, in order (e.g. similar: popular-category, trending). */
    fallbacks: z.partialRecord(z.enum(SLOTS), z.array(z.enum(FALLBACKS)).max(4)).optional(),
    reviews: fileOr(z.array(z.unknown())).optional(),
    images: SpriteSchema.optional(),
    source: z.string().max(500).optional(),
    /**
     * Who the interactions are from, as the shopper reads it in a reason ("rated by 341 MovieLens users");
     * "shoppers" when absent.
     */
    audience: z.string().min(1).max(80).optional(),
    /**
     * Models trained in a browser for this pack (a file `HushCart.exportModels()` wrote, beside the manifest): a first
     * visit loads those still stamped with this pack's data hash instead of training them.
     */
    models: z.string().min(1).max(2000).optional(),
  })
  .strict();

export type Aisle = z.infer<typeof AisleSchema>;
export type Item = z.infer<typeof ItemSchema>;
export type Price = z.infer<typeof PriceSchema>;
export type Interactions = z.infer<typeof InteractionsSchema>;
export type Review = z.infer<typeof ReviewSchema>;
export type MerchRule = z.infer<typeof MerchRuleSchema>;
export type Aggregates = z.infer<typeof AggregatesSchema>;
export type ItemVectors = z.infer<typeof ItemVectorsSchema>;
export type VectorCard = z.infer<typeof VectorCardSchema>;
export type Sprite = z.infer<typeof SpriteSchema>;
export type PackManifest = z.infer<typeof PackManifestSchema>;

/** A pack after loading and validation: every part resolved and cross-checked. */
export interface Pack {
  id: string;
  name: string;
  /** Where the manifest came from; relative image URLs resolve against it. */
  baseUrl: string;
  aisles: Aisle[];
  items: Item[];
  interactions?: Interactions;
  /** A shop pack's released aggregates (no per-person rows). */
  aggregates?: Aggregates;
  /** The shop's image hosts: its pictures there are shown by the widget in <img>, never read by HushCart. */
  imageOrigins?: string[];
  /** The shop's merchandising rules. */
  rules?: MerchRule[];
  /** The shop's fallback chains, per slot. */
  fallbacks?: Partial<Record<Slot, Fallback[]>>;
  reviews?: Review[];
  images?: Sprite & { spriteUrl: string };
  source?: string;
  audience?: string;
  /** The URL of the models shipped with the pack (same origin). */
  models?: string;
  /** What loading left out and why (item links that were not http(s)): the pack loads, the warning is shown. */
  warnings?: string[];
}
