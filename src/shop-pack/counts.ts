/**
 * Counts a shop's warehouse computed (docs/shop-owners.md gives the SQL: bounded contributions, distinct customers,
 * the k rule), read instead of raw orders: one CSV with columns `kind,a,b,customers`, where kind is popularity or
 * recent (a: a product id), together, alsoBought or next (a, b: product ids; next reads "b after a"), customers (the
 * total, in the customers column) or period (a, b: the first and last month, YYYY-MM). The builder then releases
 * them as it releases its own counts: the k rule again and Laplace noise for the bounds the query enforced.
 */
import { emptyCounts, type Counted } from './aggregate';
import { warn } from './products';
import { csvRows, field, inputError, type InputFile } from './source';

const PAIRS = { together: true, alsoBought: true, next: false } as const;

export async function readCounts(
  file: InputFile,
  ids: string[],
  warnings: Map<string, { count: number; example: string }>,
): Promise<{ counted: Counted; rows: number }> {
  const n = ids.length;
  const index = new Map(ids.map((id, k) => [id, k]));
  const counts = emptyCounts();
  let customers = 0;
  let period = { from: '', to: '' };
  let rows = 0;
  for await (const row of csvRows(file)) {
    rows++;
    const kind = field(file.name, row, 'kind', true);
    const value = field(file.name, row, 'customers');
    const number = value === undefined ? NaN : Number(value);
    if (kind === 'period') {
      const from = field(file.name, row, 'a', true);
      const to = field(file.name, row, 'b', true);
      if (!/^\d{4}-\d{2}$/.test(from) || !/^\d{4}-\d{2}$/.test(to))
        throw inputError(file.name, `line ${row.line}: a period is two months written YYYY-MM`);
      period = { from, to };
      continue;
    }
    if (!(Number.isInteger(number) && number >= 0))
      throw inputError(file.name, `line ${row.line}, column "customers": '${value ?? ''}' is not a count of customers`);
    if (kind === 'customers') {
      customers = number;
      continue;
    }
    const a = index.get(field(file.name, row, 'a', true));
    if (kind === 'popularity' || kind === 'recent') {
      if (a === undefined)
        warn({ warnings }, 'count of no product in the catalog (skipped)', `${file.name} line ${row.line}`);
      else counts[kind].set(a, number);
      continue;
    }
    if (!(kind in PAIRS))
      throw inputError(
        file.name,
        `line ${row.line}, column "kind": '${kind}' is not one of popularity, recent, together, alsoBought, next, customers, period`,
      );
    const b = index.get(field(file.name, row, 'b', true));
    if (a === undefined || b === undefined || a === b) {
      warn({ warnings }, 'pair count of no product in the catalog (skipped)', `${file.name} line ${row.line}`);
      continue;
    }
    const pair = kind as keyof typeof PAIRS;
    const [x, y] = PAIRS[pair] && a > b ? [b, a] : [a, b];
    counts[pair].set(x * n + y, number);
  }
  return { counted: { ...counts, customers, period }, rows };
}
