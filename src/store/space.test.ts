/**
 * What gives way when storage runs out: events first, models next, caches last. The disk is simulated by making
 * the browser's own write calls fail with QuotaExceededError while it is "full", and freeing it when a given store
 * is cleared; the real quota is exercised in the browser (e2e/storage-pressure.spec.ts).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadCacheBytes, saveCache } from './caches';
import { committed, isSpaceError } from './commit';
import { deleteDatabase, openDatabase, type Database } from './db';
import { EventLog } from './events';
import { listModels, saveModel } from './models';
import { StoragePriorities } from './space';

const names: string[] = [];
const open: Database[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const db of open.splice(0)) db.close();
  for (const n of names.splice(0)) await deleteDatabase(n);
});
async function fresh(): Promise<Database> {
  const name = `space-${Math.random().toString(36).slice(2)}`;
  names.push(name);
  const db = await openDatabase({ name });
  open.push(db);
  return db;
}

const META = { id: 'bpr:movies', kind: 'bpr', version: 1, dataHash: 'h', createdAt: 1, backend: 'cpu', metrics: {} };
const WEIGHTS = { tensors: [{ name: 'w', shape: [2], dtype: 'float32' as const, data: new ArrayBuffer(8) }] };

/**
 * A disk that is full for writes to `stores` until one of `freedBy` is cleared. Writes fail inside the request as the
 * browser's do; `full.on` can be set again to fill it.
 */
function disk(stores: string[], freedBy: string[]) {
  const full = { on: true };
  for (const method of ['add', 'put'] as const) {
    const real = IDBObjectStore.prototype[method];
    vi.spyOn(IDBObjectStore.prototype, method).mockImplementation(function (this: IDBObjectStore, ...args) {
      if (full.on && stores.includes(this.name))
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return (real as (...a: unknown[]) => IDBRequest).apply(this, args);
    });
  }
  const realClear = IDBObjectStore.prototype.clear;
  vi.spyOn(IDBObjectStore.prototype, 'clear').mockImplementation(function (this: IDBObjectStore) {
    if (freedBy.includes(this.name)) full.on = false;
    return realClear.apply(this);
  });
  return full;
}

describe('events come first', () => {
  it('the caches give way, then the models; every event is kept, and the models are saved again later', async () => {
    const db = await fresh();
    await saveCache(db, 'search-index', 1, 'h', [3], Uint8Array.from([1, 2, 3]));
    await saveModel(db, META, WEIGHTS);
    const space = new StoragePriorities([db], Infinity);
    const log = new EventLog(db, `s-${Math.random()}`, space);
    const full = disk(['events'], ['weights']); // the caches are not enough; the models are
    const stored = await Promise.all(
      Array.from({ length: 30 }, (_, i) => log.record({ type: 'view', itemId: `i${i}` })),
    );
    expect(stored).toHaveLength(30);
    expect(await db.count('events')).toBe(30);
    expect(await db.count('caches')).toBe(0);
    expect(await listModels(db)).toEqual([]);
    const notes = space.notKept();
    expect(notes.map((n) => n.key).sort()).toEqual(['caches', 'model:bpr:movies']);
    expect(space.modelNote('bpr:movies')).toMatch(/^not kept on this device: removed to make room for your events/);

    // Room again (the shopper freed space): the model is saved from memory, its note goes.
    full.on = false;
    expect(await space.retry()).toBe(0);
    expect((await listModels(db)).map((m) => m.id)).toEqual(['bpr:movies']);
    expect(space.modelNote('bpr:movies')).toBeUndefined();
    log.close();
    space.close();
  });

  it('an event that nothing could make room for is refused with what to do, and nothing is half-written', async () => {
    const db = await fresh();
    const space = new StoragePriorities([db], Infinity);
    const log = new EventLog(db, `s-${Math.random()}`, space);
    disk(['events'], []);
    await expect(log.record({ type: 'view', itemId: 'a' })).rejects.toMatchObject({ code: 'store/quota' });
    vi.restoreAllMocks();
    expect(await db.count('events')).toBe(0);
    log.close();
  });
});

describe('a model that does not fit', () => {
  it('the caches give way for it, never the events; still too big, it is noted and tried again', async () => {
    const db = await fresh();
    await saveCache(db, 'search-index', 1, 'h', [3], Uint8Array.from([1, 2, 3]));
    const log = new EventLog(db, `s-${Math.random()}`);
    await log.record({ type: 'view', itemId: 'a' });
    const space = new StoragePriorities([db], Infinity);
    const full = disk(['models', 'weights'], []);
    await space.keepModel(db, META, WEIGHTS); // does not throw: the model keeps serving from memory
    expect(await db.count('events')).toBe(1);
    expect(await db.count('caches')).toBe(0);
    expect(space.modelNote('bpr:movies')).toMatch(/not enough space on this device; it answers on this visit/);
    // Held in memory meanwhile: loaded as a saved model would be (by its version and data hash).
    expect(space.unsaved('bpr:movies', 1, 'h')?.meta).toMatchObject({ id: 'bpr:movies', bytes: 8 });
    expect(space.unsaved('bpr:movies', 2, 'h')).toBeUndefined();
    expect(await space.retry()).toBe(1);
    full.on = false;
    expect(await space.retry()).toBe(0);
    expect(space.notKept().map((n) => n.key)).toEqual(['caches']);
    expect((await listModels(db)).map((m) => m.id)).toEqual(['bpr:movies']);
    log.close();
  });

  it('other failures are errors, not notes', async () => {
    const db = await fresh();
    const space = new StoragePriorities([db], Infinity);
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('broken', 'DataCloneError');
    });
    await expect(space.keepModel(db, META, WEIGHTS)).rejects.toMatchObject({ name: 'DataCloneError' });
    expect(space.notKept()).toEqual([]);
  });
});

describe('a cache that does not fit', () => {
  it('is simply not kept: nothing gives way for it', async () => {
    const db = await fresh();
    await saveModel(db, META, WEIGHTS);
    const space = new StoragePriorities([db], Infinity);
    disk(['caches'], ['caches', 'weights']);
    const kept = await space.keepCache('search-index', 'The search index', () =>
      saveCache(db, 'search-index', 1, 'h', [3], Uint8Array.from([1, 2, 3])),
    );
    expect(kept).toBe(false);
    expect((await listModels(db)).map((m) => m.id)).toEqual(['bpr:movies']);
    expect(space.notKept()).toMatchObject([{ key: 'cache:search-index', what: 'The search index' }]);
    vi.restoreAllMocks();
    expect(await loadCacheBytes(db, 'search-index', 1, 'h')).toBeUndefined();
    // Deleting the caches on My data clears what was said about them.
    space.cleared('caches');
    expect(space.notKept()).toEqual([]);
  });
});

describe('telling a full disk from other failures', () => {
  it("reports the transaction's own error when the requests only say they were aborted", async () => {
    const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    const tx = { done: Promise.reject(new DOMException('', 'AbortError')), error: quota };
    await expect(committed(tx, [Promise.reject(new DOMException('', 'AbortError'))])).rejects.toBe(quota);
    expect(isSpaceError(quota)).toBe(true);
    expect(isSpaceError(new DOMException('', 'AbortError'))).toBe(true);
    expect(isSpaceError(new Error('wrapped', { cause: quota }))).toBe(true);
    expect(isSpaceError(new DOMException('', 'DataCloneError'))).toBe(false);
    expect(isSpaceError(null)).toBe(false);
  });
});
