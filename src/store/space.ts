/**
 * What gives way when the browser's storage for the site runs out. The shopper's events and settings are their own
 * record and come first; the models trained on this device next (they can be trained again, at a cost); the caches
 * (search index, image embeddings, category probabilities) last (they are computed again next visit).
 *
 * A write that fails for space makes room from what ranks below it, one rank at a time (caches, then models), and is
 * tried again; what ranks lowest is simply not kept. Whatever gave way or could not be kept is noted (My data says
 * it), and a model that could not be saved keeps serving from memory while its save is tried again later.
 *
 * The browser's own estimate cannot plan this (a capped origin still reports gigabytes free), so it acts on the
 * failures themselves: `QuotaExceededError`, which Chromium may also report as the `AbortError` of the transaction
 * that the full disk aborted.
 */
import { committed, isSpaceError } from './commit';
import type { Database } from './db';
import { saveModel, weightsBytes } from './models';
import type { ModelRecord, WeightsRecord } from './schema';

/** The service worker's cache of the general models' training sets (vite.config.ts): fetched again when needed. */
export const TRAINING_DATA_CACHE = 'hushcart-training-data';

/** From what is kept first to what gives way first. */
export const PRIORITIES = ['record', 'model', 'cache'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Something that could not be kept on this device, and why (shown on My data). */
export interface NotKept {
  key: string;
  what: string;
  why: string;
  at: number;
}

/** The write a priority-aware writer offers (EventLog, the model lifecycle, caches take one). */
export interface Room {
  write<T>(priority: Priority, write: () => Promise<T>): Promise<T>;
}

interface PendingModel {
  db: Database;
  meta: Omit<ModelRecord, 'bytes'>;
  weights: Omit<WeightsRecord, 'id'>;
}

const SPACE = 'not enough space on this device';
/** Waits before trying a write again once something gave way for it. */
const SETTLE_MS = [50, 250, 1000];

/** One catalog's storage (its database and the general models' database, which may be the same one). */
export class StoragePriorities implements Room {
  private readonly notes = new Map<string, NotKept>();
  /** Models to save again when there may be room: id -> the record, in memory. */
  private readonly pending = new Map<string, PendingModel>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly dbs: readonly Database[],
    /** How long after a failed save it is tried again (and again, while it fails). */
    private readonly retryMs = 120_000,
    /**
     * Cache Storage caches of files fetched again when needed (the service worker's copy of the training sets): they
     * give way with the caches. The service worker's precache (the app shell, for offline use) is not among them.
     */
    private readonly fileCaches: readonly string[] = [],
    private readonly now = () => Date.now(),
  ) {}

  /**
   * Runs `write`; when it fails for space, what ranks below `priority` gives way, one rank at a time, and it is
   * tried again. Rejects with the last failure when nothing below could make room.
   */
  async write<T>(priority: Priority, write: () => Promise<T>): Promise<T> {
    const below = PRIORITIES.slice(PRIORITIES.indexOf(priority) + 1).reverse();
    // Space freed by a delete is not always usable at once (the database's files shrink after their own
    // checkpoint): once something gave way, the write is tried again a few times before it is refused.
    const settle = [...SETTLE_MS];
    let gaveWay = false;
    for (let i = 0; ; i++) {
      try {
        return await write();
      } catch (e) {
        if (!isSpaceError(e)) throw e;
        const next = below[i];
        if (next !== undefined) gaveWay = (await this.evict(next, priority)) || gaveWay;
        else if (gaveWay && settle.length) await new Promise((r) => setTimeout(r, settle.shift()));
        else throw e;
      }
    }
  }

  /**
   * Saves a model with the caches giving way if need be; when it still does not fit, it is not kept (a note says
   * so), it keeps serving from memory, and the save is tried again later. Other failures reject.
   */
  async keepModel(db: Database, meta: Omit<ModelRecord, 'bytes'>, weights: Omit<WeightsRecord, 'id'>): Promise<void> {
    try {
      await this.write('model', () => saveModel(db, meta, weights));
      this.forget(`model:${meta.id}`);
      this.pending.delete(meta.id);
    } catch (e) {
      if (!isSpaceError(e)) throw e;
      this.note(`model:${meta.id}`, modelName(meta), `${SPACE}; it answers on this visit and saving is tried again`);
      this.pending.set(meta.id, { db, meta, weights });
      this.schedule();
    }
  }

  /** Saves a cache if it fits; a cache that does not is not kept (computed again next visit), and nothing gives way. */
  async keepCache(key: string, what: string, save: () => Promise<unknown>): Promise<boolean> {
    try {
      await this.write('cache', save);
      this.forget(`cache:${key}`);
      return true;
    } catch (e) {
      if (!isSpaceError(e)) throw e;
      this.note(`cache:${key}`, what, `${SPACE}; it is computed again on the next visit`);
      return false;
    }
  }

  /**
   * A model waiting to be saved (it did not fit, or gave way to events), as its saved record would read: it keeps
   * serving from memory on this visit, whoever loads it (the model's own lifecycle, a retraining's fallback).
   */
  unsaved(id: string, version: number, dataHash: string): { meta: ModelRecord; weights: WeightsRecord } | undefined {
    const p = this.pending.get(id);
    if (!p || p.meta.version !== version || p.meta.dataHash !== dataHash) return undefined;
    return { meta: { ...p.meta, bytes: weightsBytes(p.weights) }, weights: { ...p.weights, id } };
  }

  /** What could not be kept, newest first. */
  notKept(): NotKept[] {
    return [...this.notes.values()].sort((a, b) => b.at - a.at);
  }

  /** The note on one model, if it is not kept on this device. */
  modelNote(id: string): string | undefined {
    const n = this.notes.get(`model:${id}`);
    return n && `not kept on this device: ${n.why}`;
  }

  /** Tries the pending model saves now (after the shopper freed space); resolves with how many are still pending. */
  async retry(): Promise<number> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const { db, meta, weights } of [...this.pending.values()]) {
      if (this.pending.get(meta.id)?.meta !== meta) continue; // saved again meanwhile
      await this.keepModel(db, meta, weights).catch(() => undefined);
    }
    if (this.pending.size) this.schedule();
    return this.pending.size;
  }

  /** Called when the notes change (My data renders them). */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** After the shopper deleted data: notes about what they deleted no longer hold. */
  cleared(what: 'models' | 'caches' | 'all'): void {
    for (const key of [...this.notes.keys()])
      if (what === 'all' || key.startsWith(what === 'models' ? 'model:' : 'cache')) this.notes.delete(key);
    if (what !== 'caches') this.pending.clear();
    this.emit();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.listeners.clear();
  }

  /** Clears one rank everywhere; true when anything was there to clear. */
  private async evict(rank: Priority, forWhat: Priority): Promise<boolean> {
    const forWhom = forWhat === 'record' ? 'your events' : 'a model';
    if (rank === 'cache') {
      let removed = 0;
      for (const db of this.dbs) {
        removed += await db.count('caches');
        await db.clear('caches');
      }
      if (typeof caches !== 'undefined')
        for (const name of this.fileCaches) if (await caches.delete(name).catch(() => false)) removed++;
      if (removed)
        this.note(
          'caches',
          'Caches (the search index, image embeddings)',
          `removed to make room for ${forWhom}; they are computed again on the next visit`,
        );
      return removed > 0;
    }
    if (rank !== 'model') return false;
    let removed = 0;
    for (const db of this.dbs) {
      const tx = db.transaction(['models', 'weights'], 'readwrite');
      const [metas, weights] = await Promise.all([
        tx.objectStore('models').getAll(),
        tx.objectStore('weights').getAll(),
      ]);
      await committed(tx, [tx.objectStore('models').clear(), tx.objectStore('weights').clear()]);
      removed += metas.length;
      for (const meta of metas) {
        const w = weights.find((x) => x.id === meta.id);
        if (w) this.pending.set(meta.id, { db, meta, weights: w });
        this.note(
          `model:${meta.id}`,
          modelName(meta),
          `removed to make room for ${forWhom}; it answers on this visit and saving is tried again`,
        );
      }
    }
    if (this.pending.size) this.schedule();
    return removed > 0;
  }

  private note(key: string, what: string, why: string): void {
    this.notes.set(key, { key, what, why, at: this.now() });
    this.emit();
  }

  private forget(key: string): void {
    if (this.notes.delete(key)) this.emit();
  }

  private schedule(): void {
    if (this.timer || !Number.isFinite(this.retryMs)) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.retry();
    }, this.retryMs);
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}

function modelName(meta: Pick<ModelRecord, 'id' | 'kind'>): string {
  return `The model ${meta.id} (${meta.kind})`;
}
