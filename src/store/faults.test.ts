/** Storage faults: a full quota, a database another tab upgrades, an upgrade an older tab blocks. */
import { openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { saveCache } from './caches';
import { deleteDatabase, openDatabase } from './db';
import { EventLog } from './events';
import { StoragePriorities } from './space';
import { DB_VERSION } from './migrations';

const names: string[] = [];
const open: { close(): void }[] = [];
const fresh = () => {
  const n = `faults-${Math.random().toString(36).slice(2)}`;
  names.push(n);
  return n;
};
afterEach(async () => {
  for (const db of open.splice(0)) db.close();
  for (const n of names.splice(0)) await deleteDatabase(n);
});

/** The next `times` event writes fail as on a full disk (QuotaExceededError from the store's add). */
function fillDisk(times: number): void {
  const realAdd = IDBObjectStore.prototype.add;
  let left = times;
  vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(function (this: IDBObjectStore, ...args) {
    if (this.name === 'events' && left > 0) {
      left--;
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
    return realAdd.apply(this, args);
  });
}

describe('a full storage quota', () => {
  it('evicts the caches first and writes the events again: none is lost', async () => {
    const db = await openDatabase({ name: fresh() });
    open.push(db);
    await saveCache(db, 'image-embeddings', 1, 's', [2], Float32Array.from([1, 2]));
    const order: string[] = [];
    const space = new StoragePriorities([db], Infinity);
    space.subscribe(() => order.push(space.notKept()[0]?.key ?? ''));
    const log = new EventLog(db, `q-${Math.random()}`, space);
    fillDisk(1);
    const stored = await Promise.all([
      log.record({ type: 'view', itemId: 'a' }),
      log.record({ type: 'view', itemId: 'b' }),
    ]);
    expect(order).toEqual(['caches']);
    expect(stored.map((e) => e.itemId)).toEqual(['a', 'b']);
    vi.restoreAllMocks();
    expect((await db.getAll('events')).map((e) => e.itemId)).toEqual(['a', 'b']);
    expect(await db.count('caches')).toBe(0);
    log.close();
  });

  it('says clearly what to do when freeing the caches was not enough, and half-writes nothing', async () => {
    const db = await openDatabase({ name: fresh() });
    open.push(db);
    const log = new EventLog(db, `q-${Math.random()}`, new StoragePriorities([db], Infinity));
    fillDisk(3); // the first write, then again after the caches and after the models gave way
    await expect(log.record({ type: 'view', itemId: 'a' })).rejects.toMatchObject({
      code: 'store/quota',
      message: expect.stringMatching(
        /storage for the site is full\. Delete saved models or caches on the My data page/,
      ),
    });
    vi.restoreAllMocks();
    expect(await db.count('events')).toBe(0);
    // Space again: the next event is written as usual.
    await log.record({ type: 'view', itemId: 'b' });
    expect(await db.count('events')).toBe(1);
    log.close();
  });
});

describe('another tab and the database', () => {
  it('a tab upgrading the database closes ours and says so (no silent failure)', async () => {
    const name = fresh();
    const onVersionChange = vi.fn();
    const ours = await openDatabase({ name, onVersionChange });
    const newer = await openDB(name, DB_VERSION + 1);
    open.push(newer);
    expect(onVersionChange).toHaveBeenCalledTimes(1);
    await expect(ours.get('settings', 'backend')).rejects.toThrow();
  });

  it('an older tab that keeps the database open blocks our upgrade: we say so, and open once it closes', async () => {
    const name = fresh();
    const old = await openDB(name, 1, {
      upgrade: (db) => void db.createObjectStore('events', { autoIncrement: true }),
    });
    const onBlocked = vi.fn();
    const opening = openDatabase({ name, onBlocked });
    await vi.waitFor(() => expect(onBlocked).toHaveBeenCalled());
    old.close();
    const db = await opening;
    open.push(db);
    expect(db.version).toBe(DB_VERSION);
  });
});
