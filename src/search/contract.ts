/**
 * Search's plain types: what crosses the worker boundary and what `HushCart.search` returns. No tfjs, no DOM.
 */
import { z } from '../shared/zod';
import { boundedInt, options } from '../shared/args';
export type SearchField = 'title' | 'category' | 'description' | 'reviews';

/** Which ranking serves the results: the fused one (the default), or one of its parts (the evaluation's rows). */
export type SearchMode = 'fused' | 'keyword' | 'semantic';

export interface SearchRequest {
  query: string;
  limit: number;
  aisle?: string;
  category?: string;
  /** Re-order by the shopper's profile (the engine asks the recommender); off: the same order for everyone. */
  personalised?: boolean;
  mode?: SearchMode;
}

/** Which aisle (and category) the query is about, from the classifier trained on the catalog's own items. */
export interface QueryIntent {
  aisle: string;
  category: string | null;
  confidence: number;
}

/** Where a result matched: the field's text (a snippet of long fields) and the matched words' [start, end). */
export interface Highlight {
  field: SearchField;
  text: string;
  matches: [number, number][];
}

export interface SearchHit {
  itemId: string;
  score: number;
  highlights: Highlight[];
}

export interface FacetValue {
  value: string;
  count: number;
}

export interface SearchResponse {
  query: string;
  /** The query searched instead, when the one typed found little and a correction finds more ("did you mean"). */
  corrected?: string;
  intent: QueryIntent | null;
  results: SearchHit[];
  /** Matches of the query (before the aisle and category filters), by aisle id and by category. */
  facets: { aisle: FacetValue[]; category: FacetValue[] };
  /** How many items matched (after the filters). */
  total: number;
  /** The query was longer than MAX_QUERY_WORDS words: only the first ones were searched. */
  truncated?: boolean;
}

export interface SearchIndexInfo {
  items: number;
  /** Whether the keyword index was built now (else loaded from what this device kept). */
  built: boolean;
  buildMs: number;
  /** Word vectors were loaded: semantic retrieval works. */
  semantic: boolean;
}

/** A query longer than this is searched by its first words (as hosted engines cap a query's length). */
export const MAX_QUERY_WORDS = 32;

/** Characters of a query read at most (a 10,000-character paste is cut here before it crosses to the worker). */
export const MAX_QUERY_CHARS = 1000;

/** Bumped when the keyword index's contents change: a kept index of another version is built again. */
export const SEARCH_INDEX_VERSION = 1;

/** `search()`'s arguments as the house checks them first (the catalog's aisles are checked after). */
export const SearchArgs = z.tuple([
  z.string({ error: 'search needs the query as a string' }),
  options(
    {
      limit: boundedInt(1, 100, 20),
      aisle: z.string({ error: 'aisle must be a string' }).optional(),
      category: z.string({ error: 'category must be a string' }).optional(),
      personalised: z.boolean({ error: 'personalised must be true or false' }).optional(),
    },
    'search',
  ),
]);
