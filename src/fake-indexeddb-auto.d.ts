// fake-indexeddb ships types for its main entry only; its "auto" entry (which installs the in-memory IndexedDB
// as the page's globals) exports nothing.
declare module 'fake-indexeddb/auto';
