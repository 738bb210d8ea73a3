/**
 * Reading a question: the price range it names, the two sides of a comparison, and the words that only say what
 * kind of question it is (so that what is left names the items or what is asked about them).
 */
import { terms } from '../shared/text';

export interface PriceRange {
  min?: number;
  max?: number;
  /** The question without the price phrase. */
  rest: string;
}

const AMOUNT = String.raw`(?:\$|€|£)?\s*(\d+(?:[.,]\d{1,2})?)\s*(?:dollars?|usd|euros?|eur|pounds?|gbp|bucks)?`;
const num = (s: string | undefined) => Number((s ?? '').replace(',', '.'));

/** The price bounds a question names ("under $200", "between 100 and 300 dollars", "$50-$80"), or null. */
export function parsePriceRange(text: string): PriceRange | null {
  const patterns: [RegExp, (m: RegExpMatchArray) => { min?: number; max?: number }][] = [
    [
      new RegExp(String.raw`\b(?:between|from)\s+${AMOUNT}\s*(?:and|to|-|–)\s*${AMOUNT}`, 'i'),
      (m) => ({ min: num(m[1]), max: num(m[2]) }),
    ],
    [new RegExp(String.raw`${AMOUNT}\s*(?:-|–|to)\s*${AMOUNT}`, 'i'), (m) => ({ min: num(m[1]), max: num(m[2]) })],
    [
      new RegExp(
        String.raw`\b(?:under|below|less than|cheaper than|up to|at most|no more than|max(?:imum)?|within)\s+${AMOUNT}`,
        'i',
      ),
      (m) => ({ max: num(m[1]) }),
    ],
    [
      new RegExp(String.raw`\b(?:over|above|more than|at least|min(?:imum)?|pricier than|upwards of)\s+${AMOUNT}`, 'i'),
      (m) => ({ min: num(m[1]) }),
    ],
  ];
  for (const [re, bounds] of patterns) {
    const m = text.match(re);
    if (!m) continue;
    const b = bounds(m);
    if (b.min !== undefined && b.max !== undefined && b.min > b.max) [b.min, b.max] = [b.max, b.min];
    return { ...b, rest: text.replace(re, ' ') };
  }
  return null;
}

/**
 * Words that say what kind of question it is, not what it is about ("something like", "compare", "under"):
 * left out when looking for the items a question names and the aspects it asks about.
 */
export const CUE_WORDS: ReadonlySet<string> = new Set(
  (
    'similar like likes liked alike resemble resembles resembling same style vein more other others else ' +
    'anything something alternative alternatives show me find recommend suggest give get want need please ' +
    'should would could watch next buy pick choose see looking look item items product products thing things ' +
    'stuff one ones compare compared comparison versus vs difference differ between which better best ' +
    'worse cheaper pricier rated higher popular prices price cheap what whats is are was does do did how ' +
    'this that these those it its they them the a an i my we you your of for to in on with and or than ' +
    'there any about people reviewers reviews review customers buyers say says think opinion opinions ' +
    'tell summarize feedback mostly main common two both either too very really much so quite'
  ).split(' '),
);

/** The words of a text that are not cue words: what it names or asks about. */
export function contentWords(text: string): string[] {
  return terms(text).filter((t) => !CUE_WORDS.has(t));
}

const SIDES = /\s+(?:vs\.?|versus|or|and|with|compared (?:to|with)|than|to)\s+/gi;
const LEAD =
  /^\s*(?:compare|comparison of|difference between|differences between|which is (?:better|cheaper|more popular|rated higher)[,:]?|how does|pick between|is)\s+/i;

/** Every way of splitting a comparison into two sides at a joining word ("A vs B", "A or B", "A and B"). */
export function comparisonSides(text: string): [string, string][] {
  const body = text.replace(/[?!.]+\s*$/, '').replace(LEAD, '');
  const out: [string, string][] = [];
  for (const m of body.matchAll(SIDES)) {
    const a = body.slice(0, m.index).replace(/,\s*$/, '').trim();
    const b = body
      .slice(m.index + m[0].length)
      .replace(/,?\s*which (?:one|is better)\s*$/i, '')
      .trim();
    if (a && b) out.push([a, b]);
  }
  return out;
}
