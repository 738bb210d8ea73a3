/**
 * The model's vocabulary and the token -> id encoding. Words seen in training at least twice, or once when
 * the shipped GloVe subset knows them, get an id; the rest share the unknown id. Id 0 is padding.
 */
import type { WordVectors } from '../shared/word-vectors';
import type { Token } from './tokenize';

export const PAD = 0;
export const UNKNOWN = 1;

export interface Vocabulary {
  /** words[id]; words[0] and words[1] are the padding and unknown markers. */
  words: string[];
  index: Map<string, number>;
}

export function buildVocabulary(docs: Token[][], glove: WordVectors | null, minCount = 2): Vocabulary {
  const counts = new Map<string, number>();
  for (const doc of docs) for (const t of doc) counts.set(t.norm, (counts.get(t.norm) ?? 0) + 1);
  const words = ['<pad>', '<unk>'];
  for (const [w, c] of [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)))
    if (c >= minCount || glove?.index.has(w)) words.push(w);
  return vocabularyOf(words);
}

export function vocabularyOf(words: string[]): Vocabulary {
  return { words, index: new Map(words.map((w, i) => [w, i])) };
}

export interface Encoded {
  ids: Int32Array;
  /** 1 where the token is negated. */
  negated: Float32Array;
}

export function encode(tokens: Token[], vocab: Vocabulary): Encoded {
  const ids = new Int32Array(tokens.length);
  const negated = new Float32Array(tokens.length);
  tokens.forEach((t, k) => {
    ids[k] = vocab.index.get(t.norm) ?? UNKNOWN;
    negated[k] = t.negated ? 1 : 0;
  });
  return { ids, negated };
}

/** Share of word tokens the vocabulary knows (low for other languages: the score means little then). */
export function knownShare(tokens: Token[], vocab: Vocabulary): number {
  const words = tokens.filter((t) => t.kind === 'word');
  if (words.length === 0) return 0;
  return words.filter((t) => vocab.index.has(t.norm)).length / words.length;
}

/** Initial embedding rows: the GloVe vector (dequantised, scaled to unit-ish norm) where known, else small noise. */
export function initialEmbedding(
  vocab: Vocabulary,
  glove: WordVectors | null,
  dims: number,
  noise: Float32Array,
): Float32Array {
  const out = new Float32Array(vocab.words.length * dims);
  vocab.words.forEach((w, id) => {
    const g = id > UNKNOWN ? glove?.index.get(w) : undefined;
    if (glove && g !== undefined && glove.dims === dims) {
      let norm = 0;
      for (let p = 0; p < dims; p++)
        norm += ((glove.vectors[g * dims + p] as number) * (glove.scales[g] as number)) ** 2;
      const scale = (glove.scales[g] as number) / (Math.sqrt(norm) || 1);
      for (let p = 0; p < dims; p++) out[id * dims + p] = (glove.vectors[g * dims + p] as number) * scale;
    } else if (id !== PAD) for (let p = 0; p < dims; p++) out[id * dims + p] = noise[id * dims + p] as number;
  });
  return out;
}
