/**
 * The search host (engine worker side): builds the keyword index, the semantic index and the query-intent
 * classifier over the catalog's items, and answers queries with fused, highlighted, faceted results.
 */
import { HushCartError } from '../errors';
import type { WordVectors } from '../shared/word-vectors';
import {
  MAX_QUERY_WORDS,
  type FacetValue,
  type Highlight,
  type QueryIntent,
  type SearchIndexInfo,
  type SearchMode,
  type SearchRequest,
  type SearchResponse,
} from './contract';
import { fuse, FUSION, type Fusion } from './fusion';
import { highlight } from './highlight';
import { features, NaiveBayes } from '../shared/naive-bayes';
import { FIELDS, KeywordIndex, type Field, type KeywordHit, type SearchDoc } from './keyword';
import { SemanticIndex, type Scored } from './semantic';
import { terms } from '../shared/text';
import type { Pack } from '../catalog/schema';
import { reviewTexts } from '../catalog/catalog';

/** What search needs of an item (the catalog's item plus its reviews' text). */
export interface SearchItem {
  id: string;
  aisle: string;
  title: string;
  category?: string;
  tags?: string[];
  description?: string;
  /** The item's reviews, joined. */
  reviews?: string;
  /** How many shoppers chose it, on a log scale over its pack's most chosen (0..1); absent without interactions. */
  popularity?: number;
}

/** The semantic list's length before fusion. */
const SEMANTIC_CANDIDATES = 100;
/** An intent is named from this posterior up. */
export const INTENT_MIN = 0.6;
/** A category is named in the intent from this posterior up (else the aisle alone). */
const CATEGORY_MIN = INTENT_MIN;
/** How much the shopper's profile moves a result when personalised (the fused score is at most about 1.3). */
export const PERSONAL_WEIGHT = 0.5;
/** "Did you mean" is tried when the query as typed matches fewer items than this. */
const FEW_MATCHES = 3;
/** Characters of review text per item that go into the index (long reviews say the same again). */
const REVIEW_CHARS = 2000;

/** Each item's indexed text, in the order of the item list (the documents' ids). */
export function searchDocs(items: SearchItem[]): SearchDoc[] {
  return items.map((it, id) => ({
    id,
    title: it.title,
    category: [it.category, ...(it.tags ?? [])].filter(Boolean).join(' · '),
    description: it.description ?? '',
    reviews: (it.reviews ?? '').slice(0, REVIEW_CHARS),
  }));
}

export interface LookupHit {
  itemId: string;
  score: number;
  /** How many of the words it matched. */
  matchedTerms: number;
  /** The index terms it matched (the item's own words, after typo and prefix expansion). */
  matched: string[];
}

/** A query's words and its two rankings before fusion. */
export interface Retrieved {
  words: string[];
  corrected?: string;
  truncated: boolean;
  hits: KeywordHit[];
  keyword: Scored[];
  semantic: Scored[];
}

const label = (aisle: string, category?: string) => `${aisle}\u0000${category ?? ''}`;

export class SearchService {
  private items: SearchItem[] = [];
  private docs: SearchDoc[] = [];
  private keyword: KeywordIndex | null = null;
  private semantic: SemanticIndex | null = null;
  private intents: NaiveBayes | null = null;
  private byId = new Map<string, number>();

  /**
   * Indexes the items; `saved` is a keyword index kept from an earlier visit (used when it loads, else built
   * again). Returns the new index's bytes when it was built, to keep.
   */
  build(items: SearchItem[], wv: WordVectors | null, saved?: Uint8Array): SearchIndexInfo & { bytes?: Uint8Array } {
    const t0 = performance.now();
    this.items = items;
    this.docs = searchDocs(items);
    this.byId = new Map(items.map((it, k) => [it.id, k]));
    let built = false;
    this.keyword = null;
    if (saved) {
      try {
        const k = KeywordIndex.load(saved);
        if (k.documentCount === items.length) this.keyword = k;
      } catch {
        // A kept index that no longer reads is built again below.
      }
    }
    if (!this.keyword) {
      this.keyword = KeywordIndex.build(this.docs);
      built = true;
    }
    this.semantic = wv
      ? new SemanticIndex(
          this.docs.map((d) => `${d.title} ${d.category} ${d.description} ${d.reviews}`),
          wv,
        )
      : null;
    this.intents = NaiveBayes.train(
      items.map((it, k) => {
        const d = this.docs[k] as SearchDoc;
        // Its reviews' words too, each once (an item's reviews would otherwise outweigh its title): a catalog whose
        // titles say little (the Fine Foods reviews' products are named by code) is known by what its reviews say.
        const own = features(`${d.title} ${d.category} ${d.description}`);
        return { features: [...own, ...new Set(features(d.reviews))], label: label(it.aisle, it.category) };
      }),
    );
    return {
      items: items.length,
      built,
      buildMs: performance.now() - t0,
      semantic: !!this.semantic,
      ...(built ? { bytes: this.keyword.save() } : {}),
    };
  }

  get ready(): boolean {
    return this.keyword !== null;
  }

  item(k: number): SearchItem | undefined {
    return this.items[k];
  }

  indexOf(itemId: string): number | undefined {
    return this.byId.get(itemId);
  }

  /** Whether the catalog has this (folded) word anywhere. */
  knows(term: string): boolean {
    return this.keyword?.has(term) ?? false;
  }

  /**
   * Keyword matches of finished words, with the index terms each matched (the assistant links item names by them
   * and narrows its answers with them).
   */
  lookup(words: string[], o: { fields?: Field[]; limit: number }): LookupHit[] {
    if (!this.keyword || !words.length) return [];
    return this.keyword
      .search({
        words: words.map((w) => this.keyword?.repairSwap(w) ?? w),
        prefixLast: false,
        ...(o.fields ? { fields: o.fields } : {}),
      })
      .slice(0, o.limit)
      .map((h) => ({
        itemId: (this.items[h.doc] as SearchItem).id,
        score: h.score,
        matchedTerms: h.matchedTerms,
        matched: Object.keys(h.match),
      }));
  }

  /**
   * Which aisle and category a text is about; null when the classifier knows none of its words or is unsure
   * (under INTENT_MIN for the aisle).
   */
  intent(text: string): QueryIntent | null {
    if (!this.intents) return null;
    const fs = features(text);
    if (!this.intents.known(fs)) return null;
    const ranked = this.intents.predict(fs);
    const byAisle = new Map<string, number>();
    for (const r of ranked) {
      const aisle = r.label.split('\u0000')[0] as string;
      byAisle.set(aisle, (byAisle.get(aisle) ?? 0) + r.p);
    }
    const [aisle, aisleP] = [...byAisle].sort((a, b) => b[1] - a[1])[0] as [string, number];
    const top = ranked[0] as { label: string; p: number };
    const [topAisle, category] = top.label.split('\u0000') as [string, string];
    if (topAisle === aisle && category && top.p >= CATEGORY_MIN) return { aisle, category, confidence: top.p };
    return aisleP >= INTENT_MIN ? { aisle, category: null, confidence: aisleP } : null;
  }

  /**
   * The query's two rankings before fusion: the keyword hits (of the corrected query when the one typed found
   * little and a correction finds more) and the semantic neighbours.
   */
  retrieve(query: string, mode: SearchMode = 'fused'): Retrieved {
    const keyword = this.keyword;
    if (!keyword) throw new HushCartError('api/not-ready', 'the search index is still being built');
    const all = terms(query);
    // Swapped letters repaired first: "lamsp" is searched, and read by the intent classifier, as "lamps".
    const words = all.slice(0, MAX_QUERY_WORDS).map((w) => keyword.repairSwap(w));
    const out: Retrieved = { words, hits: [], keyword: [], semantic: [], truncated: all.length > MAX_QUERY_WORDS };
    if (!words.length) return out;
    // Still typing the last word unless the query ends in a space or punctuation.
    const prefixLast = /[\p{L}\p{N}]$/u.test(query);
    const prior = (doc: number) => this.items[doc]?.popularity ?? 0;
    let hits = keyword.search({ words, prefixLast, prior });
    if (hits.length < FEW_MATCHES) {
      const fixed = keyword.correct(words);
      const fixedHits = fixed ? keyword.search({ words: fixed, prefixLast: false, prior }) : [];
      if (fixed && fixedHits.length > hits.length) {
        hits = fixedHits;
        out.corrected = fixed.join(' ');
      }
    }
    out.hits = hits;
    if (mode !== 'semantic') out.keyword = hits.map((h) => ({ doc: h.doc, score: h.score }));
    if (mode !== 'keyword' && this.semantic)
      out.semantic = this.semantic.top(out.corrected ?? words.join(' '), SEMANTIC_CANDIDATES);
    return out;
  }

  /** One ranking from the retrieved lists: the fused one, or either part alone. */
  static rank(r: Retrieved, mode: SearchMode, fusion: Fusion = FUSION): Scored[] {
    return mode === 'fused' ? fuse(r.keyword, r.semantic, fusion) : mode === 'keyword' ? r.keyword : r.semantic;
  }

  /** The query's results. `personal` scores items by the shopper's profile (0..1; asked only when personalised). */
  search(req: SearchRequest, personal?: (itemIds: string[]) => number[]): SearchResponse {
    const mode = req.mode ?? 'fused';
    const r = this.retrieve(req.query, mode);
    const base = { query: req.query, ...(r.truncated ? { truncated: true } : {}) };
    if (!r.words.length) return { ...base, intent: null, results: [], facets: { aisle: [], category: [] }, total: 0 };
    let ranked = SearchService.rank(r, mode);
    const facets = this.facets(ranked);
    ranked = ranked.filter((x) => {
      const it = this.items[x.doc] as SearchItem;
      return (!req.aisle || it.aisle === req.aisle) && (!req.category || it.category === req.category);
    });
    if (req.personalised && personal && ranked.length) {
      const top = ranked.slice(0, 200);
      const p = personal(top.map((x) => (this.items[x.doc] as SearchItem).id));
      const best = top[0]?.score || 1;
      ranked = top
        .map((x, k) => ({ doc: x.doc, score: x.score / best + PERSONAL_WEIGHT * (p[k] ?? 0) }))
        .sort((a, b) => b.score - a.score || a.doc - b.doc)
        .concat(ranked.slice(200));
    }
    // Highlights for the results shown only (a short query can match most of the catalog).
    const shown = ranked.slice(0, req.limit);
    const wanted = new Set(shown.map((x) => x.doc));
    const matchOf = new Map(r.hits.filter((h) => wanted.has(h.doc)).map((h) => [h.doc, h.match]));
    return {
      ...base,
      ...(r.corrected ? { corrected: r.corrected } : {}),
      intent: this.intent(r.corrected ?? r.words.join(' ')),
      results: shown.map((x) => ({
        itemId: (this.items[x.doc] as SearchItem).id,
        score: x.score,
        highlights: this.highlights(x.doc, matchOf.get(x.doc)),
      })),
      facets,
      total: ranked.length,
    };
  }

  private facets(ranked: Scored[]): SearchResponse['facets'] {
    const aisle = new Map<string, number>();
    const category = new Map<string, number>();
    for (const r of ranked) {
      const it = this.items[r.doc] as SearchItem;
      aisle.set(it.aisle, (aisle.get(it.aisle) ?? 0) + 1);
      if (it.category) category.set(it.category, (category.get(it.category) ?? 0) + 1);
    }
    const sorted = (m: Map<string, number>): FacetValue[] =>
      [...m]
        .map(([value, count]) => ({ value, count }))
        .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
    return { aisle: sorted(aisle), category: sorted(category).slice(0, 20) };
  }

  private highlights(doc: number, match: Record<string, Field[]> | undefined): Highlight[] {
    if (!match) return [];
    const d = this.docs[doc] as SearchDoc;
    const out: Highlight[] = [];
    for (const field of FIELDS) {
      const matched = new Set(Object.keys(match).filter((t) => match[t]?.includes(field)));
      if (!matched.size) continue;
      const h = highlight(field, d[field], matched);
      if (h) out.push(h);
    }
    return out;
  }
}

/** The search's items from loaded packs: every item with its reviews' text. */
export function searchItems(packs: readonly Pack[]): SearchItem[] {
  return packs.flatMap((p) => {
    const reviews = reviewTexts(p);
    const popularity = popularityOf(p);
    return p.items.map((it, j) => ({
      id: it.id,
      aisle: it.aisle,
      title: it.title,
      ...(it.category ? { category: it.category } : {}),
      ...(it.tags ? { tags: it.tags } : {}),
      ...(it.description ? { description: it.description } : {}),
      ...(reviews.has(it.id) ? { reviews: (reviews.get(it.id) as string[]).join(' ') } : {}),
      ...(popularity?.[j] ? { popularity: popularity[j] } : {}),
    }));
  });
}

/**
 * Each item's popularity in its pack: distinct shoppers who chose it, log(1 + n) over log(1 + the most chosen
 * item's n), so a pack's favourite is 1 whatever its size. Null for a pack without interactions.
 */
function popularityOf(p: Pack): Float64Array | null {
  const x = p.interactions;
  const users = new Float64Array(p.items.length);
  if (!x?.item.length) {
    // A shop pack: its released popularity (customers per item, noisy) instead.
    const agg = p.aggregates?.popularity;
    if (!agg?.item.length) return null;
    agg.item.forEach((j, k) => (users[j] = agg.count[k] as number));
    const top = Math.log1p(users.reduce((a, b) => Math.max(a, b), 0));
    return top > 0 ? users.map((n) => Math.log1p(n) / top) : null;
  }
  const seen = new Set<number>();
  for (let k = 0; k < x.item.length; k++) {
    const j = x.item[k] as number;
    const pair = (x.user[k] as number) * p.items.length + j;
    if (seen.has(pair)) continue;
    seen.add(pair);
    users[j] = (users[j] as number) + 1;
  }
  const max = Math.log1p(users.reduce((a, b) => Math.max(a, b), 0));
  return max > 0 ? users.map((n) => Math.log1p(n) / max) : null;
}
