/**
 * The page's bundle must not contain tfjs (it loads with the engine worker, after first paint). Follows the value
 * imports (not `import type`, not `?url` assets) from the page's entry and fails on any module that imports tfjs.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

function resolveModule(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec);
  const candidates = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}

/** Value imports and re-exports of a module: [specifier, ...]. */
function valueImports(source: string): string[] {
  const out: string[] = [];
  const re = /^(?:import|export)\s+(?!type\b)(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  for (const m of source.matchAll(re)) out.push(m[1] as string);
  return out;
}

it('the page bundle (src/main.tsx and what it imports) never imports tfjs', () => {
  const seen = new Set<string>();
  const offenders: string[] = [];
  const visit = (file: string, via: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of valueImports(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('@tensorflow/') && !spec.endsWith('?url')) offenders.push([...via, file, spec].join(' -> '));
      if (!spec.startsWith('.')) continue;
      if (spec.includes('?worker') || spec.endsWith('.css')) continue;
      const next = resolveModule(file, spec);
      if (next) visit(next, [...via, file]);
    }
  };
  visit(join(ROOT, 'main.tsx'), []);
  expect(seen.size).toBeGreaterThan(30);
  expect(offenders).toEqual([]);
});
