/**
 * Product exports to catalog items: Shopify's product CSV (rows sharing a Handle are one product's variants),
 * Google Merchant Center feeds (TSV, or XML/RSS with the g: fields; rows sharing an item_group_id are one
 * product), and a generic CSV or JSON Lines file. Each format is told by its header (or its first element), and
 * every product keeps a stable id: the Handle, the feed's item_group_id or id, the generic id.
 */
import type { Item } from '../catalog/schema';
import { htmlToText } from './html-text';
import { merchantXmlItems } from './merchant-xml';
import { csvRows, field, head, inputError, jsonLines, opt, type InputFile, type Row } from './source';

export type ProductFormat = 'shopify' | 'merchant-tsv' | 'merchant-xml' | 'generic-csv' | 'jsonl';

/** A product as read, before aisles are chosen (Item's fields, with the department it came under). */
export interface Product {
  id: string;
  title: string;
  department?: string;
  category?: string;
  tags: string[];
  description?: string;
  /** Lowest and highest variant price. */
  price?: { low: number; high: number; currency: string; variants: number };
  /** The price before the sale, of the lowest-priced variant on sale (Shopify's compare-at, a feed's price). */
  regular?: number;
  /** In stock if any variant is; out of stock when every variant says so. */
  stock: Set<string>;
  added?: string;
  brand?: string;
  url?: string;
  image?: string;
  skus: string[];
  /** Variant names as an order line spells them ("Title - Size / Colour"). */
  names: string[];
  /** Options by name ("Size" -> Regular, Large). */
  options: Map<string, Set<string>>;
  /** The file it came from, for messages. */
  file: string;
}

export interface ProductTable {
  products: Map<string, Product>;
  /** Counted problems that did not stop the build (a duplicate id, a malformed price), each with an example. */
  warnings: Map<string, { count: number; example: string }>;
  formats: { file: string; format: ProductFormat; rows: number }[];
}

export const newProductTable = (): ProductTable => ({ products: new Map(), warnings: new Map(), formats: [] });

export function warn(
  table: { warnings: Map<string, { count: number; example: string }> },
  key: string,
  example: string,
) {
  const w = table.warnings.get(key);
  if (w) w.count++;
  else table.warnings.set(key, { count: 1, example });
}

/** Tells a product file's format from its first bytes (its header line, or its first XML element). */
export async function productFormat(file: InputFile): Promise<ProductFormat> {
  const start = (await head(file, 8192)).replace(/^\s+/, '');
  if (!start) throw inputError(file.name, 'the file is empty');
  if (start.startsWith('<')) {
    if (/<rss|<feed|<channel/i.test(start)) return 'merchant-xml';
    throw inputError(file.name, 'an XML file that is not a Merchant Center feed (expected <rss> with <item>s)');
  }
  if (start.startsWith('{')) return 'jsonl';
  const header = (start.split(/\r?\n/)[0] ?? '').toLowerCase();
  if (header.includes('\t')) {
    const cols = header.split('\t').map((c) => c.trim().replace(/^g:/, ''));
    if (cols.includes('id') && cols.includes('title') && cols.includes('price')) return 'merchant-tsv';
    throw inputError(file.name, 'a tab-separated file without the Merchant Center columns id, title and price');
  }
  const cols = header.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
  if (cols.includes('handle') && cols.includes('title')) return 'shopify';
  if (cols.includes('id') && cols.includes('title')) return 'generic-csv';
  throw inputError(
    file.name,
    'unknown product file: expected a Shopify product CSV (Handle, Title, ...), a Merchant Center feed (TSV or XML), ' +
      'a CSV with id and title columns, or JSON Lines',
  );
}

/** Merchant Center's availability values ("in stock" and "in_stock" alike), or null. */
export function availabilityOf(raw: string | undefined): string | null {
  const v = raw
    ?.trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return v === 'in_stock' || v === 'out_of_stock' || v === 'preorder' || v === 'backorder' ? v : null;
}

/** "59.99", "59.99 USD", "USD 59.99", "1,299.00" -> amount and currency (the default when none is written). */
export function parsePrice(raw: string, currency: string): { amount: number; currency: string } | null {
  const m = /^\s*(?:([A-Za-z]{3})\s+)?([0-9][0-9,]*(?:\.[0-9]+)?)\s*(?:([A-Za-z]{3}))?\s*$/.exec(raw);
  if (!m) return null;
  const amount = Number((m[2] as string).replace(/,/g, ''));
  if (!Number.isFinite(amount) || amount < 0) return null;
  return { amount, currency: (m[1] ?? m[3] ?? currency).toUpperCase() };
}

/** "Furniture > Shelving > Bookcases" -> "Bookcases". */
const lastLevel = (path: string | undefined): string | undefined =>
  path
    ?.split('>')
    .map((t) => t.trim())
    .filter(Boolean)
    .pop();

const splitList = (s: string | undefined, sep: RegExp): string[] =>
  s
    ? s
        .split(sep)
        .map((t) => t.trim())
        .filter(Boolean)
    : [];

/** Adds a variant row to its product (created on first sight), merging prices, SKUs, names and options. */
function addVariant(
  table: ProductTable,
  id: string,
  file: string,
  line: number,
  first: Omit<Product, 'price' | 'regular' | 'stock' | 'skus' | 'names' | 'options' | 'file' | 'id'>,
  variant: {
    price?: string;
    /** The price before the sale (Shopify's compare-at price, a feed's price when it has a sale_price). */
    regular?: string;
    availability?: string;
    sku?: string;
    name?: string;
    options?: [string, string][];
    currency: string;
  },
): void {
  let p = table.products.get(id);
  if (p && p.file !== file) {
    warn(table, "duplicate product id (kept the first file's)", `${file} line ${line}: '${id}'`);
    return;
  }
  if (!p) {
    p = { id, ...first, skus: [], names: [], options: new Map(), stock: new Set(), file };
    table.products.set(id, p);
  }
  const stock = availabilityOf(variant.availability);
  if (stock) p.stock.add(stock);
  else if (variant.availability)
    warn(table, 'unknown availability (variant kept without it)', `${file} line ${line}: '${variant.availability}'`);
  if (variant.price !== undefined) {
    const price = parsePrice(variant.price, variant.currency);
    if (!price) warn(table, 'malformed price (variant kept without it)', `${file} line ${line}: '${variant.price}'`);
    else {
      const lowest = !p.price || price.amount < p.price.low;
      if (!p.price) p.price = { low: price.amount, high: price.amount, currency: price.currency, variants: 1 };
      else {
        p.price.low = Math.min(p.price.low, price.amount);
        p.price.high = Math.max(p.price.high, price.amount);
        p.price.variants++;
      }
      const regular = variant.regular ? parsePrice(variant.regular, variant.currency) : null;
      if (lowest) p.regular = regular && regular.amount > price.amount ? regular.amount : undefined;
    }
  }
  if (variant.sku) p.skus.push(variant.sku);
  if (variant.name) p.names.push(variant.name);
  for (const [k, v] of variant.options ?? []) {
    if (v === 'Default Title') continue;
    const set = p.options.get(k) ?? new Set();
    set.add(v);
    p.options.set(k, set);
  }
}

/**
 * A Shopify variant's stock: tracked by Shopify with none left is out of stock, or on backorder when its policy lets
 * it sell anyway ('continue'); untracked, or with some left, in stock.
 */
function shopifyStock(file: string, row: Row): string | undefined {
  const variant = field(file, row, 'Variant Price') ?? field(file, row, 'Variant SKU');
  if (!variant) return undefined; // an image-only row
  const qty = Number(field(file, row, 'Variant Inventory Qty') ?? NaN);
  if (field(file, row, 'Variant Inventory Tracker') !== 'shopify' || !Number.isFinite(qty) || qty > 0)
    return 'in_stock';
  return field(file, row, 'Variant Inventory Policy') === 'continue' ? 'backorder' : 'out_of_stock';
}

async function readShopify(table: ProductTable, file: InputFile, currency: string): Promise<number> {
  let rows = 0;
  const titles = new Map<string, string>();
  // A product's option names are on its first row only; its variant rows give the values.
  const optionNames = new Map<string, (string | undefined)[]>();
  for await (const row of csvRows(file)) {
    rows++;
    const handle = field(file.name, row, 'Handle', true);
    const title = field(file.name, row, 'Title');
    if (title) titles.set(handle, title);
    const productTitle = titles.get(handle);
    if (!productTitle) {
      warn(table, 'variant row before its product row (skipped)', `${file.name} line ${row.line}: '${handle}'`);
      continue;
    }
    const options: [string, string][] = [];
    const values: string[] = [];
    const names = [1, 2, 3].map((n) => field(file.name, row, `Option${n} Name`));
    if (names.some(Boolean)) optionNames.set(handle, names);
    for (const n of [1, 2, 3]) {
      const v = field(file.name, row, `Option${n} Value`);
      if (!v) continue;
      options.push([optionNames.get(handle)?.[n - 1] ?? `Option ${n}`, v]);
      if (v !== 'Default Title') values.push(v);
    }
    const image = field(file.name, row, 'Image Src') ?? field(file.name, row, 'Variant Image');
    addVariant(
      table,
      handle,
      file.name,
      row.line,
      {
        title: productTitle,
        // Type is the shop's own department; Product Category (Shopify's taxonomy, "Furniture > Shelving >
        // Bookcases") names the kind more finely: its last level.
        ...opt('department', field(file.name, row, 'Type')),
        ...opt('category', lastLevel(field(file.name, row, 'Product Category')) ?? field(file.name, row, 'Type')),
        tags: [...splitList(field(file.name, row, 'Tags'), /,/), ...splitList(field(file.name, row, 'Vendor'), /$/)],
        ...opt('description', htmlToText(field(file.name, row, 'Body (HTML)') ?? '')),
        ...opt('image', image),
        ...opt('brand', field(file.name, row, 'Vendor')),
      },
      {
        ...opt('price', field(file.name, row, 'Variant Price')),
        ...opt('regular', field(file.name, row, 'Variant Compare At Price')),
        ...opt('availability', shopifyStock(file.name, row)),
        ...opt('sku', field(file.name, row, 'Variant SKU')),
        name: values.length ? `${productTitle} - ${values.join(' / ')}` : productTitle,
        options,
        currency,
      },
    );
    const p = table.products.get(handle);
    if (p && !p.image && image) p.image = image;
  }
  return rows;
}

/** One Merchant Center item (TSV row or XML element), by attribute name without the g: prefix. */
function addMerchant(
  table: ProductTable,
  file: string,
  line: number,
  get: (k: string) => string | undefined,
  currency: string,
) {
  const id = get('id');
  const title = get('title');
  if (!id || !title) {
    warn(table, 'feed item without id or title (skipped)', `${file} line ${line}`);
    return;
  }
  const group = get('item_group_id');
  const type = get('product_type');
  const path = splitList(type ?? get('google_product_category'), />/);
  const sale = get('sale_price');
  addVariant(
    table,
    group ?? id,
    file,
    line,
    {
      title,
      ...opt('department', path[0]),
      ...opt('category', path[path.length - 1]),
      tags: splitList(get('brand'), /$/),
      ...opt('description', htmlToText(get('description') ?? '')),
      ...opt('url', get('link')),
      ...opt('image', get('image_link')),
      ...opt('brand', get('brand')),
    },
    {
      ...opt('price', sale ?? get('price')),
      ...opt('regular', sale ? get('price') : undefined),
      ...opt('availability', get('availability')),
      sku: id,
      name: title,
      options: [
        ['Colour', get('color') ?? ''],
        ['Size', get('size') ?? ''],
      ].filter((o): o is [string, string] => !!o[1]),
      currency,
    },
  );
}

async function readMerchantTsv(table: ProductTable, file: InputFile, currency: string): Promise<number> {
  let rows = 0;
  for await (const row of csvRows(file, { delimiter: '\t' })) {
    rows++;
    addMerchant(
      table,
      file.name,
      row.line,
      (k) => field(file.name, row, k) ?? field(file.name, row, `g:${k}`),
      currency,
    );
  }
  return rows;
}

async function readMerchantXml(table: ProductTable, file: InputFile, currency: string): Promise<number> {
  let rows = 0;
  for await (const { values, line } of merchantXmlItems(file)) {
    rows++;
    addMerchant(table, file.name, line, (k) => values.get(k), currency);
  }
  return rows;
}

/**
 * The generic layout: id, title, and optionally description, category, department, tags (| separated), price,
 * sale_price, currency, availability, added (YYYY-MM-DD), brand, url, image, sku.
 */
function addGeneric(table: ProductTable, file: string, row: Row, currency: string) {
  const get = (k: string) => field(file, row, k);
  const id = field(file, row, 'id', true);
  if (table.products.has(id)) {
    warn(table, 'duplicate product id (kept the first)', `${file} line ${row.line}: '${id}'`);
    return;
  }
  const title = field(file, row, 'title', true);
  addVariant(
    table,
    id,
    file,
    row.line,
    {
      title,
      ...opt('department', get('department') ?? get('category')),
      ...opt('category', get('category')),
      tags: splitList(get('tags'), /\|/),
      ...opt('description', htmlToText(get('description') ?? '')),
      ...opt('url', get('url')),
      ...opt('image', get('image')),
      ...opt('brand', get('brand')),
      ...opt('added', get('added')),
    },
    {
      ...opt('price', get('sale_price') ?? get('price')),
      ...opt('regular', get('sale_price') ? get('price') : undefined),
      ...opt('availability', get('availability')),
      ...opt('sku', get('sku')),
      name: title,
      currency: get('currency') ?? currency,
    },
  );
}

async function readGenericCsv(table: ProductTable, file: InputFile, currency: string): Promise<number> {
  let rows = 0;
  for await (const row of csvRows(file)) {
    rows++;
    addGeneric(table, file.name, row, currency);
  }
  return rows;
}

async function readJsonl(table: ProductTable, file: InputFile, currency: string): Promise<number> {
  let rows = 0;
  for await (const { value, line } of jsonLines(file)) {
    rows++;
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(value))
      if (v !== null && v !== undefined) values[k] = Array.isArray(v) ? v.join('|') : String(v);
    addGeneric(table, file.name, { values, line }, currency);
  }
  return rows;
}

const READERS: Record<ProductFormat, (t: ProductTable, f: InputFile, currency: string) => Promise<number>> = {
  shopify: readShopify,
  'merchant-tsv': readMerchantTsv,
  'merchant-xml': readMerchantXml,
  'generic-csv': readGenericCsv,
  jsonl: readJsonl,
};

/** Reads one product file into the table (several files may be read into one table). */
export async function readProducts(table: ProductTable, file: InputFile, currency = 'USD'): Promise<void> {
  const format = await productFormat(file);
  const rows = await READERS[format](table, file, currency);
  table.formats.push({ file: file.name, format, rows });
}

/** The item a product becomes in the pack, under the aisle chosen for it. */
export function toItem(p: Product, aisle: string): Item {
  const options = [...p.options].map(([k, v]) => `${k}: ${[...v].join(', ')}.`).join(' ');
  const description = [p.description, options].filter(Boolean).join(' ').slice(0, 20_000);
  const tags = [...new Set(p.tags.map((t) => t.slice(0, 100)))].slice(0, 50);
  const item: Item = { id: p.id.slice(0, 200), aisle, title: p.title.slice(0, 500) };
  if (p.category) item.category = p.category.slice(0, 200);
  if (tags.length) item.tags = tags;
  if (description) item.description = description;
  if (p.skus[0]) item.sku = p.skus[0].slice(0, 100);
  if (p.price)
    item.price = {
      amount: p.price.low,
      currency: p.price.currency,
      ...(p.price.high > p.price.low
        ? {
            derived: `from ${p.price.low.toFixed(2)} to ${p.price.high.toFixed(2)} across ${p.price.variants} variants`,
          }
        : {}),
    };
  if (p.regular !== undefined && p.price) {
    item.salePrice = { amount: p.price.low, currency: p.price.currency };
    item.price = { amount: p.regular, currency: p.price.currency };
  }
  // Available when any variant is; out of stock only when every variant with a stock says so.
  if (p.stock.size)
    item.availability = (['in_stock', 'backorder', 'preorder', 'out_of_stock'] as const).find((a) => p.stock.has(a));
  if (p.added && /^\d{4}-\d{2}-\d{2}$/.test(p.added)) item.added = p.added;
  if (p.brand) item.brand = p.brand.slice(0, 200);
  if (p.url) item.url = p.url;
  if (p.image) item.image = { url: p.image };
  return item;
}
