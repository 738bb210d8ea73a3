/**
 * The shop-pack builder: product, order and review exports in, a pack out (a manifest and the files it names),
 * with a privacy report. The same code runs in the command line (./cli.ts) and in the app's shop page: nothing
 * here touches a file system or the network.
 */
import {
  AGGREGATE_KINDS,
  PACK_FORMAT,
  PACK_VERSION,
  type AggregateKind,
  type Aisle,
  type Aggregates,
  type Interactions,
  type Item,
  type ItemVectors,
  type PackManifest,
  type Review,
} from '../catalog/schema';
import { HushCartError } from '../errors';
import {
  aggregate,
  DEFAULT_AGGREGATES,
  releaseCounts,
  type AggregateOptions,
  type Counted,
  type CountedSizes,
} from './aggregate';
import { readCounts } from './counts';
import { slug, type ShopPackReport } from './contract';
export type { ShopPackReport } from './contract';
import { OrderBook, ProductLookup, readOrders } from './orders';
import { secureRandom, type Random } from './privacy';
import { newProductTable, readProducts, toItem, warn, type Product } from './products';
import { keepSupported, readItemVectors, vectorsFromPairs } from './item-vectors';
import { readModelsFile } from './models-file';
import { privacyCost, type PrivacyCost } from './quality';
import { csvRows, field, inputError, type InputFile } from './source';

export interface ShopPackOptions {
  /** The pack's id and name (the id: lowercase letters, digits, dashes). */
  id: string;
  name: string;
  k?: number;
  /** One budget for every kind, or per kind. */
  epsilon?: number | Partial<Record<AggregateKind, number>>;
  delta?: number;
  maxItems?: number;
  maxPairs?: number;
  recentDays?: number;
  /** The currency of prices written without one (Shopify's product CSV has none). */
  currency?: string;
  /**
   * The orders are a public research data set (MovieLens written out as orders): also write them as the pack's
   * raw interactions. Never for a shop's own customers.
   */
  publicData?: boolean;
  /** Where the data comes from, and who "chosen by N ..." counts, as the shopper reads them. */
  source?: string;
  audience?: string;
  /** Also measure what privacy costs (held-out last order per customer): slower. */
  evaluate?: boolean;
  random?: Random;
  onProgress?: (stage: string) => void;
}

export interface ShopPackInputs {
  products: InputFile[];
  orders?: InputFile[];
  /** Counts a warehouse computed with the same bounds (./counts.ts), instead of orders. */
  counts?: InputFile[];
  /** Models the app trained on the shop's side (a file exportModels() wrote: ./models-file.ts), shipped as they are. */
  models?: InputFile;
  /** Item vectors trained elsewhere (Spark ALS item factors: ./item-vectors.ts), instead of those from the pairs. */
  itemVectors?: InputFile;
  reviews?: InputFile;
}

export interface ShopPack {
  manifest: PackManifest;
  /** Every file of the pack but the manifest, by name (written beside pack.json): JSON text, or gzipped bytes. */
  files: Map<string, string | Uint8Array>;
  report: ShopPackReport;
}

/** Departments to aisles: the 49 largest by product count, the rest under "Other" (a pack has at most 50). */
function chooseAisles(products: Product[], shopName: string): { aisles: Aisle[]; of: (p: Product) => string } {
  const sizes = new Map<string, number>();
  for (const p of products) if (p.department) sizes.set(p.department, (sizes.get(p.department) ?? 0) + 1);
  if (!sizes.size) return { aisles: [{ id: 'all', name: shopName.slice(0, 80) }], of: () => 'all' };
  const kept = [...sizes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 49);
  const ids = new Map<string, string>();
  const aisles: Aisle[] = [];
  for (const [name] of kept) {
    let id = slug(name);
    while (aisles.some((a) => a.id === id)) id = `${id.slice(0, 37)}-${aisles.length}`;
    ids.set(name, id);
    aisles.push({ id, name: name.slice(0, 80) });
  }
  const needsOther = products.some((p) => !p.department || !ids.has(p.department));
  if (needsOther) aisles.push({ id: aisles.some((a) => a.id === 'other') ? 'other-products' : 'other', name: 'Other' });
  const other = aisles[aisles.length - 1]?.id as string;
  return { aisles, of: (p) => (p.department && ids.get(p.department)) || other };
}

/** A picture given inline: a base64 PNG, JPEG, WebP or GIF of at most about 100 kB. */
const INLINE_PICTURE = /^data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/]{1,136000}={0,2}$/;

/** Picture hosts: absolute image URLs' origins, at most 10 (pictures on any further host are dropped, counted). */
function imageHosts(items: Item[], warnings: Map<string, { count: number; example: string }>): string[] {
  const origins: string[] = [];
  for (const it of items) {
    if (!it.image || !('url' in it.image)) continue;
    // A picture inline (the shop's own bytes in the pack, read on the device like the pack's other files).
    if (INLINE_PICTURE.test(it.image.url)) continue;
    let origin: string;
    try {
      const u = new URL(it.image.url);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
      origin = u.origin;
    } catch {
      warn({ warnings }, 'picture that is not an http(s) URL (dropped)', `'${it.id}': ${it.image.url.slice(0, 60)}`);
      delete it.image;
      continue;
    }
    if (!origins.includes(origin)) {
      if (origins.length >= 10) {
        warn({ warnings }, 'picture on an 11th image host (dropped)', `'${it.id}': ${origin}`);
        delete it.image;
        continue;
      }
      origins.push(origin);
    }
  }
  return origins;
}

async function readReviews(
  file: InputFile,
  ids: Set<string>,
  warnings: Map<string, { count: number; example: string }>,
) {
  const reviews: Review[] = [];
  let rows = 0;
  for await (const row of csvRows(file)) {
    rows++;
    const product = field(file.name, row, 'product', true);
    const text = field(file.name, row, 'text');
    if (!ids.has(product)) {
      warn({ warnings }, 'review of no product in the catalog (skipped)', `${file.name} line ${row.line}`);
      continue;
    }
    if (!text) {
      warn({ warnings }, 'review without text (skipped)', `${file.name} line ${row.line}`);
      continue;
    }
    const raw = field(file.name, row, 'rating');
    const rating = raw === undefined ? undefined : Number(raw);
    if (rating !== undefined && !(rating >= 0 && rating <= 5))
      throw inputError(file.name, `line ${row.line}, column "rating": '${raw}' is not a rating from 0 to 5`);
    reviews.push({ itemId: product, text: text.slice(0, 100_000), ...(rating !== undefined ? { rating } : {}) });
  }
  return { reviews, rows };
}

function budgets(e: ShopPackOptions['epsilon']): Record<AggregateKind, number> {
  const base = typeof e === 'number' ? e : DEFAULT_AGGREGATES.epsilon;
  const out = Object.fromEntries(AGGREGATE_KINDS.map((k) => [k, base])) as Record<AggregateKind, number>;
  if (e && typeof e === 'object') Object.assign(out, e);
  for (const [kind, v] of Object.entries(out))
    if (!(v > 0 && Number.isFinite(v)))
      throw new HushCartError('api/invalid-argument', `epsilon for ${kind} must be a positive number (got ${v})`);
  return out;
}

function check(options: ShopPackOptions): void {
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(options.id))
    throw new HushCartError(
      'api/invalid-argument',
      `pack id '${options.id}': lowercase letters, digits or dashes (max 40)`,
    );
  const positiveInt = (name: string, v: number | undefined) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= 1))
      throw new HushCartError('api/invalid-argument', `${name} must be a whole number of at least 1 (got ${v})`);
  };
  positiveInt('k', options.k);
  positiveInt('max items', options.maxItems);
  positiveInt('max pairs', options.maxPairs);
  positiveInt('recent days', options.recentDays);
  if (options.delta !== undefined && !(options.delta > 0 && options.delta < 1))
    throw new HushCartError('api/invalid-argument', `delta must be between 0 and 1 (got ${options.delta})`);
}

const bytes = (s: string | Uint8Array) => (typeof s === 'string' ? new TextEncoder().encode(s).length : s.length);

/** The release's parameters: the options given, the defaults for the rest, noise from the secure generator. */
function aggregateOptionsOf(options: ShopPackOptions): AggregateOptions {
  return {
    k: options.k ?? DEFAULT_AGGREGATES.k,
    epsilon: budgets(options.epsilon),
    ...(options.delta ? { delta: options.delta } : {}),
    maxItems: options.maxItems ?? DEFAULT_AGGREGATES.maxItems,
    maxPairs: options.maxPairs ?? DEFAULT_AGGREGATES.maxPairs,
    recentDays: options.recentDays ?? DEFAULT_AGGREGATES.recentDays,
    random: options.random ?? secureRandom(),
  };
}

/** The products as the pack's items, under aisles chosen from their departments; the groups for department pairs. */
async function readCatalog(files: InputFile[], options: ShopPackOptions, progress: (stage: string) => void) {
  const table = newProductTable();
  for (const f of files) {
    progress(`reading products: ${f.name}`);
    await readProducts(table, f, options.currency ?? 'USD');
  }
  const products = [...table.products.values()];
  const { aisles, of } = chooseAisles(products, options.name);
  const items = products.map((p) => toItem(p, of(p)));
  const imageOrigins = imageHosts(items, table.warnings);
  const groupNames = [...new Set(items.map((i) => i.category ?? i.aisle))];
  const groupIndex = new Map(groupNames.map((g, x) => [g, x]));
  const groups = { names: groupNames, of: items.map((i) => groupIndex.get(i.category ?? i.aisle) as number) };
  return { table, items, aisles, imageOrigins, groups };
}

export async function buildShopPack(inputs: ShopPackInputs, options: ShopPackOptions): Promise<ShopPack> {
  check(options);
  if (!inputs.products.length) throw new HushCartError('api/invalid-argument', 'give at least one products file');
  if (inputs.counts?.length && inputs.orders?.length)
    throw new HushCartError('api/invalid-argument', 'give orders or counts computed from them, not both');
  const progress = options.onProgress ?? (() => undefined);
  const { table, items, aisles, imageOrigins, groups } = await readCatalog(inputs.products, options, progress);
  const warnings = table.warnings;
  const ids = items.map((i) => i.id);

  const book = new OrderBook(ids);
  const lookup = new ProductLookup(table, ids);
  for (const f of inputs.orders ?? []) {
    progress(`reading orders: ${f.name}`);
    await readOrders(book, f, lookup);
  }
  for (const [k, w] of book.warnings) warnings.set(k, w);
  const read = [
    ...table.formats,
    ...book.files.map((f) => ({ file: f.file, format: `${f.format} orders`, rows: f.lines })),
  ];
  let reviews: Review[] | undefined;
  if (inputs.reviews) {
    progress(`reading reviews: ${inputs.reviews.name}`);
    const r = await readReviews(inputs.reviews, new Set(ids), warnings);
    reviews = r.reviews;
    read.push({ file: inputs.reviews.name, format: 'reviews', rows: r.rows });
  }

  const aggregateOptions = aggregateOptionsOf(options);
  const { k, epsilon } = aggregateOptions;
  const files = new Map<string, string | Uint8Array>();
  const contains = new Map<string, string>();
  files.set('items.json', JSON.stringify(items));
  contains.set('items.json', `${items.length} products: titles, descriptions, prices, links, picture URLs`);
  let released: CountedSizes[] = [];
  let cost: PrivacyCost | undefined;
  let aggregates: Aggregates | undefined;
  let counted: Counted | null = null;
  for (const f of inputs.counts ?? []) {
    progress(`reading counts: ${f.name}`);
    const r = await readCounts(f, ids, warnings);
    read.push({ file: f.name, format: 'warehouse counts', rows: r.rows });
    counted = counted ? mergeCounts(counted, r.counted) : r.counted;
  }
  if (book.length || counted) {
    progress('counting and releasing aggregates');
    const result = counted
      ? releaseCounts(counted, ids.length, groups, aggregateOptions)
      : aggregate(book, groups, aggregateOptions);
    aggregates = result.aggregates;
    released = result.sizes;
    if (options.evaluate && book.length) {
      progress('measuring what privacy costs (held-out last order per customer)');
      cost = privacyCost(book, groups, aggregateOptions);
    }
  }
  const vectors = await itemVectors(inputs.itemVectors, aggregates, ids, {
    k,
    epsilon,
    cost,
    warnings,
    read,
    progress,
  });
  if (aggregates) {
    if (vectors) aggregates.vectors = vectors;
    files.set('aggregates.json', JSON.stringify(aggregates));
    contains.set(
      'aggregates.json',
      'counts supported by at least k customers, with noise: popularity, trending, bought together, also bought, bought next, departments' +
        (vectors ? `; item vectors for ${vectors.item.length} products (${vectors.card.method})` : ''),
    );
  }
  let interactions: Interactions | undefined;
  if (options.publicData && book.length) {
    interactions = rawInteractions(book);
    files.set('interactions.json', JSON.stringify(interactions));
    contains.set('interactions.json', 'every order line (PUBLIC RESEARCH DATA ONLY: --public-data was given)');
  }
  book.forgetIdentifiers();
  if (reviews?.length) {
    files.set('reviews.json', JSON.stringify(reviews));
    contains.set('reviews.json', `${reviews.length} review texts and ratings, by product (no reviewer)`);
  }
  let models: Awaited<ReturnType<typeof readModelsFile>> | undefined;
  if (inputs.models) {
    progress(`reading models: ${inputs.models.name}`);
    models = await readModelsFile(inputs.models);
    read.push({ file: inputs.models.name, format: 'models', rows: models.cards.length });
    files.set('models.json.gz', models.bytes);
    contains.set(
      'models.json.gz',
      `${models.cards.length} models trained on the shop's side (${models.cards.map((c) => c.id).join(', ')}): weights and metrics, no shopper's events`,
    );
  }
  const manifest: PackManifest = {
    format: PACK_FORMAT,
    version: PACK_VERSION,
    id: options.id,
    name: options.name.slice(0, 80),
    aisles,
    items: 'items.json',
    ...(aggregates ? { aggregates: 'aggregates.json' } : {}),
    ...(interactions ? { interactions: 'interactions.json' } : {}),
    ...(reviews?.length ? { reviews: 'reviews.json' } : {}),
    ...(imageOrigins.length ? { imageOrigins } : {}),
    source: (
      options.source ?? `Built by hushcart shop-pack from ${read.map((r) => r.file.replace(/^.*[\\/]/, '')).join(', ')}`
    ).slice(0, 500),
    audience: (options.audience ?? 'customers').slice(0, 80),
    ...(models ? { models: 'models.json.gz' } : {}),
  };
  const report: ShopPackReport = {
    read,
    dropped: [...warnings].map(([reason, w]) => ({ reason, ...w })),
    products: items.length,
    orderLines: book.length,
    orders: book.orders,
    customers: book.customers,
    k,
    epsilon,
    ...(options.delta ? { delta: options.delta } : {}),
    maxItems: aggregateOptions.maxItems,
    maxPairs: aggregateOptions.maxPairs,
    released,
    files: [...files].map(([name, text]) => ({ name, bytes: bytes(text), contains: contains.get(name) ?? '' })),
    ...(cost ? { cost } : {}),
    ...(vectors ? { vectors: vectors.card } : {}),
    ...(models ? { models: models.cards } : {}),
    publicData: !!options.publicData,
    statement: interactions
      ? 'This pack contains every order line (interactions.json), because the orders were declared public research data.'
      : 'This pack contains no per-person rows: no customer id, email, name, address, order number or order time. ' +
        (aggregates
          ? `Its counts come from at least ${k} customers each and carry Laplace noise (epsilon per kind as listed).`
          : 'It holds no counts of customers either: no orders or counts were given.'),
  };
  return { manifest, files, report };
}

/**
 * The pack's item vectors and their card: imported ones for the items k customers support, or else computed from
 * the released pairs (none when no pair was released).
 */
async function itemVectors(
  file: InputFile | undefined,
  aggregates: Aggregates | undefined,
  ids: string[],
  c: {
    k: number;
    epsilon: Record<AggregateKind, number>;
    cost: PrivacyCost | undefined;
    warnings: Map<string, { count: number; example: string }>;
    read: ShopPackReport['read'];
    progress: (stage: string) => void;
  },
): Promise<ItemVectors | undefined> {
  let v: Omit<ItemVectors, 'card'> | null = null;
  if (file) {
    c.progress(`reading item vectors: ${file.name}`);
    const imported = await readItemVectors(file, ids, c.warnings);
    c.read.push({ file: file.name, format: 'item vectors', rows: imported.rows });
    v = keepSupported(imported, aggregates, ids, c.warnings);
  } else if (aggregates) {
    c.progress('computing item vectors from the released pairs');
    v = vectorsFromPairs(aggregates, ids.length);
  }
  if (!aggregates || !v || !v.item.length) return undefined;
  const metrics = !file && c.cost?.vectors ? { ...c.cost.vectors, customers: c.cost.customers } : undefined;
  return {
    ...v,
    card: {
      source: file ? 'imported' : 'released-pairs',
      method: file
        ? `imported from ${file.name.replace(/^.*[\\/]/, '')} (trained by the shop; not differentially private)`
        : `spectral embedding (${v.dims} dimensions) of the released also-bought and bought-together pairs`,
      period: aggregates.period,
      customers: aggregates.customers,
      items: v.item.length,
      catalogItems: ids.length,
      k: c.k,
      // Post-processing of the pairs: their budgets, composed (also bought and bought together).
      epsilon: file ? null : c.epsilon.alsoBought + c.epsilon.together,
      ...(metrics ? { metrics } : {}),
    },
  };
}

/** Counts from several files: each kind's keys from every file (a later file's count replaces an earlier one's). */
function mergeCounts(a: Counted, b: Counted): Counted {
  const kinds = ['popularity', 'recent', 'together', 'alsoBought', 'next', 'groups', 'groupPairs'] as const;
  const out = { ...a };
  for (const k of kinds) out[k] = new Map([...a[k], ...b[k]]);
  out.customers = Math.max(a.customers, b.customers);
  out.period = b.period.from ? b.period : a.period;
  return out;
}

/** The orders as raw interactions, for public research data only: customers become u1, u2, ... */
function rawInteractions(book: OrderBook): Interactions {
  const idx = Array.from({ length: book.length }, (_, k) => k);
  return {
    kind: 'purchase',
    users: Array.from({ length: book.customers }, (_, c) => `u${c + 1}`),
    user: idx.map((k) => book.customer[k] as number),
    item: idx.map((k) => book.item[k] as number),
    value: idx.map(() => 1),
    timestamp: idx.map((k) => Math.round((book.time[k] as number) / 1000)),
    basket: idx.map((k) => book.order[k] as number),
  };
}

/** The report as text, for the command line (`resources`: what the build took, when the caller measured it). */
export function formatReport(r: ShopPackReport, resources?: { seconds: number; peakMB: number }): string {
  const lines = ['Read:'];
  for (const f of r.read) lines.push(`  ${f.file}: ${f.format}, ${f.rows} rows`);
  lines.push(
    `  ${r.products} products; ${r.orderLines} order lines in ${r.orders} orders from ${r.customers} customers`,
  );
  lines.push('Dropped:');
  if (!r.dropped.length) lines.push('  nothing');
  for (const d of r.dropped) lines.push(`  ${d.count} x ${d.reason} (e.g. ${d.example})`);
  lines.push('Privacy:');
  if (!r.released.length) lines.push('  no orders or counts were given: nothing about customers is released');
  else {
    lines.push(
      `  k = ${r.k} distinct customers per released count; each customer adds to at most ${r.maxItems} item counts and ${r.maxPairs} pair counts of each kind`,
    );
    lines.push(
      `  epsilon per kind: ${Object.entries(r.epsilon)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}${r.delta ? `; delta ${r.delta}` : ''}`,
    );
    for (const s of r.released) lines.push(`  ${s.kind}: ${s.released} of ${s.counted} counted released`);
  }
  if (r.cost) {
    const c = r.cost;
    lines.push(`What privacy costs (held-out last order of ${c.customers} customers, item-kNN For you):`);
    lines.push(`  raw order lines:  NDCG@10 ${c.raw.ndcg10.toFixed(4)}, HR@10 ${c.raw.hr10.toFixed(4)}`);
    lines.push(`  this pack:        NDCG@10 ${c.pack.ndcg10.toFixed(4)}, HR@10 ${c.pack.hr10.toFixed(4)}`);
    lines.push(`  popularity alone: NDCG@10 ${c.popular.ndcg10.toFixed(4)}, HR@10 ${c.popular.hr10.toFixed(4)}`);
  }
  if (r.vectors) {
    const v = r.vectors;
    lines.push(`Item vectors (${v.items} of ${v.catalogItems} products; the others are served by their content):`);
    lines.push(`  ${v.method}`);
    lines.push(
      `  k ${v.k}; ${v.epsilon === null ? 'not differentially private' : `epsilon ${v.epsilon} (the pairs' budgets)`}` +
        (v.metrics
          ? `; held-out last order of ${v.metrics.customers} customers: NDCG@10 ${v.metrics.ndcg10.toFixed(4)}, HR@10 ${v.metrics.hr10.toFixed(4)}`
          : ''),
    );
  }
  for (const m of r.models ?? [])
    lines.push(
      `Shipped model ${m.id} (${m.kind}${m.recipe ? `, ${m.recipe} recipe` : ''}), trained ${m.trainedAt} on data ${m.dataHash}: ` +
        Object.entries(m.metrics)
          .map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(4)}`)
          .join(', '),
    );
  lines.push('The pack:');
  lines.push('  pack.json: the manifest (name, aisles, the files below)');
  for (const f of r.files) lines.push(`  ${f.name}: ${f.bytes} bytes: ${f.contains}`);
  lines.push(r.statement);
  if (resources)
    lines.push(`Built in ${resources.seconds.toFixed(1)} s, peak memory ${resources.peakMB.toFixed(0)} MB.`);
  return lines.join('\n');
}
