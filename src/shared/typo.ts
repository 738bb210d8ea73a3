/**
 * Typo tolerance by word length, the rule the hosted engines use (Algolia's minWordSizefor1Typo = 4 and
 * minWordSizefor2Typos = 8; Typesense and Meilisearch are alike): short words must be typed exactly, longer ones
 * may have one typo, long ones two. A swap of two neighbouring letters is one typo, as a shopper counts it
 * (Damerau); the index's fuzzy matching is Levenshtein, where a swap costs two, so the keyword index (../search/keyword.ts) first repairs swaps.
 */

export const ONE_TYPO_FROM = 4;
export const TWO_TYPOS_FROM = 8;

/** How many typos a word of the query may carry. */
export function typoBudget(term: string): 0 | 1 | 2 {
  const n = [...term].length;
  return n >= TWO_TYPOS_FROM ? 2 : n >= ONE_TYPO_FROM ? 1 : 0;
}

/** Every word one swap of neighbouring letters away (the swaps a fast typist makes). */
export function transpositions(term: string): string[] {
  const c = [...term];
  const out = new Set<string>();
  for (let i = 0; i + 1 < c.length; i++) {
    if (c[i] === c[i + 1]) continue;
    const s = [...c];
    [s[i], s[i + 1]] = [s[i + 1] as string, s[i] as string];
    out.add(s.join(''));
  }
  return [...out];
}

/** Levenshtein distance, stopping early past `max` (returns max + 1 then). */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(
        (prev[j] as number) + 1,
        (cur[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      cur.push(v);
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length] as number;
}
