/**
 * Inputs for the shop-pack bench, written to disk as a shop would export them:
 * - `syntheticShop`: SYNTHETIC orders (labelled so): 10,000 products with Zipf-distributed popularity, customers
 *   with 1 to 4 orders of 1 to 4 lines, in the generic orders layout; for time, memory and size at scale.
 * - `movieLensOrders`: the store's MovieLens ratings written as a generic orders file (a customer's ratings of one
 *   day are one order), and its movies as JSON Lines: real histories, where the cost of privacy shows.
 */
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { mulberry32 } from '../src/runtime/random';

export async function syntheticShop(
  dir: string,
  lines: number,
  products = 10_000,
): Promise<{ products: string; orders: string }> {
  const random = mulberry32(lines);
  const productFile = join(dir, 'products.jsonl');
  writeFileSync(
    productFile,
    Array.from({ length: products }, (_, j) =>
      JSON.stringify({ id: `p${j}`, title: `SYNTHETIC product ${j}`, category: `Category ${j % 40}`, price: '10.00' }),
    ).join('\n') + '\n',
  );
  // Zipf(1) over the products by inverse CDF on a table.
  const cdf = new Float64Array(products);
  let sum = 0;
  for (let j = 0; j < products; j++) cdf[j] = sum += 1 / (j + 1);
  const pick = () => {
    const u = random() * sum;
    let lo = 0;
    let hi = products - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cdf[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const orderFile = join(dir, 'orders.csv');
  const out = createWriteStream(orderFile);
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  await write('order,customer,product,time,quantity\n');
  let written = 0;
  let order = 0;
  let customer = 0;
  const start = Date.UTC(2024, 0, 1);
  let chunk = '';
  while (written < lines) {
    customer++;
    const orders = 1 + Math.floor(random() * 4);
    for (let o = 0; o < orders && written < lines; o++) {
      order++;
      const at = new Date(start + Math.floor(random() * 365) * 86_400_000).toISOString();
      const n = 1 + Math.floor(random() * 4);
      for (let l = 0; l < n && written < lines; l++, written++)
        chunk += `o${order},c${customer}@mail.example,p${pick()},${at},1\n`;
    }
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((r) => out.end(() => r()));
  return { products: productFile, orders: orderFile };
}

export function movieLensOrders(dir: string): { products: string; orders: string; ratings: number } {
  const read = (f: string) =>
    JSON.parse(gunzipSync(readFileSync(join('public', 'data', 'packs', 'movies', f))).toString());
  const items: { id: string; title: string; tags?: string[]; year?: number }[] = read('items.json.gz');
  const x: { users: string[]; user: number[]; item: number[]; timestamp: number[] } = read('interactions.json.gz');
  const products = join(dir, 'movies.jsonl');
  writeFileSync(
    products,
    items
      .map((i) => JSON.stringify({ id: i.id, title: i.title, category: i.tags?.[0] ?? 'Movie', tags: i.tags ?? [] }))
      .join('\n') + '\n',
  );
  const rows = ['order,customer,product,time'];
  for (let k = 0; k < x.user.length; k++) {
    const t = x.timestamp[k] as number;
    const day = Math.floor(t / 86_400);
    rows.push(`${x.user[k]}-${day},${x.users[x.user[k] as number]},${items[x.item[k] as number]?.id},${t}`);
  }
  const orders = join(dir, 'movielens-orders.csv');
  writeFileSync(orders, rows.join('\n') + '\n');
  return { products, orders, ratings: x.user.length };
}
