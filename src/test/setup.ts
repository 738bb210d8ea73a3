// Vitest setup: an in-memory IndexedDB (fake-indexeddb) for the store tests.
import 'fake-indexeddb/auto';
