/**
 * Renders the small Markdown subset our own documents use (headings, paragraphs, lists, tables, **bold**,
 * `code`) as React elements. Text is never parsed as HTML.
 */
import type { ReactNode } from 'react';

function inline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  const re = /\*\*([^*]+)\*\*|`([^`]+)`/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(m[1] !== undefined ? <strong key={m.index}>{m[1]}</strong> : <code key={m.index}>{m[2]}</code>);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

const cells = (line: string) =>
  line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((c) => c.trim());

export function Markdown({ source }: { source: string }) {
  const lines = source.split('\n');
  const blocks: ReactNode[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const key = blocks.length;
    if (!line.trim()) {
      i++;
    } else if (/^#{1,3} /.test(line)) {
      const level = line.indexOf(' ');
      const text = inline(line.slice(level + 1));
      blocks.push(
        level === 1 ? <h1 key={key}>{text}</h1> : level === 2 ? <h2 key={key}>{text}</h2> : <h3 key={key}>{text}</h3>,
      );
      i++;
    } else if (line.startsWith('|')) {
      const rows: string[][] = [];
      while (i < lines.length && (lines[i] ?? '').startsWith('|')) {
        if (!/^\|[\s|:-]+\|$/.test((lines[i] ?? '').trim())) rows.push(cells(lines[i] ?? ''));
        i++;
      }
      const [head, ...body] = rows;
      blocks.push(
        <div key={key} className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                {head?.map((c, j) => (
                  <th key={j} scope="col">
                    {inline(c)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {body.map((r, k) => (
                <tr key={k}>
                  {r.map((c, j) => (
                    <td key={j}>{inline(c)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>,
      );
    } else if (line.startsWith('- ')) {
      const items: string[] = [];
      while (i < lines.length && ((lines[i] ?? '').startsWith('- ') || /^ {2,}\S/.test(lines[i] ?? ''))) {
        const l = lines[i] ?? '';
        if (l.startsWith('- ')) items.push(l.slice(2));
        else items[items.length - 1] += ' ' + l.trim();
        i++;
      }
      blocks.push(
        <ul key={key}>
          {items.map((t, k) => (
            <li key={k}>{inline(t)}</li>
          ))}
        </ul>,
      );
    } else {
      const para: string[] = [];
      while (i < lines.length && (lines[i] ?? '').trim() && !/^(#|\||- )/.test(lines[i] ?? ''))
        para.push((lines[i++] ?? '').trim());
      blocks.push(<p key={key}>{inline(para.join(' '))}</p>);
    }
  }
  return <>{blocks}</>;
}
