/**
 * Order exports to an order book: Shopify's orders CSV (one line per line item; the order's own fields, the
 * customer's Email among them, only on its first line; the product named by `Lineitem sku` and/or `Lineitem name`
 * as "Title - Variant") and a generic CSV (order, customer, product or sku, time, quantity). The book holds the
 * lines as dense indices on the shop's machine while the aggregates are computed; no customer identifier is ever
 * written out (./aggregate.ts releases only counts).
 */
import { csvRows, field, head, inputError, opt, type InputFile } from './source';
import { warn, type ProductTable } from './products';

/** Order lines as parallel growable columns: customer, order, item (index into `items`), time (ms). */
export class OrderBook {
  private customerIndex = new Map<string, number>();
  private orderIndex = new Map<string, number>();
  customer = new Int32Array(1024);
  order = new Int32Array(1024);
  item = new Int32Array(1024);
  time = new Float64Array(1024);
  length = 0;
  readonly warnings = new Map<string, { count: number; example: string }>();
  readonly files: { file: string; format: 'shopify' | 'generic'; lines: number }[] = [];

  constructor(readonly items: string[]) {}

  /** Distinct customers and orders read (counted as they come, so they outlive forgetIdentifiers). */
  customers = 0;
  orders = 0;

  add(customerKey: string, orderKey: string, item: number, time: number): void {
    if (this.length === this.customer.length) this.grow();
    let c = this.customerIndex.get(customerKey);
    if (c === undefined) this.customerIndex.set(customerKey, (c = this.customers++));
    let o = this.orderIndex.get(orderKey);
    if (o === undefined) this.orderIndex.set(orderKey, (o = this.orders++));
    const k = this.length++;
    this.customer[k] = c;
    this.order[k] = o;
    this.item[k] = item;
    this.time[k] = time;
  }

  /** Forgets the identifiers (only the dense indices are needed from here on). */
  forgetIdentifiers(): void {
    this.customerIndex = new Map();
    this.orderIndex = new Map();
  }

  private grow(): void {
    const n = this.customer.length * 2;
    const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.customer = grow(this.customer, (m) => new Int32Array(m));
    this.order = grow(this.order, (m) => new Int32Array(m));
    this.item = grow(this.item, (m) => new Int32Array(m));
    this.time = grow(this.time, (m) => new Float64Array(m));
  }
}

/** Finds a product by id, SKU, "Title - Variant" name or title, in that order. */
export class ProductLookup {
  private readonly byKey = new Map<string, number>();
  constructor(table: ProductTable, ids: string[]) {
    const index = new Map(ids.map((id, k) => [id, k]));
    const add = (key: string, k: number) => {
      if (!this.byKey.has(key)) this.byKey.set(key, k);
    };
    for (const p of table.products.values()) {
      const k = index.get(p.id);
      if (k === undefined) continue;
      add(`id:${p.id}`, k);
      for (const s of p.skus) add(`sku:${s}`, k);
      for (const n of p.names) add(`name:${n.toLowerCase()}`, k);
      add(`name:${p.title.toLowerCase()}`, k);
    }
  }
  find(q: { id?: string; sku?: string; name?: string }): number | undefined {
    if (q.id !== undefined) {
      const k = this.byKey.get(`id:${q.id}`);
      if (k !== undefined) return k;
    }
    if (q.sku) {
      const k = this.byKey.get(`sku:${q.sku}`);
      if (k !== undefined) return k;
    }
    if (q.name) {
      const name = q.name.toLowerCase();
      const k = this.byKey.get(`name:${name}`) ?? this.byKey.get(`name:${name.replace(/ - [^-]*$/, '')}`);
      if (k !== undefined) return k;
    }
    return undefined;
  }
}

/** Shopify's "2024-03-05 14:02:11 -0500", ISO 8601, or seconds / milliseconds since 1970. */
export function parseTime(raw: string): number | null {
  const t = raw.trim();
  if (/^\d{9,10}$/.test(t)) return Number(t) * 1000;
  if (/^\d{12,13}$/.test(t)) return Number(t);
  const shopify = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)\s*([+-])(\d{2}):?(\d{2})$/.exec(t);
  const iso = shopify ? `${shopify[1]}T${shopify[2]}${shopify[3]}${shopify[4]}:${shopify[5]}` : t;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
}

async function orderFormat(file: InputFile): Promise<'shopify' | 'generic'> {
  const header = ((await head(file, 8192)).split(/\r?\n/)[0] ?? '').toLowerCase();
  if (!header.trim()) throw inputError(file.name, 'the file is empty');
  const cols = header.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
  if (cols.includes('lineitem name') || cols.includes('lineitem sku')) return 'shopify';
  if (cols.includes('order') && cols.includes('customer') && (cols.includes('product') || cols.includes('sku')))
    return 'generic';
  throw inputError(
    file.name,
    'unknown orders file: expected a Shopify orders export (Name, Email, Created at, Lineitem name, Lineitem sku, ...) ' +
      'or a CSV with order, customer, product (or sku) and time columns',
  );
}

/** Reads one orders file into the book; lines that match no product, or have no customer, are counted and skipped. */
export async function readOrders(book: OrderBook, file: InputFile, lookup: ProductLookup): Promise<void> {
  const format = await orderFormat(file);
  let lines = 0;
  // Shopify writes an order's own fields on its first line only: carry them to the order's other lines.
  let current = null as { name: string; email?: string; time?: number; cancelled: boolean } | null;
  for await (const row of csvRows(file)) {
    lines++;
    const get = (k: string) => field(file.name, row, k);
    let customer: string | undefined;
    let order: string;
    let time: number | null;
    let item: number | undefined;
    if (format === 'shopify') {
      const name = field(file.name, row, 'Name', true);
      if (current?.name !== name) {
        const created = get('Created at');
        current = {
          name,
          ...(get('Email') ? { email: (get('Email') as string).toLowerCase() } : {}),
          ...(created ? { time: parseTime(created) ?? NaN } : {}),
          cancelled: !!get('Cancelled at'),
        };
      }
      if (current.cancelled) {
        warn(book, 'line of a cancelled order (skipped)', `${file.name} line ${row.line}`);
        continue;
      }
      customer = current.email;
      order = name;
      time = current.time ?? null;
      item = lookup.find({ ...opt('sku', get('Lineitem sku')), ...opt('name', get('Lineitem name')) });
    } else {
      customer = get('customer');
      order = field(file.name, row, 'order', true);
      const when = get('time');
      time = when === undefined ? null : parseTime(when);
      item = lookup.find({ ...opt('id', get('product')), ...opt('sku', get('sku')) });
    }
    if (!customer) {
      warn(
        book,
        'line without a customer (skipped: it cannot be counted once per person)',
        `${file.name} line ${row.line}`,
      );
      continue;
    }
    if (time === null || !Number.isFinite(time)) {
      throw inputError(
        file.name,
        `line ${row.line}, column "${format === 'shopify' ? 'Created at' : 'time'}": not a date or time`,
      );
    }
    if (item === undefined) {
      warn(book, 'line that matches no product (skipped)', `${file.name} line ${row.line}`);
      continue;
    }
    book.add(customer, `${file.name}\u0000${order}`, item, time);
  }
  book.files.push({ file: file.name, format, lines });
}
