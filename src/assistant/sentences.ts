/**
 * Review sentences: reviews split where a sentence ends (or where the data set's stripped punctuation left a
 * double space), and the sentences that speak of an aspect ("bitter" also finds "bitterness").
 */
import { terms } from '../shared/text';

/** Sentences longer than this are cut (at a word) when quoted. */
const MAX_SENTENCE = 240;

export function sentences(review: string): string[] {
  return review
    .replace(/<br\s*\/?>/gi, ' \n ')
    .replace(/<[^>]+>/g, ' ')
    .split(/(?<=[.!?])\s+|\s{2,}|\n/)
    .map((s) => s.trim())
    .filter((s) => terms(s).length >= 3)
    .map((s) => (s.length > MAX_SENTENCE ? `${s.slice(0, s.lastIndexOf(' ', MAX_SENTENCE))} …` : s));
}

/** Whether a sentence's word speaks of the aspect: the same word, or one built on it (bitter, bitterness). */
export function mentions(word: string, aspect: string): boolean {
  if (word === aspect) return true;
  if (aspect.length < 4) return false;
  return word.startsWith(aspect) && word.length - aspect.length <= 4;
}

/** The sentences that mention `required`, best first by how many of the other aspects they mention too. */
export function aboutAspects(all: string[], required: string, others: string[]): string[] {
  return all
    .map((s) => {
      const words = terms(s);
      const has = (a: string) => words.some((w) => mentions(w, a));
      return { s, ok: has(required), n: others.filter(has).length };
    })
    .filter((x) => x.ok)
    .sort((a, b) => b.n - a.n)
    .map((x) => x.s);
}
