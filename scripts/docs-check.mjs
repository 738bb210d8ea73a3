#!/usr/bin/env node
/**
 * `npm run docs:check` (part of `npm test`): docs/api.md is generated from the public types (src/api/types.ts) by
 * TypeDoc (`npm run docs`); this generates it again into a temporary folder and fails when the committed file
 * differs, so the API reference can never drift from the code.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const out = mkdtempSync(join(tmpdir(), 'hushcart-docs-'));
try {
  execFileSync(join(root, 'node_modules', '.bin', 'typedoc'), ['--out', out, '--logLevel', 'Warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  const fresh = readFileSync(join(out, 'api.md'), 'utf8');
  const committed = readFileSync(join(root, 'docs', 'api.md'), 'utf8');
  if (fresh !== committed) {
    console.error('docs/api.md is out of date with src/api/types.ts: run `npm run docs` and commit docs/api.md.');
    process.exit(1);
  }
  console.log('docs/api.md is current.');
} finally {
  rmSync(out, { recursive: true, force: true });
}
