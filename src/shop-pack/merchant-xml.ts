/**
 * Google Merchant Center's XML feed (RSS 2.0 with the g: namespace), read as a stream by saxes: each <item>'s
 * child elements by local name (g:price -> price), with the line the item started on.
 */
import { SaxesParser } from 'saxes';
import { inputError, utf8, type InputFile } from './source';

export async function* merchantXmlItems(
  file: InputFile,
): AsyncGenerator<{ values: Map<string, string>; line: number }> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const ready: { values: Map<string, string>; line: number }[] = [];
  let item: { values: Map<string, string>; line: number } | null = null;
  let fieldName: string | null = null;
  let text = '';
  let failure: Error | null = null;
  parser.on('opentag', (tag) => {
    const name = tag.name.replace(/^.*:/, '');
    if (name === 'item' || name === 'entry') item = { values: new Map(), line: parser.line };
    else if (item) {
      fieldName = name;
      text = '';
    }
  });
  parser.on('text', (t) => {
    if (fieldName) text += t;
  });
  parser.on('cdata', (t) => {
    if (fieldName) text += t;
  });
  parser.on('closetag', (tag) => {
    const name = tag.name.replace(/^.*:/, '');
    if ((name === 'item' || name === 'entry') && item) {
      ready.push(item);
      item = null;
    } else if (item && fieldName === name) {
      if (text.trim() && !item.values.has(name)) item.values.set(name, text.trim());
      fieldName = null;
    }
  });
  parser.on('error', (e) => {
    failure ??= e;
  });
  let items = 0;
  for await (const chunk of utf8(file)) {
    parser.write(chunk);
    if (failure) break;
    while (ready.length) {
      items++;
      yield ready.shift() as { values: Map<string, string>; line: number };
    }
  }
  if (!failure) parser.close();
  if (failure) throw inputError(file.name, `not well-formed XML: ${(failure as Error).message}`);
  while (ready.length) {
    items++;
    yield ready.shift() as { values: Map<string, string>; line: number };
  }
  if (!items) throw inputError(file.name, 'the feed has no <item> elements');
}
