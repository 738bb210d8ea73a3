/**
 * Semantic retrieval: each item's text (title, category, tags, description, reviews) as a vector of the shipped word
 * vectors, the query placed in the same space, items ranked by cosine. Finds "sofa" among couches and "bitter" among
 * reviews that say "acrid", which no keyword index does.
 */
import { textSpace, type TextSpace, type WordVectors } from '../shared/word-vectors';

export interface Scored {
  doc: number;
  score: number;
}

/** Below this cosine an item is not taken as a semantic match (a query's nearest items are above 0.3 here). */
export const SEMANTIC_MIN = 0.3;

export class SemanticIndex {
  private readonly space: TextSpace;
  private readonly n: number;

  constructor(texts: string[], wv: WordVectors) {
    this.space = textSpace(texts, wv);
    this.n = texts.length;
  }

  /** The `k` items nearest the query (cosine at least `min`), best first; empty when no query word is known. */
  top(query: string, k: number, o: { min?: number; filter?: (doc: number) => boolean } = {}): Scored[] {
    const q = this.space.embed(query);
    if (!q) return [];
    const { vectors, dims } = this.space;
    const min = o.min ?? SEMANTIC_MIN;
    const out: Scored[] = [];
    for (let j = 0; j < this.n; j++) {
      let s = 0;
      const o2 = j * dims;
      for (let p = 0; p < dims; p++) s += (vectors[o2 + p] as number) * (q[p] as number);
      if (s >= min && (!o.filter || o.filter(j))) out.push({ doc: j, score: s });
    }
    out.sort((a, b) => b.score - a.score || a.doc - b.doc);
    return out.slice(0, k);
  }
}
