/** Where benchmark suites put their sections, and the shape of one. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RESULTS_DIR = join(import.meta.dirname, 'results');
export const SECTIONS_DIR = join(RESULTS_DIR, 'sections');

export interface Section {
  /** Order in the report. */
  order: number;
  title: string;
  /** Markdown body: tables and notes. */
  markdown: string;
  data: unknown;
  browser?: string;
  /** When the section was measured (set by writeSection). */
  date?: string;
}

export function writeSection(name: string, section: Section): void {
  mkdirSync(SECTIONS_DIR, { recursive: true });
  writeFileSync(
    join(SECTIONS_DIR, `${name}.json`),
    JSON.stringify({ ...section, date: new Date().toISOString() }, null, 2),
  );
}

export function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
