/**
 * Fusing the keyword and the semantic rankings into one. Two standard ways, chosen between by measurement on
 * tuning queries held apart from the test queries (./evaluate.ts): reciprocal rank fusion (Cormack et al. 2009),
 * and a weighted sum of the keyword score (over the best one) and the cosine.
 */
import type { Scored } from './semantic';

export type Fusion = { kind: 'rrf'; k: number } | { kind: 'weighted'; semantic: number };

/** The fusion served; ./evaluate.ts picks it on the tuning queries and the Search bench reports that choice. */
export const FUSION: Fusion = { kind: 'weighted', semantic: 0.05 };

/** Both lists' items, by fused score (best first; ties by the keyword order, then by item). */
export function fuse(keyword: Scored[], semantic: Scored[], f: Fusion): Scored[] {
  const score = new Map<number, number>();
  const add = (doc: number, s: number) => score.set(doc, (score.get(doc) ?? 0) + s);
  if (f.kind === 'rrf') {
    keyword.forEach((h, r) => add(h.doc, 1 / (f.k + r + 1)));
    semantic.forEach((h, r) => add(h.doc, 1 / (f.k + r + 1)));
  } else {
    const top = keyword[0]?.score ?? 0;
    if (top > 0) for (const h of keyword) add(h.doc, h.score / top);
    for (const h of semantic) add(h.doc, f.semantic * Math.max(0, h.score));
  }
  const order = new Map(keyword.map((h, r) => [h.doc, r]));
  return [...score]
    .map(([doc, s]) => ({ doc, score: s }))
    .sort(
      (a, b) => b.score - a.score || (order.get(a.doc) ?? Infinity) - (order.get(b.doc) ?? Infinity) || a.doc - b.doc,
    );
}
