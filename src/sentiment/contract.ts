/**
 * Review sentiment's part of the public API: what the page (api/, app/, widget/) may know of this capability. Plain
 * types and the configuration constants the page needs; no tfjs (dependency-cruiser keeps the page on this file).
 */
import { z } from '../shared/zod';
export { DEFAULT_SENTIMENT, SENTIMENT_VERSION, type SentimentConfig } from './model-config';

/** Trained weights as plain arrays (what crosses the worker boundary and goes to IndexedDB). */
export interface SentimentWeights {
  vocab: string[];
  dims: number;
  hidden: number;
  embedding: Float32Array;
  negation: Float32Array;
  /** Word layer [dims, hidden] and its bias. */
  word: Float32Array;
  wordBias: Float32Array;
  say: Float32Array;
  /** Context layer [3 * dims, hidden] and its bias. */
  context: Float32Array;
  contextBias: Float32Array;
  attend: Float32Array;
  bias: number;
}

export interface SentimentToken {
  /** The token as written. */
  text: string;
  /** The token's share of the decision (log-odds); positive pushes toward 'positive'. */
  weight: number;
  /** Offsets into the result's `text`. */
  start: number;
  end: number;
}

const TEXTS = 'sentiment needs a string or an array of 1 to 10000 strings';
/** `sentiment()`'s argument: one text, or 1 to 10,000 of them. */
export const SentimentArgs = z.union(
  [
    z.string(),
    z
      .array(z.string({ error: TEXTS }), { error: TEXTS })
      .min(1, { error: TEXTS })
      .max(10_000, { error: TEXTS }),
  ],
  { error: TEXTS },
);
/** `itemSentiment()`'s argument. */
const ITEMS = 'itemSentiment needs an array of item ids';
export const ItemSentimentArgs = z.array(z.string({ error: ITEMS }), { error: ITEMS });
