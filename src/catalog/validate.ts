/**
 * Validation of catalog-pack parts, with messages a shop owner can act on: each names the file, the item
 * (by id and position) and the field. Pure functions over already-parsed JSON, shared by the loader and tests.
 */
import type { z } from '../shared/zod';
import { HushCartError } from '../errors';
import {
  AggregatesSchema,
  InteractionsSchema,
  ItemSchema,
  PackManifestSchema,
  ReviewSchema,
  type Aggregates,
  type Interactions,
  type Item,
  type PackManifest,
  type Review,
  type Sprite,
} from './schema';

/** At most this many problems are listed in one error; the count of the rest is given. */
const MAX_LISTED = 5;

function fieldPath(path: PropertyKey[]): string {
  return path.length ? path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.') : '(root)';
}

function describeIssues(issues: z.core.$ZodIssue[]): string {
  return issues.map((i) => `field '${fieldPath(i.path)}': ${i.message}`).join('; ');
}

/** The error for a part's problems: the file, then the first few problems and how many more. */
export function invalid(file: string, problems: string[]): HushCartError {
  const listed = problems.slice(0, MAX_LISTED);
  const more = problems.length > MAX_LISTED ? ` (and ${problems.length - MAX_LISTED} more problems)` : '';
  return new HushCartError('catalog/invalid', `${file}: ${listed.join(' | ')}${more}`);
}

export function validateManifest(file: string, json: unknown): PackManifest {
  const r = PackManifestSchema.safeParse(json);
  if (!r.success) throw invalid(file, [describeIssues(r.error.issues)]);
  const ids = new Set<string>();
  for (const a of r.data.aisles) {
    if (ids.has(a.id)) throw invalid(file, [`field 'aisles': aisle id '${a.id}' appears twice`]);
    ids.add(a.id);
  }
  return r.data;
}

function label(json: unknown, index: number): string {
  const id = typeof json === 'object' && json !== null ? (json as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? `item '${id}' (#${index})` : `item #${index}`;
}

export function validateItems(file: string, json: unknown, aisles: Set<string>, images?: Sprite): Item[] {
  if (!Array.isArray(json)) throw invalid(file, ['expected an array of items']);
  if (json.length === 0) throw invalid(file, ['the pack has no items']);
  const problems: string[] = [];
  const items: Item[] = [];
  const seen = new Set<string>();
  json.forEach((raw: unknown, i) => {
    const r = ItemSchema.safeParse(raw);
    if (!r.success) {
      problems.push(`${label(raw, i)}: ${describeIssues(r.error.issues)}`);
      return;
    }
    const it = r.data;
    if (seen.has(it.id)) problems.push(`${label(raw, i)}: field 'id': duplicate id`);
    seen.add(it.id);
    if (!aisles.has(it.aisle))
      problems.push(
        `${label(raw, i)}: field 'aisle': '${it.aisle}' is not one of the pack's aisles (${[...aisles].join(', ')})`,
      );
    if (it.image && 'sprite' in it.image) {
      if (!images) problems.push(`${label(raw, i)}: field 'image.sprite': the pack declares no image sprite`);
      else if (it.image.sprite >= images.count)
        problems.push(
          `${label(raw, i)}: field 'image.sprite': ${it.image.sprite} is past the sprite's ${images.count} images`,
        );
    }
    items.push(it);
  });
  if (problems.length) throw invalid(file, problems);
  return items;
}

/**
 * The columns' shape checked by plain loops: a pack of a million interactions validates in milliseconds instead of
 * zod's per-element checks (measured in the catalog-scale benchmark). Anything this does not accept goes through
 * the schema, whose message names the field.
 */
function quickInteractions(json: unknown): Interactions | null {
  if (typeof json !== 'object' || json === null) return null;
  const x = json as Record<string, unknown>;
  const keys = Object.keys(x);
  const allowed = ['kind', 'users', 'user', 'item', 'value', 'timestamp', 'basket'];
  if (!keys.every((k) => allowed.includes(k))) return null;
  if (x.kind !== 'rating' && x.kind !== 'purchase' && x.kind !== 'view') return null;
  const ints = (v: unknown, nonNegative: boolean) =>
    Array.isArray(v) && v.every((n) => Number.isInteger(n) && (!nonNegative || (n as number) >= 0));
  if (!Array.isArray(x.users) || !x.users.every((u) => typeof u === 'string' && u.length > 0)) return null;
  if (!ints(x.user, true) || !ints(x.item, true) || !ints(x.timestamp, false)) return null;
  if (!Array.isArray(x.value) || !x.value.every((v) => typeof v === 'number' && Number.isFinite(v))) return null;
  if (x.basket !== undefined && !ints(x.basket, true)) return null;
  return json as Interactions;
}

export function validateInteractions(file: string, json: unknown, itemCount: number): Interactions {
  let x = quickInteractions(json);
  if (!x) {
    const r = InteractionsSchema.safeParse(json);
    if (!r.success) throw invalid(file, [describeIssues(r.error.issues)]);
    x = r.data;
  }
  const n = x.user.length;
  const problems: string[] = [];
  for (const key of ['item', 'value', 'timestamp', 'basket'] as const) {
    const col = x[key];
    if (col && col.length !== n) problems.push(`field '${key}': has ${col.length} entries, 'user' has ${n}`);
  }
  const badItem = x.item.findIndex((i) => i >= itemCount);
  if (badItem >= 0) problems.push(`field 'item[${badItem}]': ${x.item[badItem]} is past the pack's ${itemCount} items`);
  const badUser = x.user.findIndex((u) => u >= x.users.length);
  if (badUser >= 0) problems.push(`field 'user[${badUser}]': ${x.user[badUser]} is past the ${x.users.length} users`);
  if (problems.length) throw invalid(file, problems);
  return x;
}

export function validateReviews(file: string, json: unknown, itemIds: Set<string>): Review[] {
  if (!Array.isArray(json)) throw invalid(file, ['expected an array of reviews']);
  const problems: string[] = [];
  const reviews: Review[] = [];
  json.forEach((raw: unknown, i) => {
    const r = ReviewSchema.safeParse(raw);
    if (!r.success) problems.push(`review #${i}: ${describeIssues(r.error.issues)}`);
    else if (!itemIds.has(r.data.itemId))
      problems.push(`review #${i}: field 'itemId': no item '${r.data.itemId}' in this pack`);
    else reviews.push(r.data);
  });
  if (problems.length) throw invalid(file, problems);
  return reviews;
}

/** A shop pack's aggregates: the schema, then every item index within the pack and the columns of equal length. */
export function validateAggregates(file: string, json: unknown, numItems: number): Aggregates {
  const r = AggregatesSchema.safeParse(json);
  if (!r.success) throw invalid(file, [describeIssues(r.error.issues)]);
  const x = r.data;
  const problems: string[] = [];
  const within = (field: string, ids: number[], limit = numItems) => {
    const bad = ids.findIndex((i) => i >= limit);
    if (bad >= 0) problems.push(`field '${field}[${bad}]': item ${ids[bad]} is not in the pack (${limit} items)`);
  };
  const same = (field: string, ...cols: unknown[][]) => {
    if (cols.some((c) => c.length !== cols[0]?.length)) problems.push(`field '${field}': its columns differ in length`);
  };
  within('popularity.item', x.popularity.item);
  same('popularity', x.popularity.item, x.popularity.count);
  within('recent.item', x.recent.item);
  same('recent', x.recent.item, x.recent.count);
  for (const kind of ['together', 'alsoBought', 'next'] as const) {
    within(`${kind}.a`, x[kind].a);
    within(`${kind}.b`, x[kind].b);
    same(kind, x[kind].a, x[kind].b, x[kind].count);
  }
  if (x.groups.of.length !== numItems)
    problems.push(`field 'groups.of': ${x.groups.of.length} entries for ${numItems} items`);
  within('groups.of', x.groups.of, x.groups.names.length);
  within('groups.pairs.a', x.groups.pairs.a, x.groups.names.length);
  within('groups.pairs.b', x.groups.pairs.b, x.groups.names.length);
  same('groups', x.groups.names, x.groups.count);
  if (x.vectors) {
    within('vectors.item', x.vectors.item);
    if (x.vectors.values.length !== x.vectors.item.length * x.vectors.dims)
      problems.push(
        `field 'vectors.values': ${x.vectors.values.length} numbers for ${x.vectors.item.length} items of ${x.vectors.dims} dimensions`,
      );
  }
  if (problems.length) throw invalid(file, problems);
  return x;
}
