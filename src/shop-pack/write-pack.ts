/**
 * Writes a built pack to a folder, all or nothing: every file goes to a fresh sibling folder first, which then
 * replaces the target in two renames. A failure on the way leaves the target as it was and removes the partial
 * folder. A target that exists must be a pack folder already (it holds a pack.json), so a mistyped --out never
 * replaces someone's site.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { HushCartError } from '../errors';
import type { ShopPack } from './build';

export function writePack(out: string, pack: ShopPack): void {
  const target = resolve(out);
  if (existsSync(target) && readdirSync(target).length && !existsSync(join(target, 'pack.json')))
    throw new HushCartError(
      'api/invalid-argument',
      `${out} exists and is not a pack folder (no pack.json): choose an empty or new folder`,
    );
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  const partial = join(parent, `.${basename(target)}.partial-${stamp}`);
  const old = join(parent, `.${basename(target)}.old-${stamp}`);
  try {
    mkdirSync(partial);
    writeFileSync(join(partial, 'pack.json'), JSON.stringify(pack.manifest, null, 2) + '\n');
    for (const [name, text] of pack.files) writeFileSync(join(partial, name), text);
    if (existsSync(target)) renameSync(target, old);
    renameSync(partial, target);
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    if (existsSync(old) && !existsSync(target)) renameSync(old, target);
    throw e;
  }
  rmSync(old, { recursive: true, force: true });
}
