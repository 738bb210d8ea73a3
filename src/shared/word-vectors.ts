/**
 * The shipped word vectors (GloVe-derived, int8 with a scale per word) and the text vectors made from them: the
 * TF-IDF-weighted mean of a text's word vectors with the corpus's common direction removed. Recommendations (the
 * item space), sentiment (its embedding layer) and search (semantic retrieval) share them, loaded once per worker
 * (catalog/word-vectors-file.ts reads them).
 */

export interface WordVectors {
  dims: number;
  index: Map<string, number>;
  vectors: Int8Array;
  scales: Float32Array;
}

export interface GloveUrls {
  vocab: string;
  vectors: string;
  scales: string;
  dims: number;
}

/** Lower-case word tokens, HTML line breaks removed (the tokenizer the word list was built with). */
export function words(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/<br\s*\/?>/g, ' ')
      .match(/[a-z]+(?:'[a-z]+)?/g) ?? []
  );
}

/** One L2-normalised vector per text (rows of the result), TF-IDF weighting over these texts. */
export function embedTexts(texts: string[], wv: WordVectors): Float32Array {
  return textSpace(texts, wv).vectors;
}

/** Text vectors of a corpus, and a way to place another text (a query) in the same space. */
export interface TextSpace {
  dims: number;
  /** One row per corpus text; all zero for a text with no known word. */
  vectors: Float32Array;
  /** Another text by the corpus's weights and common direction; null when it has no word the vectors know. */
  embed(text: string): Float32Array | null;
}

/** The corpus's text vectors (see embedTexts) with its IDF weights and mean kept to embed queries alike. */
export function textSpace(texts: string[], wv: WordVectors): TextSpace {
  const d = wv.dims;
  const docs = texts.map(words);
  const df = new Map<number, number>();
  for (const doc of docs)
    for (const i of new Set(doc.map((w) => wv.index.get(w)).filter((i): i is number => i !== undefined)))
      df.set(i, (df.get(i) ?? 0) + 1);
  const weightedSum = (doc: string[], out: Float32Array, o: number) => {
    for (const w of doc) {
      const i = wv.index.get(w);
      if (i === undefined) continue;
      const weight = Math.log((texts.length + 1) / ((df.get(i) ?? 0) + 1)) * (wv.scales[i] as number);
      for (let p = 0; p < d; p++) out[o + p] = (out[o + p] as number) + weight * (wv.vectors[i * d + p] as number);
    }
    return normalize(out, o, d) > 1e-6;
  };
  const out = new Float32Array(texts.length * d);
  // A text with no known word (or only words every text has) says nothing: its row stays zero.
  const said = new Uint8Array(texts.length);
  docs.forEach((doc, r) => {
    const o = r * d;
    said[r] = weightedSum(doc, out, o) ? 1 : 0;
    if (!said[r]) out.fill(0, o, o + d);
  });
  // Mean word vectors share one large common direction (every review is "about food"); removing the corpus
  // mean leaves what tells texts apart (as in SIF's common-component removal).
  const count = said.reduce((a, b) => a + b, 0);
  const mean = new Float32Array(d);
  for (let r = 0; r < texts.length; r++)
    if (said[r]) for (let p = 0; p < d; p++) mean[p] = (mean[p] as number) + (out[r * d + p] as number) / count;
  const centre = (x: Float32Array, o: number) => {
    for (let p = 0; p < d; p++) x[o + p] = (x[o + p] as number) - (mean[p] as number);
    normalize(x, o, d);
  };
  for (let r = 0; r < texts.length; r++) if (said[r]) centre(out, r * d);
  return {
    dims: d,
    vectors: out,
    embed(text) {
      const q = new Float32Array(d);
      if (!weightedSum(words(text), q, 0)) return null;
      centre(q, 0);
      return q;
    },
  };
}

/** Normalises the row of `d` values at `o` in place; returns its norm before. */
export function normalize(x: Float32Array, o: number, d: number): number {
  let norm = 0;
  for (let p = 0; p < d; p++) norm += (x[o + p] as number) ** 2;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let p = 0; p < d; p++) x[o + p] = (x[o + p] as number) / norm;
  return norm;
}
