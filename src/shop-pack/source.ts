/**
 * Reading a shop's export files as streams: bytes are decoded as UTF-8 (strictly: a file that is not UTF-8 is
 * refused, naming the line), and CSV/TSV goes through csv-parse, which names the line and column of a malformed
 * record. A file is never held whole: rows are yielded as the chunks arrive.
 */
import { parse, type Options as CsvOptions, type Parser } from 'csv-parse';
import { HushCartError } from '../errors';

/** An export file: its name (for messages) and its bytes, as an async sequence of chunks. */
export interface InputFile {
  name: string;
  chunks: () => AsyncIterable<Uint8Array | string>;
}

/** A file from a string or bytes held in memory (tests, the in-app page's small files). */
export function memoryFile(name: string, content: string | Uint8Array): InputFile {
  return {
    name,
    chunks: async function* () {
      yield content;
    },
  };
}

export const inputError = (file: string, message: string): HushCartError =>
  new HushCartError('shop-pack/invalid-input', `${file}: ${message}`);

/** The file's text, chunk by chunk; bytes that are not UTF-8 are an error naming the line they are on. */
export async function* utf8(file: InputFile): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let first = true;
  for await (const chunk of file.chunks()) {
    let text: string;
    if (typeof chunk === 'string') text = chunk;
    else
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        const before = chunk.subarray(0, Math.max(0, firstInvalidByte(chunk)));
        const lines = line + countNewlines(new TextDecoder().decode(before));
        throw inputError(file.name, `line ${lines}: the file is not UTF-8 text (export it as UTF-8)`);
      }
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a byte-order mark
    first = false;
    line += countNewlines(text);
    if (text) yield text;
  }
  try {
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch {
    throw inputError(file.name, `line ${line}: the file ends inside a character that is not UTF-8`);
  }
}

function countNewlines(s: string): number {
  let n = 0;
  for (let k = s.indexOf('\n'); k >= 0; k = s.indexOf('\n', k + 1)) n++;
  return n;
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence (a close estimate). */
function firstInvalidByte(bytes: Uint8Array): number {
  for (let k = 0; k < bytes.length; k++) {
    const b = bytes[k] as number;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (!len) return k;
    for (let c = 1; c < len; c++) if (k + c < bytes.length && ((bytes[k + c] as number) & 0xc0) !== 0x80) return k;
    k += len - 1;
  }
  return bytes.length;
}

/** The first `n` characters of a file (to tell its format), without reading the rest. */
export async function head(file: InputFile, n = 4096): Promise<string> {
  let out = '';
  for await (const text of utf8(file)) {
    out += text;
    if (out.length >= n) break;
  }
  return out.slice(0, n);
}

/** Records parsed ahead of their consumer, at most (then the file is read no further until it catches up). */
const QUEUE_LIMIT = 4096;

/** One CSV row as column name -> trimmed value, with the line it started on. */
export interface Row {
  values: Record<string, string>;
  line: number;
}

/**
 * The rows of a CSV (or, with `delimiter: '\t'`, TSV) file with a header line. Errors name the file, the line and
 * the column; an empty file or one with only a header is an error.
 */
export async function* csvRows(file: InputFile, options: { delimiter?: string } = {}): AsyncGenerator<Row> {
  const parserOptions: CsvOptions = {
    columns: (header: string[]) => header.map((h) => h.trim()),
    bom: true,
    info: true,
    skip_empty_lines: true,
    relax_column_count: true,
    trim: true,
    delimiter: options.delimiter ?? ',',
    ...(options.delimiter === '\t' ? { quote: false } : {}),
  };
  // The parser's records are taken from its 'data' events into a bounded queue: the same code runs on Node's
  // streams and on the browser build's (which has no async iterator); the feeder waits while the queue is full.
  const parser: Parser = parse(parserOptions);
  type Parsed = { record: Record<string, string>; info: { lines: number } };
  const queue: Parsed[] = [];
  let ended = false;
  let failure: unknown = null;
  // Who is waiting: the consumer for records, the feeder for room in the queue.
  const waiting: { consumer: (() => void) | null; feeder: (() => void) | null } = { consumer: null, feeder: null };
  const wake = () => {
    waiting.consumer?.();
    waiting.consumer = null;
  };
  parser.on('data', (r: Parsed) => {
    queue.push(r);
    wake();
  });
  parser.on('end', () => {
    ended = true;
    wake();
  });
  parser.on('error', (e: unknown) => {
    failure ??= e;
    ended = true;
    wake();
  });
  const feeding = (async () => {
    try {
      for await (const text of utf8(file)) {
        if (failure) return;
        parser.write(text);
        while (queue.length > QUEUE_LIMIT && !failure) await new Promise<void>((r) => (waiting.feeder = r));
      }
      parser.end();
    } catch (e) {
      failure ??= e;
      ended = true;
      wake();
    }
  })();
  let rows = 0;
  try {
    for (;;) {
      const r = queue.shift();
      if (r) {
        rows++;
        if (queue.length <= QUEUE_LIMIT / 2) {
          waiting.feeder?.();
          waiting.feeder = null;
        }
        yield { values: r.record, line: r.info.lines };
        continue;
      }
      if (failure || ended) break;
      await new Promise<void>((resolve) => (waiting.consumer = resolve));
    }
  } finally {
    waiting.feeder?.();
    await feeding;
  }
  if (failure) {
    if (failure instanceof HushCartError) throw failure;
    const err = failure as { lines?: number; message?: string };
    throw inputError(file.name, `${err.lines ? `line ${err.lines}` : 'the file'}: ${err.message ?? String(failure)}`);
  }
  if (!rows) throw inputError(file.name, 'the file has no rows (is it empty, or only a header?)');
}

/** The records of a JSON Lines file (one JSON object per line); a line that is not an object names its number. */
export async function* jsonLines(file: InputFile): AsyncGenerator<{ value: Record<string, unknown>; line: number }> {
  let buffer = '';
  let line = 0;
  let rows = 0;
  const parseLine = (text: string) => {
    line++;
    const t = text.trim();
    if (!t) return null;
    let value: unknown;
    try {
      value = JSON.parse(t);
    } catch (e) {
      throw inputError(file.name, `line ${line}: not JSON (${(e as Error).message})`);
    }
    if (!value || typeof value !== 'object' || Array.isArray(value))
      throw inputError(file.name, `line ${line}: each line must be one JSON object`);
    rows++;
    return { value: value as Record<string, unknown>, line };
  };
  for await (const text of utf8(file)) {
    buffer += text;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const r = parseLine(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
      if (r) yield r;
    }
  }
  const r = parseLine(buffer);
  if (r) yield r;
  if (!rows) throw inputError(file.name, 'the file has no records');
}

/** A column's value, or an error naming the file, the line and the column when it is required and empty. */
export function field(file: string, row: Row, column: string, required: true): string;
export function field(file: string, row: Row, column: string, required?: false): string | undefined;
export function field(file: string, row: Row, column: string, required = false): string | undefined {
  const v = row.values[column];
  if (v !== undefined && v !== '') return v;
  if (required) throw inputError(file, `line ${row.line}, column "${column}": a value is required`);
  return undefined;
}

/** `{ [key]: value }` when there is a value, else `{}` (optional fields under exactOptionalPropertyTypes). */
export function opt<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value ? { [key]: value } : {}) as { [P in K]?: string };
}
