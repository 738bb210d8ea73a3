import { afterEach, describe, expect, it } from 'vitest';
import { deleteDatabase, openDatabase, type Database } from './db';
import { EventLog } from './events';
import { saveModel } from './models';
import { applyImport, checkImport, deleteCategories, exportProfile, inventory, type ExportFile } from './profile';
import { setSetting } from './settings';
import { saveCache } from './caches';

const names: string[] = [];
const open: Database[] = [];
async function fresh(): Promise<Database> {
  const name = `profile-${Math.random().toString(36).slice(2)}`;
  names.push(name);
  const db = await openDatabase({ name });
  open.push(db);
  return db;
}
afterEach(async () => {
  for (const db of open.splice(0)) db.close();
  for (const n of names.splice(0)) await deleteDatabase(n);
});

const CATALOG = { id: 'default', dataHash: 'h1' };
const ITEMS = new Set(['ml-1', 'ml-2', 'ff-1']);
const options = (existingIds?: Set<string>) => ({
  catalogId: 'default',
  hasItem: (id: string) => ITEMS.has(id),
  ...(existingIds ? { existingIds } : {}),
});
const asFile = (v: unknown) => new Blob([typeof v === 'string' ? v : JSON.stringify(v)], { type: 'application/json' });

/** A database with three events, a setting, a model and a cache. */
async function filled(): Promise<Database> {
  const db = await fresh();
  const log = new EventLog(db, `ch-${Math.random()}`);
  await Promise.all([
    log.record({ type: 'view', itemId: 'ml-1' }, 1_000),
    log.record({ type: 'rate', itemId: 'ml-2', value: 5 }, 2_000),
    log.record({ type: 'review', itemId: 'ff-1', value: 0.9, text: '<script>alert(1)</script> tasty' }, 3_000),
  ]);
  log.close();
  await setSetting(db, 'backend', 'wasm');
  await saveModel(
    db,
    { id: 'bpr:movies', kind: 'bpr-mf', version: 3, dataHash: 'h1', createdAt: 5, backend: 'wasm', metrics: {} },
    { tensors: [{ name: 'item', shape: [2, 2], dtype: 'float32', data: Float32Array.from([1, 2, 3, 4]).buffer }] },
  );
  await saveCache(db, 'image-embeddings', 1, 'h1:5', [1, 2], Float32Array.from([0.5, 0.25]));
  return db;
}

describe('inventory', () => {
  it('lists every category with sizes and dates', async () => {
    const inv = await inventory(await filled());
    expect(inv.events).toMatchObject({
      count: 3,
      byType: { view: 1, rate: 1, review: 1 },
      oldest: 1_000,
      newest: 3_000,
    });
    expect(inv.events.bytes).toBeGreaterThan(100);
    expect(inv.models).toEqual([{ id: 'bpr:movies', kind: 'bpr-mf', bytes: 16, createdAt: 5, dataHash: 'h1' }]);
    expect(inv.caches).toMatchObject([{ key: 'image-embeddings', bytes: 8 }]);
    expect(inv.settings.map((s) => s.key)).toEqual(['backend']);
  });
});

describe('export and import', () => {
  it('carries events, settings and models to an empty database exactly (replace)', async () => {
    const file = await exportProfile(await filled(), CATALOG, { models: true });
    expect(file).toMatchObject({ format: 'hushcart-export', version: 1, catalog: CATALOG });
    const checked = await checkImport(asFile(file), options());
    expect(checked.preview).toMatchObject({ events: 3, models: 1, settings: 1, oldest: 1_000, newest: 3_000 });
    const other = await fresh();
    expect(await applyImport(other, checked, 'replace')).toEqual({ events: 3, models: 1, settings: 1 });
    const again = await exportProfile(other, CATALOG, { models: true });
    expect(again.events).toEqual(file.events);
    expect(again.settings).toEqual({ backend: 'wasm' });
    expect(again.models).toEqual(file.models);
    // Markup in a text is kept as text, byte for byte.
    expect(again.events.map((e) => (e as { text?: string }).text).filter(Boolean)).toEqual([
      '<script>alert(1)</script> tasty',
    ]);
  });

  it('merges by event id: what is already here is not added twice', async () => {
    const db = await filled();
    const file = await exportProfile(db, CATALOG);
    const ids = new Set((await db.getAll('events')).map((e) => e.id));
    const checked = await checkImport(asFile(file), options(ids));
    expect(checked.preview.duplicates).toBe(3);
    expect((await applyImport(db, checked, 'merge')).events).toBe(0);
    expect(await db.count('events')).toBe(3);
  });

  const base = (): ExportFile => ({
    format: 'hushcart-export',
    version: 1,
    exportedAt: 10,
    catalog: CATALOG,
    events: [{ id: 'a', type: 'view', itemId: 'ml-1', ts: 1 }],
    settings: {},
  });
  const cases: [string, Blob, RegExp][] = [
    ['truncated JSON', asFile(JSON.stringify(base()).slice(0, 40)), /not valid JSON \(truncated/],
    ['not an export', asFile({ hello: 1 }), /field 'format'/],
    ['a newer version', asFile({ ...base(), version: 2 }), /field 'version'.*this app reads version 1/],
    [
      'another catalog',
      asFile({ ...base(), catalog: { id: 'shop', dataHash: 'x' } }),
      /exported from the catalog 'shop'/,
    ],
    [
      'a wrong type',
      asFile({ ...base(), events: [{ id: 'a', type: 'view', itemId: 7, ts: 1 }] }),
      /event #0: field 'itemId'/,
    ],
    [
      'an unknown event type',
      asFile({ ...base(), events: [{ id: 'a', type: 'steal', ts: 1 }] }),
      /event #0: field 'type'/,
    ],
    [
      'duplicate ids',
      asFile({ ...base(), events: [base().events[0], base().events[0]] }),
      /event #1: id 'a' appears twice/,
    ],
    [
      'an item the catalog does not have',
      asFile({ ...base(), events: [{ id: 'a', type: 'view', itemId: 'nope', ts: 1 }] }),
      /event #0: item 'nope' is not in this catalog/,
    ],
    [
      'a prototype key',
      asFile(
        `{"format":"hushcart-export","version":1,"exportedAt":1,"catalog":{"id":"default","dataHash":"h"},"settings":{},"events":[{"id":"a","type":"view","itemId":"ml-1","ts":1,"__proto__":{"admin":true}}]}`,
      ),
      /event #0: has a '__proto__' key/,
    ],
    [
      'a prototype key at the top',
      asFile(`{"__proto__":{"x":1},${JSON.stringify(base()).slice(1)}`),
      /field '\(the whole file\)'|Unrecognized key/,
    ],
    [
      'an unknown setting',
      asFile({ ...base(), settings: { evil: 1 } }),
      /field 'settings.evil': not a HushCart setting/,
    ],
    ['a bad setting value', asFile({ ...base(), settings: { backend: 'quantum' } }), /field 'settings.backend'/],
  ];
  for (const [what, file, message] of cases)
    it(`rejects ${what}, saying what is wrong, and changes nothing`, async () => {
      const db = await filled();
      const before = await exportProfile(db, CATALOG, { models: true });
      await expect(checkImport(file, options())).rejects.toThrow(message);
      expect(await exportProfile(db, CATALOG, { models: true })).toEqual({ ...before, exportedAt: expect.any(Number) });
    });

  it('rejects a file over the size limit before reading it', async () => {
    await expect(checkImport(asFile(base()), { ...options(), maxBytes: 10 })).rejects.toThrow(/an export is at most/);
  });

  it('rejects a model whose tensor does not fit its shape', async () => {
    const file = await exportProfile(await filled(), CATALOG, { models: true });
    const broken = structuredClone(file);
    broken.models![0]!.tensors[0]!.shape = [3, 3];
    await expect(checkImport(asFile(broken), options())).rejects.toThrow(/tensor 'item' does not fit its shape/);
  });
});

describe('deleting', () => {
  it('deletes one category and leaves the others, or everything', async () => {
    const db = await filled();
    await deleteCategories(db, ['caches']);
    let inv = await inventory(db);
    expect([inv.events.count, inv.models.length, inv.caches.length]).toEqual([3, 1, 0]);
    await deleteCategories(db, ['models']);
    expect(await db.count('weights')).toBe(0);
    await deleteCategories(db, ['events', 'models', 'caches', 'settings']);
    inv = await inventory(db);
    expect([inv.events.count, inv.models.length, inv.settings.length]).toEqual([0, 0, 0]);
  });
});
