/**
 * The lexicon baselines, over the shipped word lists: AFINN-165 (integer valences, summed, phrases matched
 * first, negation flips) and VADER (Hutto & Gilbert 2014: mean valences with its rules for negation,
 * boosters, capitals, "but" and exclamation marks, normalised to a compound score in (-1, 1)).
 * They read the same tokens as the trained model, so the comparison is about the models, not the tokenizers.
 */
import { tokenize, type Token } from './tokenize';

export interface Lexicon {
  /** Single-word valences by normalised form. */
  words: Map<string, number>;
  /** Multi-word entries by their normalised token sequence joined with spaces. */
  phrases: Map<string, number>;
  /** Longest phrase in tokens. */
  maxPhrase: number;
}

/** Builds a lexicon from a word -> valence object; keys are tokenized the way text is. */
export function buildLexicon(entries: Record<string, number>): Lexicon {
  const words = new Map<string, number>();
  const phrases = new Map<string, number>();
  let maxPhrase = 1;
  for (const [key, value] of Object.entries(entries)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    const norms = tokenize(key).tokens.map((t) => t.norm);
    if (norms.length === 0) continue;
    // Emoticons keep their own entry too (VADER lists ":)" and friends).
    if (norms.length === 1) {
      words.set(key.toLowerCase(), value);
      words.set(norms[0] as string, value);
    } else {
      phrases.set(norms.join(' '), value);
      maxPhrase = Math.max(maxPhrase, norms.length);
    }
  }
  return { words, phrases, maxPhrase };
}

/** Lexicon hits in order: each token belongs to at most one (longest phrase first). */
function matches(tokens: Token[], lex: Lexicon): { at: number; length: number; value: number }[] {
  const out: { at: number; length: number; value: number }[] = [];
  for (let k = 0; k < tokens.length;) {
    let hit = false;
    for (let n = Math.min(lex.maxPhrase, tokens.length - k); n >= 2 && !hit; n--) {
      const key = tokens
        .slice(k, k + n)
        .map((t) => t.norm)
        .join(' ');
      const v = lex.phrases.get(key);
      if (v !== undefined) {
        out.push({ at: k, length: n, value: v });
        k += n;
        hit = true;
      }
    }
    if (hit) continue;
    const v = lex.words.get((tokens[k] as Token).norm);
    if (v !== undefined) out.push({ at: k, length: 1, value: v });
    k++;
  }
  return out;
}

/** AFINN: sum of valences, a negated word counts with the opposite sign. */
export function afinnScore(tokens: Token[], lex: Lexicon): number {
  let s = 0;
  for (const m of matches(tokens, lex)) s += m.length === 1 && (tokens[m.at] as Token).negated ? -m.value : m.value;
  return s;
}

// VADER's constants (vaderSentiment.py).
const B_INCR = 0.293;
const C_INCR = 0.733;
const N_SCALAR = -0.74;
const BOOSTERS: Record<string, number> = Object.fromEntries([
  ...[
    'absolutely',
    'amazingly',
    'awfully',
    'completely',
    'considerably',
    'decidedly',
    'deeply',
    'enormously',
    'entirely',
    'especially',
    'exceptionally',
    'extremely',
    'fabulously',
    'greatly',
    'highly',
    'hugely',
    'incredibly',
    'intensely',
    'majorly',
    'more',
    'most',
    'particularly',
    'purely',
    'quite',
    'really',
    'remarkably',
    'so',
    'substantially',
    'thoroughly',
    'totally',
    'tremendously',
    'unbelievably',
    'unusually',
    'utterly',
    'very',
  ].map((w) => [w, B_INCR]),
  ...[
    'almost',
    'barely',
    'hardly',
    'less',
    'little',
    'marginally',
    'occasionally',
    'partly',
    'scarcely',
    'slightly',
    'somewhat',
    'sort',
  ].map((w) => [w, -B_INCR]),
]);

/** VADER's compound score in (-1, 1). */
export function vaderScore(tokens: Token[], lex: Lexicon): number {
  const words = tokens.filter((t) => t.kind !== 'punct');
  const valences: number[] = [];
  const hits = matches(words, lex);
  for (const m of hits) {
    const t = words[m.at] as Token;
    let v = m.value;
    if (t.shouted) v += v > 0 ? C_INCR : -C_INCR;
    // Boosters in the three words before, fading with distance.
    for (let back = 1; back <= 3 && m.at - back >= 0; back++) {
      const b = BOOSTERS[(words[m.at - back] as Token).norm];
      if (b === undefined || v === 0) continue;
      const scaled = (v > 0 ? b : -b) * (back === 1 ? 1 : back === 2 ? 0.95 : 0.9);
      v += scaled;
    }
    if (m.length === 1 && t.negated) v *= N_SCALAR;
    valences.push(v);
  }
  // "but": what comes after weighs more than what came before.
  const butAt = words.findIndex((t) => t.norm === 'but');
  if (butAt >= 0)
    hits.forEach((m, k) => (valences[k] = (valences[k] as number) * (m.at < butAt ? 0.5 : m.at > butAt ? 1.5 : 1)));
  let sum = valences.reduce((a, b) => a + b, 0);
  const bangs = Math.min(
    4,
    tokens.filter((t) => t.norm === '!').reduce((n, t) => n + t.text.length, 0),
  );
  if (sum !== 0) sum += (sum > 0 ? 1 : -1) * bangs * 0.292;
  return sum / Math.sqrt(sum * sum + 15);
}
