/**
 * The search's one tokenizer: words and numbers in any script, each with where it is in the text (for
 * highlights), folded to lower case without accents ("Amélie" finds "amelie") and without apostrophes.
 */

export interface Token {
  term: string;
  start: number;
  end: number;
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

/** Lower case, accents and apostrophes removed: the form every term is indexed and searched by. */
export function foldTerm(raw: string): string {
  return raw.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/['’]/g, '');
}

/** The words of a text with their offsets in it. */
export function tokens(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD)) out.push({ term: foldTerm(m[0]), start: m.index, end: m.index + m[0].length });
  return out;
}

/** The folded words of a text, in order. */
export function terms(text: string): string[] {
  return tokens(text).map((t) => t.term);
}

/**
 * Words too common to say what a shopper wants; dropped from the assistant's questions and from the intent
 * classifier's features (kept in the keyword index, where BM25's IDF already gives them almost no weight).
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or of to in on for with at by from is are was were be been am do does did this that these those it ' +
    'its i me my we our you your he she they them their what which who whom how why when where can could would ' +
    'should will shall may might must any some all there here about as into than then so not no if but very just'
  ).split(' '),
);
