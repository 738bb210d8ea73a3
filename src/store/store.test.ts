import { afterEach, describe, expect, it, vi } from 'vitest';
import { cartFromEvents } from './cart';
import { deleteDatabase, openDatabase, type Database } from './db';
import { EventLog } from './events';
import { DB_VERSION } from './migrations';
import { deleteModel, listModels, loadModel, saveModel } from './models';
import type { StoredEvent } from './schema';
import { getSetting, setSetting } from './settings';

let name = '';
const open: Database[] = [];
async function fresh(version?: number): Promise<Database> {
  const db = await openDatabase({ name, ...(version ? { version } : {}) });
  open.push(db);
  return db;
}

afterEach(async () => {
  for (const db of open.splice(0)) db.close();
  await deleteDatabase(name);
});

const newName = () => (name = `test-${Math.random().toString(36).slice(2)}`);

describe('migrations', () => {
  it('upgrades a v1 database to the latest without losing events', async () => {
    newName();
    const v1 = await fresh(1);
    expect([...v1.objectStoreNames].sort()).toEqual(['events', 'settings']);
    await v1.add('events', { id: 'e1', type: 'view', itemId: 'x', ts: 1 });
    v1.close();
    const latest = await fresh();
    expect(latest.version).toBe(DB_VERSION);
    expect([...latest.objectStoreNames].sort()).toEqual(['caches', 'events', 'models', 'settings', 'weights']);
    expect(await latest.getAllFromIndex('events', 'by-item', 'x')).toMatchObject([{ id: 'e1', type: 'view' }]);
  });
});

describe('EventLog', () => {
  it('writes events queued in one tick in one batch, in order, and resolves after commit', async () => {
    newName();
    const log = new EventLog(await fresh(), name);
    const saved = await Promise.all([
      log.record({ type: 'view', itemId: 'a' }),
      log.record({ type: 'add-to-cart', itemId: 'a' }),
      log.record({ type: 'rate', itemId: 'a', value: 5 }),
    ]);
    expect(saved.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(saved[1]?.value).toBe(1); // quantity defaults to 1
    expect((await log.list()).map((e) => e.type)).toEqual(['rate', 'add-to-cart', 'view']);
    expect(await log.count()).toBe(3);
    log.close();
  });

  it('loses nothing when two tabs (two connections) record at once', async () => {
    newName();
    const a = new EventLog(await fresh(), name);
    const b = new EventLog(await fresh(), name);
    const writes: Promise<StoredEvent>[] = [];
    for (let k = 0; k < 200; k++) {
      writes.push(a.record({ type: 'view', itemId: `a${k}` }));
      writes.push(b.record({ type: 'add-to-cart', itemId: `b${k}`, value: 2 }));
      if (k % 17 === 0) await Promise.resolve();
    }
    const saved = await Promise.all(writes);
    expect(new Set(saved.map((e) => e.seq)).size).toBe(400);
    // Each tab's in-memory history matches the database once the other tab's writes are seen.
    expect((await a.all()).length).toBeGreaterThanOrEqual(200);
    expect(await a.count()).toBe(400);
    expect(cartFromEvents(await b.all()).length).toBe(200);
    a.close();
    b.close();
  });

  it("a fresh read sees another tab's events committed before it, even before that tab's note arrives", async () => {
    newName();
    const a = new EventLog(await fresh(), name);
    const b = new EventLog(await fresh(), name);
    await a.record({ type: 'view', itemId: 'a1' });
    expect((await a.all()).map((e) => e.itemId)).toEqual(['a1']); // cached from here on
    await b.record({ type: 'add-to-cart', itemId: 'b1' });
    // No task has run since b's commit: its BroadcastChannel note has not reached a yet.
    expect((await a.all({ fresh: true })).map((e) => e.itemId)).toEqual(['a1', 'b1']);
    a.close();
    b.close();
  });

  it('rejects invalid events with the field named, and stores nothing for them', async () => {
    newName();
    const log = new EventLog(await fresh(), name);
    expect(() => log.record({ type: 'rate', itemId: 'a', value: 7 })).toThrow(
      /'value' must be a whole rating from 1 to 5/,
    );
    expect(() => log.record({ type: 'view' })).toThrow(/'itemId' is required for 'view'/);
    expect(() => log.record({ type: 'search', text: '   ' })).toThrow(/'text' is required for 'search'/);
    expect(() => log.record({ type: 'teleport', itemId: 'a' })).toThrow(/'type'/);
    expect(() => log.record({ type: 'add-to-cart', itemId: 'a', value: 1.5 })).toThrow(/quantity from 1 to 999/);
    expect(() => log.record({ type: 'review', itemId: 'a', text: 'x'.repeat(20_001) })).toThrow(
      /at most 20000 characters/,
    );
    expect(() => log.record({ type: 'view', itemId: 'a', extra: 1 })).toThrow();
    expect(await log.count()).toBe(0);
    log.close();
  });

  it('fails a whole batch when the store is gone, leaving earlier events intact', async () => {
    newName();
    const db = await fresh();
    const log = new EventLog(db, name);
    await log.record({ type: 'view', itemId: 'kept' });
    db.close();
    await expect(log.record({ type: 'view', itemId: 'lost' })).rejects.toThrow(/events were not saved/);
    const again = new EventLog(await fresh(), name);
    expect((await again.list()).map((e) => e.itemId)).toEqual(['kept']);
    again.close();
    log.close();
  });

  it('writes a batch all or nothing: one bad event aborts the whole transaction', async () => {
    newName();
    const log = new EventLog(await fresh(), name);
    await log.record({ type: 'view', itemId: 'before' });
    const spy = vi.spyOn(crypto, 'randomUUID').mockReturnValue('0000-dup-0000-0000-000000000000');
    const batch = [log.record({ type: 'view', itemId: 'x' }), log.record({ type: 'view', itemId: 'y' })];
    spy.mockRestore();
    await expect(Promise.all(batch)).rejects.toThrow(/events were not saved/);
    expect((await log.list()).map((e) => e.itemId)).toEqual(['before']);
    log.close();
  });

  it('keeps its in-memory history in step with its own commits', async () => {
    newName();
    const log = new EventLog(await fresh(), name);
    await log.record({ type: 'view', itemId: 'a' });
    expect((await log.all()).map((e) => e.itemId)).toEqual(['a']);
    await log.record({ type: 'view', itemId: 'b' });
    expect((await log.all()).map((e) => e.itemId)).toEqual(['a', 'b']);
    log.close();
  });

  it('reads its writes: an event recorded, not yet committed, is in the next read', async () => {
    newName();
    const log = new EventLog(await fresh(), name);
    await log.record({ type: 'view', itemId: 'a' });
    await log.all(); // from memory from now on
    const recorded = log.record({ type: 'view', itemId: 'b' }); // not awaited, as a page's view is not
    expect((await log.all()).map((e) => e.itemId)).toEqual(['a', 'b']);
    await recorded;
    log.close();
  });

  it('notifies subscribers after commit', async () => {
    newName();
    const log = new EventLog(await fresh(), name);
    const seen: number[] = [];
    const unsub = log.subscribe((evs) => seen.push(evs.length));
    await Promise.all([log.record({ type: 'view', itemId: 'a' }), log.record({ type: 'view', itemId: 'b' })]);
    unsub();
    await log.record({ type: 'view', itemId: 'c' });
    expect(seen).toEqual([2]);
    log.close();
  });
});

describe('cartFromEvents', () => {
  const ev = (type: StoredEvent['type'], itemId: string, value: number, ts: number): StoredEvent => ({
    id: `${ts}`,
    type,
    itemId,
    value,
    ts,
  });
  it('adds, removes and clears purchased lines, keeping add order', () => {
    const cart = cartFromEvents([
      ev('add-to-cart', 'a', 2, 1),
      ev('add-to-cart', 'b', 1, 2),
      ev('add-to-cart', 'a', 1, 3),
      ev('remove-from-cart', 'b', 1, 4),
      ev('add-to-cart', 'c', 5, 5),
      ev('purchase', 'c', 5, 6),
      ev('remove-from-cart', 'zzz', 1, 7),
    ]);
    expect(cart).toEqual([{ itemId: 'a', quantity: 3, addedAt: 1 }]);
  });
});

describe('settings and models', () => {
  it('falls back to defaults for missing or malformed settings', async () => {
    newName();
    const db = await fresh();
    expect(await getSetting(db, 'backend')).toBe('auto');
    await setSetting(db, 'backend', 'wasm');
    expect(await getSetting(db, 'backend')).toBe('wasm');
    await db.put('settings', 'quantum', 'backend');
    expect(await getSetting(db, 'backend')).toBe('auto');
    await db.put('settings', { chosen: 'wasm' }, 'engineSelection');
    expect(await getSetting(db, 'engineSelection')).toBeNull();
  });

  it('saves metadata and weights together and reuses them only for the same version and data', async () => {
    newName();
    const db = await fresh();
    const data = new Float32Array([1, 2, 3]).buffer;
    await saveModel(
      db,
      { id: 'mf', kind: 'mf', version: 2, dataHash: 'abc', createdAt: 1, backend: 'cpu', metrics: { rmse: 0.9 } },
      { tensors: [{ name: 'user', shape: [3], dtype: 'float32', data }] },
    );
    expect((await listModels(db))[0]).toMatchObject({ id: 'mf', bytes: 12 });
    const loaded = await loadModel(db, 'mf', 2, 'abc');
    expect(new Float32Array(loaded?.weights.tensors[0]?.data ?? new ArrayBuffer(0))).toEqual(
      new Float32Array([1, 2, 3]),
    );
    expect(await loadModel(db, 'mf', 3, 'abc')).toBeUndefined();
    expect(await loadModel(db, 'mf', 2, 'other')).toBeUndefined();
    await deleteModel(db, 'mf');
    expect(await listModels(db)).toEqual([]);
  });
});
