/** A text with its matched ranges marked (<mark>), built as React text nodes: a catalog's strings stay text. */
import type { Highlight } from '../../api/types';

export function Highlighted({ text, matches }: Pick<Highlight, 'text' | 'matches'>) {
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const [start, end] of matches) {
    if (start < at) continue;
    if (start > at) parts.push(text.slice(at, start));
    parts.push(<mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}
