/**
 * Highlights: where a result matched the query, as offsets into the field's text (the UI marks them; nothing
 * is ever inserted as markup). Long fields (descriptions, reviews) give a snippet around the first match.
 */
import type { Highlight, SearchField } from './contract';
import { tokens } from '../shared/text';

/** Fields longer than this are cut to a snippet of about this length around their first match. */
export const SNIPPET_CHARS = 160;

export function highlight(field: SearchField, text: string, matched: ReadonlySet<string>): Highlight | null {
  const hits = tokens(text).filter((t) => matched.has(t.term));
  if (!hits.length) return null;
  if (text.length <= SNIPPET_CHARS)
    return { field, text, matches: hits.map((t) => [t.start, t.end] as [number, number]) };
  const first = hits[0] as (typeof hits)[number];
  let from = Math.max(0, first.start - 40);
  // Start at a word: after the space before `from`.
  if (from > 0) from = text.lastIndexOf(' ', from) + 1;
  let to = Math.min(text.length, from + SNIPPET_CHARS);
  if (to < text.length) {
    const space = text.lastIndexOf(' ', to);
    if (space > first.end) to = space;
  }
  const lead = from > 0 ? '… ' : '';
  const shift = lead.length - from;
  return {
    field,
    text: `${lead}${text.slice(from, to).trimEnd()}${to < text.length ? ' …' : ''}`,
    matches: hits
      .filter((t) => t.start >= from && t.end <= to)
      .map((t) => [t.start + shift, t.end + shift] as [number, number]),
  };
}
