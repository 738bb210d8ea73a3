/**
 * Opens the HushCart database, running the migrations a stored version lacks. The only module that calls
 * `openDB`; everything else receives the handle.
 */
import { openDB, deleteDB, type IDBPDatabase } from 'idb';
import { HushCartError } from '../errors';
import { DB_VERSION, MIGRATIONS } from './migrations';
import type { HushCartDB } from './schema';

export const DEFAULT_DB_NAME = 'hushcart';
export type Database = IDBPDatabase<HushCartDB>;

export interface OpenOptions {
  name?: string;
  /** For migration tests: open at an older version. */
  version?: number;
  /** Called when another tab needs a newer version; we close so it can upgrade. */
  onVersionChange?: () => void;
  /** Called when an older tab keeps the database open and this upgrade waits for it to close. */
  onBlocked?: () => void;
}

export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  const name = options.name ?? DEFAULT_DB_NAME;
  const version = options.version ?? DB_VERSION;
  if (typeof indexedDB === 'undefined')
    throw new HushCartError(
      'store/unavailable',
      'IndexedDB is not available here (private mode or a restricted frame?)',
    );
  try {
    const db = await openDB<HushCartDB>(name, version, {
      upgrade(db, oldVersion, newVersion, tx) {
        for (let v = oldVersion; v < (newVersion ?? version); v++) MIGRATIONS[v]?.(db, tx);
      },
      blocked() {
        // An old tab holds the database open; ours close on their versionchange event, an older app's may not:
        // the page says what to do instead of waiting silently.
        options.onBlocked?.();
      },
    });
    db.addEventListener('versionchange', () => {
      db.close();
      options.onVersionChange?.();
    });
    return db;
  } catch (e) {
    throw new HushCartError('store/unavailable', `could not open the on-device store: ${String(e)}`, { cause: e });
  }
}

export async function deleteDatabase(name = DEFAULT_DB_NAME): Promise<void> {
  await deleteDB(name);
}

let inMemory = false;

/**
 * For a page where this browser will not store anything (storage blocked, some private windows): an in-memory
 * IndexedDB (fake-indexeddb, a complete implementation) takes the real one's place for this page, so everything
 * works and nothing is kept once the page closes. Loaded only then.
 */
export async function switchToMemoryStore(): Promise<void> {
  if (inMemory) return;
  await import('fake-indexeddb/auto');
  inMemory = true;
}

/** Whether this page's store is in memory only (see switchToMemoryStore). */
export const isMemoryStore = (): boolean => inMemory;
