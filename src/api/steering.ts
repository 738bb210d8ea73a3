/**
 * A recommend() call's filters and rules, checked before they reach the engine: prices are non-negative numbers in
 * order, a category exists in the catalog, each rule passes the pack format's own schema (MerchRuleSchema) and
 * names items the catalog has. Errors say which option and why.
 */
import type { Catalog } from '../catalog/catalog';
import { FALLBACKS, MerchRuleSchema } from '../catalog/schema';
import type { RecommendRequest } from '../engine/types';
import { HushCartError } from '../errors';
import type { RecommendOptions } from './types';

type Steering = NonNullable<RecommendRequest['steering']>;

const bad = (message: string) => new HushCartError('api/invalid-argument', message);

export function steeringOf(o: RecommendOptions, catalog: Catalog): Steering | null {
  const out: Steering = {};
  for (const key of ['minPrice', 'maxPrice'] as const) {
    const v = o[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw bad(`${key} must be a number of at least 0`);
    out[key] = v;
  }
  if (out.minPrice !== undefined && out.maxPrice !== undefined && out.minPrice > out.maxPrice)
    throw bad(`minPrice (${out.minPrice}) is above maxPrice (${out.maxPrice})`);
  if (o.category !== undefined) {
    if (typeof o.category !== 'string' || !catalog.packs.some((p) => p.items.some((i) => i.category === o.category)))
      throw bad(`no item of the catalog has the category '${String(o.category)}'`);
    out.category = o.category;
  }
  if (o.rules !== undefined) {
    if (!Array.isArray(o.rules) || o.rules.length > 100) throw bad('rules must be an array of at most 100 rules');
    out.rules = o.rules.map((raw, k) => {
      const r = MerchRuleSchema.safeParse(raw);
      if (!r.success) throw bad(`rules[${k}]: ${r.error.issues.map((i) => i.message).join('; ')}`);
      if (r.data.itemId !== undefined && !catalog.get(r.data.itemId))
        throw bad(`rules[${k}].itemId: no item '${r.data.itemId}' in the catalog`);
      return r.data;
    });
  }
  if (o.fallback !== undefined) {
    if (!Array.isArray(o.fallback) || o.fallback.some((f) => !(FALLBACKS as readonly string[]).includes(f)))
      throw bad(`fallback must be a list of ${FALLBACKS.join(', ')}`);
    out.fallback = o.fallback;
  }
  if (o.includeUnavailable !== undefined) {
    if (typeof o.includeUnavailable !== 'boolean') throw bad('includeUnavailable must be true or false');
    out.includeUnavailable = o.includeUnavailable;
  }
  return Object.keys(out).length ? out : null;
}
