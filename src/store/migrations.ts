/**
 * Versioned schema migrations. Entry k upgrades a database from version k to k+1; the latest version is the
 * number of entries. Never edit a shipped migration: append a new one.
 */
import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { HushCartDB } from './schema';

type UpgradeTx = IDBPTransaction<HushCartDB, StoreNames<HushCartDB>[], 'versionchange'>;
export type Migration = (db: IDBPDatabase<HushCartDB>, tx: UpgradeTx) => void;

export const MIGRATIONS: Migration[] = [
  // v1: the event log and settings.
  (db) => {
    const events = db.createObjectStore('events', { keyPath: 'seq', autoIncrement: true });
    events.createIndex('by-id', 'id', { unique: true });
    events.createIndex('by-ts', 'ts');
    events.createIndex('by-type', 'type');
    db.createObjectStore('settings');
  },
  // v2: saved models (metadata apart from weights, so listing models reads no weights), embedding caches,
  // and an index of events by item for "because you viewed X" lookups.
  (db, tx) => {
    db.createObjectStore('models', { keyPath: 'id' });
    db.createObjectStore('weights', { keyPath: 'id' });
    db.createObjectStore('caches', { keyPath: 'key' });
    tx.objectStore('events').createIndex('by-item', 'itemId');
  },
];

export const DB_VERSION = MIGRATIONS.length;
