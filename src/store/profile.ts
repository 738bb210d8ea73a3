/**
 * The shopper's data as a whole: what is stored (an inventory with sizes and dates), exported to one versioned JSON
 * file, imported back (checked completely first: a bad file changes nothing), and deleted by category.
 * Only this module and its siblings in store/ talk to IndexedDB.
 */
import { z } from '../shared/zod';
import { HushCartError } from '../errors';
import { base64FromBytes, bytesFromBase64 } from '../shared/base64';
import type { Database } from './db';
import type { EVENT_TYPES, ModelRecord, StoredEvent, WeightsRecord } from './schema';
import { EventInputSchema, MAX_TEXT_LENGTH } from './events';
import { DEFAULT_SETTINGS, SETTING_CHECKS, type Settings } from './settings';

export const EXPORT_FORMAT = 'hushcart-export';
export const EXPORT_VERSION = 1;
/** The largest export file an import reads (a profile with its models is a few MB; this leaves room). */
export const MAX_IMPORT_BYTES = 100e6;
/** At most this many events in one file (the log itself has no limit; this bounds a hostile file). */
export const MAX_IMPORT_EVENTS = 1_000_000;

export type DataCategory = 'events' | 'models' | 'caches' | 'settings';

export interface Inventory {
  events: {
    count: number;
    byType: Partial<Record<(typeof EVENT_TYPES)[number], number>>;
    oldest: number | null;
    newest: number | null;
    /** Approximate size as JSON (what an export of them weighs). */
    bytes: number;
  };
  models: { id: string; kind: string; bytes: number; createdAt: number; dataHash: string }[];
  caches: { key: string; bytes: number; createdAt: number }[];
  settings: { key: string; bytes: number }[];
}

const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v) ?? '').length;

/** Everything stored in one catalog's database, with sizes and dates. */
export async function inventory(db: Database): Promise<Inventory> {
  const tx = db.transaction(['events', 'models', 'caches', 'settings']);
  // One read-only transaction; getAllKeys and getAll list a store in the same (key) order.
  const [events, models, caches, keys, values] = await Promise.all([
    tx.objectStore('events').getAll(),
    tx.objectStore('models').getAll(),
    tx.objectStore('caches').getAll(),
    tx.objectStore('settings').getAllKeys(),
    tx.objectStore('settings').getAll(),
    tx.done,
  ]);
  const settings = keys.map((k, i) => ({ key: String(k), bytes: json(values[i]) }));
  const byType: Inventory['events']['byType'] = {};
  for (const e of events) byType[e.type] = (byType[e.type] ?? 0) + 1;
  return {
    events: {
      count: events.length,
      byType,
      oldest: events.length ? events.reduce((a, e) => Math.min(a, e.ts), Infinity) : null,
      newest: events.length ? events.reduce((a, e) => Math.max(a, e.ts), -Infinity) : null,
      bytes: json(events),
    },
    models: models.map((m) => ({
      id: m.id,
      kind: m.kind,
      bytes: m.bytes,
      createdAt: m.createdAt,
      dataHash: m.dataHash,
    })),
    caches: caches.map((c) => ({ key: c.key, bytes: c.data.byteLength, createdAt: c.createdAt })),
    settings,
  };
}

// ---- export ----

/** The export file's shape, checked on import (strict: an unknown key, `__proto__` included, is an error). */
const TensorSchema = z
  .object({
    name: z.string().min(1).max(200),
    shape: z.array(z.number().int().nonnegative()).max(8),
    dtype: z.enum(['float32', 'int32']),
    data: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
  })
  .strict();
const ModelSchema = z
  .object({
    meta: z
      .object({
        id: z.string().min(1).max(200),
        kind: z.string().min(1).max(100),
        version: z.number().int(),
        dataHash: z.string().min(1).max(200),
        createdAt: z.number().int().nonnegative(),
        backend: z.string().max(40),
        metrics: z.record(z.string().max(100), z.number()),
        recipe: z.string().max(40).optional(),
        bytes: z.number().int().nonnegative(),
      })
      .strict(),
    tensors: z.array(TensorSchema).max(200),
    extra: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
/** What an event has besides what the shopper gave it (the rest is checked by the event log's own schema). */
const EventMetaSchema = z.object({ id: z.string().min(1).max(100), ts: z.number().int().nonnegative() }).strict();
export const ExportSchema = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    version: z.literal(EXPORT_VERSION),
    exportedAt: z.number().int().nonnegative(),
    catalog: z.object({ id: z.string().min(1).max(100), dataHash: z.string().max(200) }).strict(),
    events: z.array(z.unknown()).max(MAX_IMPORT_EVENTS),
    settings: z.record(z.string(), z.unknown()),
    models: z.array(ModelSchema).max(50).optional(),
  })
  .strict();
export type ExportFile = z.infer<typeof ExportSchema>;

/** One versioned JSON document of everything a catalog keeps about the shopper (models on request). */
export async function exportProfile(
  db: Database,
  catalog: { id: string; dataHash: string },
  o: { models?: boolean; generalDb?: Database; generalModelIds?: readonly string[] } = {},
): Promise<ExportFile> {
  const events = (await db.getAll('events')).map((e) => {
    const copy = { ...e };
    delete copy.seq; // this device's own order; an import numbers them again
    return copy;
  });
  const settings: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    const v: unknown = await db.get('settings', key);
    if (v !== undefined) settings[key] = v;
  }
  const file: ExportFile = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: Date.now(),
    catalog,
    events,
    settings,
  };
  if (o.models) {
    const sources: [Database, (id: string) => boolean][] = [[db, () => true]];
    if (o.generalDb && o.generalDb !== db) sources.push([o.generalDb, (id) => (o.generalModelIds ?? []).includes(id)]);
    file.models = [];
    for (const [from, wanted] of sources)
      for (const meta of await from.getAll('models')) {
        const w = await from.get('weights', meta.id);
        if (!w || !wanted(meta.id)) continue;
        file.models.push({
          meta,
          tensors: w.tensors.map((t) => ({
            name: t.name,
            shape: t.shape,
            dtype: t.dtype,
            data: base64FromBytes(new Uint8Array(t.data)),
          })),
          ...(w.extra ? { extra: w.extra } : {}),
        });
      }
  }
  return file;
}

// ---- import ----

export interface ImportPreview {
  version: number;
  exportedAt: number;
  catalog: { id: string; dataHash: string };
  events: number;
  /** Events already on this device (same id): skipped by a merge. */
  duplicates: number;
  oldest: number | null;
  newest: number | null;
  models: number;
  settings: number;
}

export interface CheckedImport {
  preview: ImportPreview;
  events: StoredEvent[];
  models: { meta: ModelRecord; weights: WeightsRecord }[];
  settings: Partial<Settings>;
}

const bad = (message: string) => new HushCartError('store/invalid-import', `This file cannot be imported: ${message}`);

/**
 * Reads and checks an export file completely, changing nothing: JSON, format and version, every event (type, value,
 * text, item in this catalog, no duplicate ids), settings by their own checks, models' tensors against their shapes.
 * The first problem found is the error, naming the event or field.
 */
export async function checkImport(
  file: Blob,
  o: { catalogId: string; hasItem: (id: string) => boolean; existingIds?: Set<string>; maxBytes?: number },
): Promise<CheckedImport> {
  if (!(file instanceof Blob)) throw bad('expected a File or Blob');
  const maxBytes = o.maxBytes ?? MAX_IMPORT_BYTES;
  if (file.size > maxBytes)
    throw bad(`it is ${(file.size / 1e6).toFixed(1)} MB, and an export is at most ${(maxBytes / 1e6).toFixed(1)} MB`);
  let raw: unknown;
  try {
    raw = JSON.parse(await file.text());
  } catch (e) {
    throw bad(
      `it is not valid JSON (truncated or not a HushCart export?): ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const top = ExportSchema.safeParse(raw);
  if (!top.success) {
    const i = top.error.issues[0];
    const where = i?.path.length ? i.path.join('.') : '(the whole file)';
    const versionHint =
      typeof raw === 'object' &&
      raw !== null &&
      (raw as { format?: unknown }).format === EXPORT_FORMAT &&
      i?.path[0] === 'version'
        ? ` (this app reads version ${EXPORT_VERSION})`
        : '';
    throw bad(`field '${where}': ${i?.message ?? 'invalid'}${versionHint}`);
  }
  const f = top.data;
  if (f.catalog.id !== o.catalogId)
    throw bad(`it was exported from the catalog '${f.catalog.id}', and this store shows '${o.catalogId}'`);
  const events: StoredEvent[] = [];
  const ids = new Set<string>();
  let duplicates = 0;
  for (const [k, rawEvent] of f.events.entries()) {
    if (typeof rawEvent !== 'object' || rawEvent === null || Array.isArray(rawEvent))
      throw bad(`event #${k}: is not an object`);
    if (Object.hasOwn(rawEvent, '__proto__')) throw bad(`event #${k}: has a '__proto__' key`);
    const { id, ts, ...given } = rawEvent as Record<string, unknown>;
    delete given.seq; // the sequence number is this device's own, given again on import
    const meta = EventMetaSchema.safeParse({ id, ts });
    const body = EventInputSchema.safeParse(given);
    for (const r of [meta, body])
      if (!r.success) {
        const i = r.error.issues[0];
        throw bad(`event #${k}: field '${i?.path.join('.') || 'event'}': ${i?.message ?? 'invalid'}`);
      }
    if (!meta.success || !body.success) continue; // (checked above; narrows the types)
    const e: StoredEvent = { ...meta.data, ...body.data };
    if (ids.has(e.id)) throw bad(`event #${k}: id '${e.id}' appears twice`);
    ids.add(e.id);
    if (e.itemId !== undefined && !o.hasItem(e.itemId))
      throw bad(`event #${k}: item '${e.itemId}' is not in this catalog`);
    if (e.text !== undefined && e.text.length > MAX_TEXT_LENGTH) throw bad(`event #${k}: its text is too long`);
    if (o.existingIds?.has(e.id)) duplicates++;
    events.push(e);
  }
  const settings: Partial<Settings> = {};
  for (const [key, value] of Object.entries(f.settings)) {
    if (!Object.hasOwn(SETTING_CHECKS, key)) throw bad(`field 'settings.${key}': not a HushCart setting`);
    const check = SETTING_CHECKS[key as keyof Settings];
    if (!check(value)) throw bad(`field 'settings.${key}': not a valid value`);
    (settings as Record<string, unknown>)[key] = value;
  }
  const models = (f.models ?? []).map((m, k) => {
    const tensors = m.tensors.map((t) => {
      const data = bytesFromBase64(t.data).buffer;
      const n = t.shape.reduce((a, b) => a * b, 1);
      if (data.byteLength !== n * 4)
        throw bad(`model #${k} ('${m.meta.id}'): tensor '${t.name}' does not fit its shape`);
      return { name: t.name, shape: t.shape, dtype: t.dtype, data };
    });
    return { meta: m.meta, weights: { id: m.meta.id, tensors, ...(m.extra ? { extra: m.extra } : {}) } };
  });
  const times = events.map((e) => e.ts);
  return {
    preview: {
      version: f.version,
      exportedAt: f.exportedAt,
      catalog: f.catalog,
      events: events.length,
      duplicates,
      oldest: times.length ? times.reduce((a, b) => Math.min(a, b)) : null,
      newest: times.length ? times.reduce((a, b) => Math.max(a, b)) : null,
      models: models.length,
      settings: Object.keys(settings).length,
    },
    events,
    models,
    settings,
  };
}

/**
 * Writes a checked import in one transaction (all of it or nothing). replace: the events, settings and (when the
 * file has them) models in the file take the place of what is stored; merge: events not already present are
 * added (by id), settings and models in the file are written over. General models go to `generalDb`.
 */
export async function applyImport(
  db: Database,
  checked: Pick<CheckedImport, 'events' | 'models' | 'settings'>,
  mode: 'replace' | 'merge',
  o: { generalDb?: Database; isGeneral?: (modelId: string) => boolean } = {},
): Promise<{ events: number; models: number; settings: number }> {
  const tx = db.transaction(['events', 'models', 'weights', 'settings'], 'readwrite');
  const events = tx.objectStore('events');
  const writes: Promise<unknown>[] = [];
  let added = 0;
  if (mode === 'replace') {
    await events.clear();
    await tx.objectStore('settings').clear();
  }
  const present = new Set(mode === 'merge' ? (await events.getAll()).map((e) => e.id) : []);
  // Oldest first, so the log's order (its sequence numbers) follows the events' own times.
  for (const e of [...checked.events].sort((a, b) => a.ts - b.ts)) {
    if (present.has(e.id)) continue;
    writes.push(events.add(e));
    added++;
  }
  for (const [key, value] of Object.entries(checked.settings)) writes.push(tx.objectStore('settings').put(value, key));
  const general = checked.models.filter((m) => o.generalDb && o.isGeneral?.(m.meta.id));
  const own = checked.models.filter((m) => !general.includes(m));
  for (const m of own) {
    writes.push(tx.objectStore('models').put(m.meta), tx.objectStore('weights').put(m.weights));
  }
  await Promise.all([...writes, tx.done]);
  if (general.length && o.generalDb) {
    const gtx = o.generalDb.transaction(['models', 'weights'], 'readwrite');
    await Promise.all([
      ...general.flatMap((m) => [gtx.objectStore('models').put(m.meta), gtx.objectStore('weights').put(m.weights)]),
      gtx.done,
    ]);
  }
  return { events: added, models: checked.models.length, settings: Object.keys(checked.settings).length };
}

/** Deletes one category of stored data (or all of them) from a catalog's database. */
export async function deleteCategories(db: Database, what: readonly DataCategory[]): Promise<void> {
  const stores = new Set<'events' | 'models' | 'weights' | 'caches' | 'settings'>();
  for (const c of what) {
    if (c === 'models') stores.add('models').add('weights');
    else stores.add(c);
  }
  const names = [...stores];
  if (!names.length) return;
  const tx = db.transaction(names, 'readwrite');
  await Promise.all([...names.map((n) => tx.objectStore(n).clear()), tx.done]);
}
