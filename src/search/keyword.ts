/**
 * Keyword retrieval: a MiniSearch index (BM25+ ranking, prefix matching, fuzzy matching, save and load) over each
 * item's title, category and tags, description and review text, with the typo rules of ./typo.ts. What MiniSearch
 * does not do is here: swaps of neighbouring letters counted as one typo, and the "did you mean" correction.
 */
import MiniSearch from 'minisearch';
import { HushCartError } from '../errors';
import { terms } from '../shared/text';
import { editDistance, transpositions, typoBudget } from '../shared/typo';

export const FIELDS = ['title', 'category', 'description', 'reviews'] as const;
export type Field = (typeof FIELDS)[number];

/** One document per catalog item; `id` is the item's position in the search's item list. */
export type SearchDoc = { id: number } & Record<Field, string>;

/** Field weights: a word of the title says most about what the item is, a word of a review least. */
export const BOOST: Record<Field, number> = { title: 3, category: 2, description: 1, reviews: 0.5 };
/** MiniSearch's defaults (BM25+: k1 1.2, b 0.7, delta 0.5), named here so a test can compute a score by hand. */
export const BM25 = { k: 1.2, b: 0.7, d: 0.5 };

export interface KeywordHit {
  doc: number;
  /** (words matched - 1) + bm25 over the best bm25 of the query: see search(). */
  score: number;
  /** MiniSearch's BM25+ score (field boosts, typo and prefix weights, times the words matched). */
  bm25: number;
  /** The index terms each hit matched (after prefix and typo expansion), by field: what the highlights mark. */
  match: Record<string, Field[]>;
  /** How many of the query's words it matched. */
  matchedTerms: number;
}

export interface KeywordQuery {
  /** The query's words, folded (../search/text.ts). */
  words: string[];
  /** Whether the last word may be unfinished (the shopper is still typing it). */
  prefixLast: boolean;
  filter?: (doc: number) => boolean;
  /** Only these fields (default: all). */
  fields?: Field[];
  /**
   * A prior per item in 0..1 (its popularity): it orders items that match the query equally well, and lets a much
   * more popular item pass a slightly better text match, never one that matches more of the query's words.
   */
  prior?: (doc: number) => number;
}

/** The prior's share of the score within one level of words matched (the text match keeps the rest). */
export const PRIOR_WEIGHT = 0.3;

/** A finished word in more than this share of the items is left out of a query that has other words. */
export const COMMON_SHARE = 0.5;

/** The shortest unfinished last word that is matched as a prefix. */
export const MIN_PREFIX = 2;

const SAVE_FORMAT = 1;
const options = {
  fields: [...FIELDS],
  idField: 'id',
  tokenize: (text: string) => terms(text),
  processTerm: (t: string) => t,
  searchOptions: { boost: BOOST, bm25: BM25 },
};

export class KeywordIndex {
  private constructor(
    private readonly ms: MiniSearch<SearchDoc>,
    /** Every indexed term with the number of items it is in: a word the catalog has, and how common it is. */
    private readonly vocabulary: Map<string, number>,
  ) {}

  static build(docs: SearchDoc[]): KeywordIndex {
    const ms = new MiniSearch<SearchDoc>(options);
    ms.addAll(docs);
    const vocabulary = new Map<string, number>();
    for (const d of docs)
      for (const t of new Set(FIELDS.flatMap((f) => terms(d[f])))) vocabulary.set(t, (vocabulary.get(t) ?? 0) + 1);
    return new KeywordIndex(ms, vocabulary);
  }

  /** The index as bytes (MiniSearch's JSON), to keep on the device. */
  save(): Uint8Array {
    return new TextEncoder().encode(JSON.stringify({ format: SAVE_FORMAT, index: this.ms.toJSON() }));
  }

  /** An index saved by `save`; throws when the bytes are not one (the caller then builds it again). */
  static load(bytes: Uint8Array): KeywordIndex {
    const saved: unknown = JSON.parse(new TextDecoder().decode(bytes));
    const index = (saved as { format?: number; index?: { index?: [string, unknown][] } }).index;
    if ((saved as { format?: number }).format !== SAVE_FORMAT || !Array.isArray(index?.index))
      throw new HushCartError('engine/failed', 'the saved search index is of another format');
    const ms = MiniSearch.loadJS<SearchDoc>(index as never, options);
    // Items per term, from the saved postings (term -> field -> item -> frequency).
    const vocabulary = new Map<string, number>();
    for (const [t, fields] of index.index as [string, Record<string, Record<string, number>>][]) {
      const docs = new Set<string>();
      for (const postings of Object.values(fields)) for (const d of Object.keys(postings)) docs.add(d);
      vocabulary.set(t, docs.size);
    }
    return new KeywordIndex(ms, vocabulary);
  }

  get documentCount(): number {
    return this.ms.documentCount;
  }

  has(term: string): boolean {
    return this.vocabulary.has(term);
  }

  /** A word the index lacks but has with two neighbouring letters swapped: that word (one typo); else itself. */
  repairSwap(term: string): string {
    if (this.vocabulary.has(term) || typoBudget(term) === 0) return term;
    return transpositions(term).find((t) => this.vocabulary.has(t)) ?? term;
  }

  search(q: KeywordQuery): KeywordHit[] {
    if (!q.words.length) return [];
    let words = q.words.map((w) => this.repairSwap(w));
    // A finished word in over half the items tells them apart by almost nothing (its IDF is near 0) and would make
    // every item a match to score: left out while the query has other words (like a stopword).
    const n = this.ms.documentCount;
    const last = words.length - 1;
    const common = (w: string, i: number) =>
      (!q.prefixLast || i < last) && (this.vocabulary.get(w) ?? 0) > n * COMMON_SHARE;
    if (words.some((w, i) => !common(w, i))) words = words.filter((w, i) => !common(w, i));
    const lastWord = words.length - 1;
    const hits = this.ms.search(words.join(' '), {
      combineWith: 'OR',
      ...(q.fields ? { fields: q.fields } : {}),
      fuzzy: (term) => typoBudget(term),
      // A one-letter prefix would expand to most of the vocabulary (90 ms here): prefixes start at two letters.
      prefix: (term, i) => q.prefixLast && i === lastWord && [...term].length >= MIN_PREFIX,
      ...(q.filter ? { filter: (r) => (q.filter as (doc: number) => boolean)(r.id as number) } : {}),
    });
    // Items matching more of the query's words come first, BM25 orders within (the hosted engines' "words"
    // criterion): "bitter coffee" puts coffees reviewed as bitter above a film called Bitter Moon. The score
    // keeps that order on one scale: (words matched - 1) + BM25 over the best BM25, with the prior (popularity)
    // sharing the fraction: "star" puts Star Wars above Star 80, whose shorter title scores a little higher.
    const best = hits.reduce((a, h) => Math.max(a, h.score), 0) || 1;
    const prior = q.prior;
    const text = prior ? 1 - PRIOR_WEIGHT : 1;
    return hits
      .map((h) => ({
        doc: h.id as number,
        score: h.queryTerms.length - 1 + (text * h.score) / best + (prior ? PRIOR_WEIGHT * prior(h.id as number) : 0),
        bm25: h.score,
        match: h.match as Record<string, Field[]>,
        matchedTerms: h.queryTerms.length,
      }))
      .sort((a, b) => b.score - a.score || a.doc - b.doc);
  }

  /**
   * "Did you mean": each word the catalog does not have, replaced by the closest one it has (one typo more than the
   * search allows: 1 from 3 letters, 2 from 5; the most common at that distance); null when nothing changes.
   */
  correct(words: string[]): string[] | null {
    let changed = false;
    const out = words.map((w) => {
      const n = [...w].length;
      if (this.vocabulary.has(w) || n < 3 || /\d/.test(w)) return w;
      const max = n >= 5 ? 2 : 1;
      const counts = new Map<string, number>();
      for (const h of this.ms.search(w, { fuzzy: max, prefix: false, combineWith: 'OR' }))
        for (const t of Object.keys(h.match)) counts.set(t, (counts.get(t) ?? 0) + 1);
      let best: { t: string; d: number; n: number } | null = null;
      for (const [t, n] of counts) {
        const d = editDistance(w, t, max);
        if (d > max || /\d/.test(t)) continue;
        if (!best || d < best.d || (d === best.d && n > best.n)) best = { t, d, n };
      }
      if (!best) return w;
      changed = true;
      return best.t;
    });
    return changed ? out : null;
  }
}
