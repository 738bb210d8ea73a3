/**
 * From an order book to the aggregates a shop pack releases (catalog/schema.ts AggregatesSchema): item popularity
 * (overall and recent), co-purchase pairs (same order, same customer), next-purchase pairs, and department pairs.
 * Everything is counted in distinct customers with each customer's contribution bounded, then released by
 * ./privacy.ts. One streaming pass over the customers after a counting sort of the lines: memory grows with the
 * lines (held as typed arrays) and the distinct pairs, never with copies of rows.
 */
import type { AggregateKind, Aggregates } from '../catalog/schema';
import { SHOP_PACK_DEFAULTS, type CountedSizes } from './contract';
import type { OrderBook } from './orders';
export type { CountedSizes } from './contract';
import { laplace, release, sample, type Random } from './privacy';

export interface AggregateOptions {
  /** Distinct customers a count needs before it may be released. */
  k: number;
  /** The privacy budget of each kind of aggregate. */
  epsilon: Record<AggregateKind, number>;
  delta?: number;
  /** Items one customer adds to popularity (and to the pairs it forms), at most. */
  maxItems: number;
  /** Pairs one customer adds to each kind of pair count, at most. */
  maxPairs: number;
  /** The recent window, in days before the last order (trending). */
  recentDays: number;
  random: Random;
}

export const DEFAULT_AGGREGATES = { ...SHOP_PACK_DEFAULTS, maxItems: 10, maxPairs: 20, recentDays: 90 };

const month = (ms: number) => new Date(ms).toISOString().slice(0, 7);
const DAY = 86_400_000;
/** An order's distinct items beyond this are sampled before its pairs are formed (bounded work per order). */
const MAX_ORDER_ITEMS = 50;

function bump(m: Map<number, number>, key: number): void {
  m.set(key, (m.get(key) ?? 0) + 1);
}

function unorderedPairs(items: number[], n: number, into: Set<number>): void {
  for (let x = 0; x < items.length; x++)
    for (let y = x + 1; y < items.length; y++) {
      const a = items[x] as number;
      const b = items[y] as number;
      if (a !== b) into.add(a < b ? a * n + b : b * n + a);
    }
}

/** Line indices grouped by customer (a counting sort): `lines.subarray(offsets[c], offsets[c + 1])`. */
function byCustomer(book: OrderBook): { offsets: Int32Array; lines: Int32Array } {
  const offsets = new Int32Array(book.customers + 1);
  for (let k = 0; k < book.length; k++) {
    const c = (book.customer[k] as number) + 1;
    offsets[c] = (offsets[c] as number) + 1;
  }
  for (let c = 0; c < book.customers; c++) offsets[c + 1] = (offsets[c + 1] as number) + (offsets[c] as number);
  const fill = offsets.slice(0, book.customers);
  const lines = new Int32Array(book.length);
  for (let k = 0; k < book.length; k++) {
    const c = book.customer[k] as number;
    lines[fill[c] as number] = k;
    fill[c] = (fill[c] as number) + 1;
  }
  return { offsets, lines };
}

function columns(m: Map<number, number>, n: number): { a: number[]; b: number[]; count: number[] } {
  const out = { a: [] as number[], b: [] as number[], count: [] as number[] };
  for (const [key, count] of m) {
    out.a.push(Math.floor(key / n));
    out.b.push(key % n);
    out.count.push(count);
  }
  return out;
}

/** Each kind's counts before release (keys: item, or pair a * n + b), the true customers and the months spanned. */
export interface Counted {
  popularity: Map<number, number>;
  recent: Map<number, number>;
  together: Map<number, number>;
  alsoBought: Map<number, number>;
  next: Map<number, number>;
  groups: Map<number, number>;
  groupPairs: Map<number, number>;
  customers: number;
  period: { from: string; to: string };
}

export const emptyCounts = (): Omit<Counted, 'customers' | 'period'> => ({
  popularity: new Map(),
  recent: new Map(),
  together: new Map(),
  alsoBought: new Map(),
  next: new Map(),
  groups: new Map(),
  groupPairs: new Map(),
});

export function aggregate(
  book: OrderBook,
  groups: { names: string[]; of: number[] },
  o: AggregateOptions,
): { aggregates: Aggregates; sizes: CountedSizes[] } {
  return releaseCounts(countOrders(book, groups, o), book.items.length, groups, o);
}

/** Counts every kind once per customer, each customer's contribution bounded (o.maxItems, o.maxPairs). */
export function countOrders(book: OrderBook, groups: { names: string[]; of: number[] }, o: AggregateOptions): Counted {
  const n = book.items.length;
  const g = groups.names.length;
  const counts = emptyCounts();
  let first = Infinity;
  let last = -Infinity;
  for (let k = 0; k < book.length; k++) {
    const t = book.time[k] as number;
    if (t < first) first = t;
    if (t > last) last = t;
  }
  const recentFrom = last - o.recentDays * DAY;
  const { offsets, lines } = byCustomer(book);
  for (let c = 0; c < book.customers; c++) {
    const mine = lines.subarray(offsets[c], offsets[c + 1]);
    if (!mine.length) continue;
    // The customer's orders, oldest first, each with its distinct items.
    const orders = new Map<number, { time: number; items: Set<number> }>();
    const recent = new Set<number>();
    for (const k of mine) {
      const id = book.order[k] as number;
      const t = book.time[k] as number;
      const item = book.item[k] as number;
      const order = orders.get(id);
      if (order) {
        order.items.add(item);
        order.time = Math.min(order.time, t);
      } else orders.set(id, { time: t, items: new Set([item]) });
      if (t >= recentFrom) recent.add(item);
    }
    const sorted = [...orders.values()].sort((x, y) => x.time - y.time);
    const distinct = [...new Set(sorted.flatMap((x) => [...x.items]))];
    const items = sample(distinct, o.maxItems, o.random);
    for (const i of items) bump(counts.popularity, i);
    for (const i of sample([...recent], o.maxItems, o.random)) bump(counts.recent, i);
    const mineGroups = sample([...new Set(distinct.map((i) => groups.of[i] as number))], o.maxItems, o.random);
    for (const x of mineGroups) bump(counts.groups, x);

    const together = new Set<number>();
    const groupPairs = new Set<number>();
    for (const order of sorted) {
      const list = sample([...order.items], MAX_ORDER_ITEMS, o.random);
      unorderedPairs(list, n, together);
      unorderedPairs([...new Set(list.map((i) => groups.of[i] as number))], g, groupPairs);
    }
    const also = new Set<number>();
    unorderedPairs(items, n, also);
    const next = new Set<number>();
    for (let t = 0; t + 1 < sorted.length; t++) {
      const from = sample([...(sorted[t] as { items: Set<number> }).items], MAX_ORDER_ITEMS, o.random);
      const to = sample([...(sorted[t + 1] as { items: Set<number> }).items], MAX_ORDER_ITEMS, o.random);
      for (const a of from) for (const b of to) if (a !== b) next.add(a * n + b);
    }
    for (const [set, into] of [
      [together, counts.together],
      [also, counts.alsoBought],
      [next, counts.next],
      [groupPairs, counts.groupPairs],
    ] as const)
      for (const key of sample([...set], o.maxPairs, o.random)) bump(into, key);
  }

  return {
    ...counts,
    customers: book.customers,
    period: book.length ? { from: month(first), to: month(last) } : { from: '', to: '' },
  };
}

/**
 * Releases counted aggregates (from ./countOrders, or counts a warehouse computed with the same bounds): the k rule
 * and Laplace noise for each kind (./privacy.ts).
 */
export function releaseCounts(
  counts: Counted,
  n: number,
  groups: { names: string[]; of: number[] },
  o: AggregateOptions,
): { aggregates: Aggregates; sizes: CountedSizes[] } {
  const g = groups.names.length;
  const rule = (kind: AggregateKind, bound: number) => ({
    k: o.k,
    epsilon: o.epsilon[kind],
    bound,
    ...(o.delta ? { delta: o.delta } : {}),
  });
  const released = {
    popularity: release(counts.popularity, rule('popularity', o.maxItems), o.random),
    recent: release(counts.recent, rule('recent', o.maxItems), o.random),
    together: release(counts.together, rule('together', o.maxPairs), o.random),
    alsoBought: release(counts.alsoBought, rule('alsoBought', o.maxPairs), o.random),
    next: release(counts.next, rule('next', o.maxPairs), o.random),
    // The department counts and department pairs share the groups' budget, half each (sequential composition).
    groups: release(counts.groups, { ...rule('groups', o.maxItems), epsilon: o.epsilon.groups / 2 }, o.random),
  };
  const groupPairs = release(
    counts.groupPairs,
    { ...rule('groups', o.maxPairs), epsilon: o.epsilon.groups / 2 },
    o.random,
  );
  // The customers total: one customer changes it by 1 (sensitivity 1), under its own budget.
  const customers = Math.max(0, Math.round(counts.customers + laplace(1 / o.epsilon.customers, o.random)));
  const sizes: CountedSizes[] = [
    ...(['popularity', 'recent', 'together', 'alsoBought', 'next', 'groups'] as const).map((kind) => ({
      kind,
      counted: counts[kind].size,
      released: released[kind].size,
    })),
  ];
  const itemColumns = (m: Map<number, number>) => ({ item: [...m.keys()], count: [...m.values()] });
  const aggregates: Aggregates = {
    format: 'hushcart-aggregates',
    version: 1,
    period: counts.period,
    privacy: {
      k: o.k,
      epsilon: o.epsilon,
      ...(o.delta ? { delta: o.delta } : {}),
      mechanism: 'laplace',
      maxItemsPerCustomer: o.maxItems,
      maxPairsPerCustomer: o.maxPairs,
    },
    customers,
    popularity: itemColumns(released.popularity),
    recent: { ...itemColumns(released.recent), days: o.recentDays },
    together: columns(released.together, n),
    alsoBought: columns(released.alsoBought, n),
    next: columns(released.next, n),
    groups: {
      names: groups.names,
      of: groups.of,
      count: groups.names.map((_, x) => released.groups.get(x) ?? 0),
      pairs: columns(groupPairs, g),
    },
  };
  return { aggregates, sizes };
}
