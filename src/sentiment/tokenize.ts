/**
 * The sentiment tokenizer: raw review text (HTML breaks and entities, any case, punctuation, emoji and
 * emoticons, contractions) to tokens that keep their place in the original text (for highlighting), a
 * normalised form for lookups (lower case, contractions split so "don't" is "do not", emoji named), and a
 * negation flag: the words after a negator up to the end of the clause ("not good at all" marks "good").
 */

/** Longest text scored; anything after it is ignored (and reported as truncated). */
export const MAX_CHARS = 100_000;

export interface Token {
  /** The text as written (after HTML decoding), for display. */
  text: string;
  /** Lookup form: lower case, elongations shortened, emoji as words. */
  norm: string;
  /** Offsets into the decoded text. */
  start: number;
  end: number;
  /** Inside the scope of a negator ("not", "never", "n't", ...). */
  negated: boolean;
  /** Written in capitals for emphasis (a word of 2+ letters, all upper case, in text that is not all caps). */
  shouted: boolean;
  kind: 'word' | 'emoji' | 'punct' | 'number';
}

export interface Tokenized {
  /** The text the tokens point into: HTML removed, entities decoded, cut at MAX_CHARS. */
  text: string;
  tokens: Token[];
  truncated: boolean;
}

const NEGATORS = new Set([
  'not',
  'no',
  'never',
  'nothing',
  'nobody',
  'none',
  'nowhere',
  'neither',
  'nor',
  'without',
  'hardly',
  'barely',
  'cannot',
]);
/** Tokens that end a negation scope besides clause punctuation. */
const SCOPE_BREAKERS = new Set(['but', 'however', 'although', 'though', 'yet']);
const CLAUSE_END = /^[.!?,;:]+$/;
/** A negation reaches this many words at most. */
const NEGATION_REACH = 4;

/** Emoji and emoticons read as the word a reader would put in their place. */
const SYMBOL_WORDS: Record<string, string> = {
  '😀': 'happy',
  '😃': 'happy',
  '😄': 'happy',
  '😁': 'happy',
  '😊': 'happy',
  '🙂': 'happy',
  '😂': 'funny',
  '🤣': 'funny',
  '😍': 'love',
  '🥰': 'love',
  '😘': 'love',
  '❤': 'love',
  '❤️': 'love',
  '💕': 'love',
  '💖': 'love',
  '👍': 'good',
  '👌': 'good',
  '👏': 'great',
  '🔥': 'great',
  '⭐': 'star',
  '🌟': 'star',
  '😋': 'delicious',
  '🤤': 'delicious',
  '😎': 'cool',
  '👎': 'bad',
  '😞': 'sad',
  '😢': 'sad',
  '😭': 'sad',
  '☹': 'sad',
  '☹️': 'sad',
  '🙁': 'sad',
  '😕': 'disappointed',
  '😠': 'angry',
  '😡': 'angry',
  '🤬': 'angry',
  '🤮': 'disgusting',
  '🤢': 'disgusting',
  '💩': 'terrible',
  '😐': 'meh',
  '😑': 'meh',
  ':)': 'happy',
  ':-)': 'happy',
  ':d': 'happy',
  ':-d': 'happy',
  ';)': 'happy',
  ';-)': 'happy',
  '<3': 'love',
  ':(': 'sad',
  ':-(': 'sad',
  ":'(": 'sad',
  ':/': 'disappointed',
  ':-/': 'disappointed',
};

/** Contraction endings and what they stand for ("'s" is dropped: possessive or "is", neither carries sentiment). */
const CONTRACTIONS: Record<string, string | null> = {
  "n't": 'not',
  "'re": 'are',
  "'ve": 'have',
  "'ll": 'will',
  "'d": 'would',
  "'m": 'am',
  "'s": null,
};
/** Stems that change when "n't" is split off. */
const NT_STEMS: Record<string, string> = { ca: 'can', wo: 'will', sha: 'shall', ai: 'is' };

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
};

/** Removes HTML tags (a line break becomes a space) and decodes entities. Text without markup is unchanged. */
export function stripHtml(raw: string): string {
  return raw.replace(/<\/?[a-z][^>]*>/gi, ' ').replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : ' ';
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

// One pass over the text: emoticons, emoji (with modifiers and joiners), words with inner apostrophes,
// numbers, then punctuation runs.
const TOKEN_RE =
  /(<3|[:;][-']?[()dp/]|[:;]'\()|(\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier}|\u200D\p{Extended_Pictographic})*)|(\p{L}[\p{L}\p{M}]*(?:['’]\p{L}+)*)|(\d+(?:[.,]\d+)*)|([.!?,;:]+)/giu;

export function tokenize(raw: string): Tokenized {
  const truncated = raw.length > MAX_CHARS;
  const text = stripHtml(truncated ? raw.slice(0, MAX_CHARS) : raw);
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const upper = text.match(/\p{Lu}/gu)?.length ?? 0;
  // In text written all in capitals, capitals are not emphasis.
  const allCaps = letters > 0 && upper / letters > 0.8;
  const tokens: Token[] = [];
  for (const m of text.matchAll(TOKEN_RE)) {
    const start = m.index;
    const surface = m[0];
    const end = start + surface.length;
    const push = (norm: string, kind: Token['kind'], s = start, e = end) =>
      tokens.push({
        text: text.slice(s, e),
        norm,
        start: s,
        end: e,
        negated: false,
        shouted: kind === 'word' && !allCaps && norm.length > 1 && text.slice(s, e) === text.slice(s, e).toUpperCase(),
        kind,
      });
    if (m[1] !== undefined || m[2] !== undefined) {
      const key = surface.toLowerCase();
      push(SYMBOL_WORDS[key] ?? SYMBOL_WORDS[key.replace(/\uFE0F|\p{Emoji_Modifier}/gu, '')] ?? key, 'emoji');
    } else if (m[3] !== undefined) {
      const lower = surface.toLowerCase().replace(/’/g, "'");
      const split = splitContraction(lower);
      if (split) {
        const cut = start + split.stemLength;
        push(shorten(split.stem), 'word', start, cut);
        if (split.tail) push(split.tail, 'word', cut, end);
      } else push(shorten(lower), 'word');
    } else if (m[4] !== undefined) push(surface, 'number');
    else push(surface[0] === '!' || surface[0] === '?' ? surface[0] : surface, 'punct');
  }
  markNegation(tokens);
  return { text, tokens, truncated };
}

const CONTRACTION_LIST = Object.entries(CONTRACTIONS);

function splitContraction(w: string): { stem: string; stemLength: number; tail: string | null } | null {
  if (!w.includes("'")) return null;
  for (const [ending, meaning] of CONTRACTION_LIST) {
    if (!w.endsWith(ending) || w.length === ending.length) continue;
    const raw = w.slice(0, -ending.length);
    const stem = ending === "n't" ? (NT_STEMS[raw] ?? raw) : raw;
    return { stem, stemLength: raw.length, tail: meaning };
  }
  return null;
}

/** "soooo goooood" -> "soo good"-like forms: runs of 3+ letters become 2 ("good", "cool" stay). */
const ELONGATED = /(\p{L})\1{2,}/gu;
function shorten(w: string): string {
  // Most words have no run of three: skip the replace for them.
  for (let i = 2; i < w.length; i++) if (w[i] === w[i - 1] && w[i] === w[i - 2]) return w.replace(ELONGATED, '$1$1');
  return w;
}

function markNegation(tokens: Token[]): void {
  let reach = 0;
  for (const t of tokens) {
    if (t.kind === 'punct' && CLAUSE_END.test(t.text)) reach = 0;
    else if (SCOPE_BREAKERS.has(t.norm)) reach = 0;
    else if (NEGATORS.has(t.norm)) reach = NEGATION_REACH;
    else if (reach > 0 && t.kind !== 'punct') {
      t.negated = true;
      reach--;
    }
  }
}
