/**
 * The shopper's event log. `record` validates an event, queues it, and writes every event queued in the same
 * tick in one transaction (batched writes); its promise settles when the transaction commits, so a caller
 * that awaited `record` knows the event is on disk. A failed batch aborts as a whole: nothing half-written.
 * Other tabs hear about new events on a BroadcastChannel.
 */
import { z } from '../shared/zod';
import { HushCartError } from '../errors';
import { committed, isSpaceError } from './commit';
import type { Database } from './db';
import type { Room } from './space';
import { EVENT_TYPES, type EventType, type StoredEvent } from './schema';

export const MAX_TEXT_LENGTH = 20_000;
const ITEM_EVENTS = new Set<EventType>([
  'view',
  'click',
  'add-to-cart',
  'remove-from-cart',
  'purchase',
  'rate',
  'review',
]);
const QUANTITY_EVENTS = new Set<EventType>(['add-to-cart', 'remove-from-cart', 'purchase']);

export const EventInputSchema = z
  .object({
    type: z.enum(EVENT_TYPES),
    itemId: z.string().min(1).max(200).optional(),
    value: z.number().finite().optional(),
    text: z.string().max(MAX_TEXT_LENGTH, `must be at most ${MAX_TEXT_LENGTH} characters`).optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (ITEM_EVENTS.has(e.type) && !e.itemId)
      ctx.addIssue({ code: 'custom', path: ['itemId'], message: `is required for '${e.type}'` });
    if (e.type === 'rate' && (e.value === undefined || !Number.isInteger(e.value) || e.value < 1 || e.value > 5))
      ctx.addIssue({ code: 'custom', path: ['value'], message: "must be a whole rating from 1 to 5 for 'rate'" });
    if (
      QUANTITY_EVENTS.has(e.type) &&
      e.value !== undefined &&
      (!Number.isInteger(e.value) || e.value < 1 || e.value > 999)
    )
      ctx.addIssue({ code: 'custom', path: ['value'], message: `must be a quantity from 1 to 999 for '${e.type}'` });
    if (e.type === 'review' && e.value !== undefined && !(e.value >= 0 && e.value <= 1))
      ctx.addIssue({ code: 'custom', path: ['value'], message: "must be P(positive) from 0 to 1 for 'review'" });
    if ((e.type === 'search' || e.type === 'question' || e.type === 'review') && !e.text?.trim())
      ctx.addIssue({ code: 'custom', path: ['text'], message: `is required for '${e.type}'` });
  });

/** Validates an event from the API or UI; the error names the field. */
export function parseEvent(input: unknown): z.output<typeof EventInputSchema> {
  const r = EventInputSchema.safeParse(input);
  if (!r.success) {
    const msg = r.error.issues.map((i) => `'${i.path.join('.') || 'event'}' ${i.message}`).join('; ');
    throw new HushCartError('store/invalid-event', `invalid event: ${msg}`);
  }
  return r.data;
}

type Listener = (events: StoredEvent[]) => void;
interface Pending {
  event: StoredEvent;
  resolve: (e: StoredEvent) => void;
  reject: (e: unknown) => void;
}

export class EventLog {
  private pending: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly channel: BroadcastChannel | null;
  /** Every event, oldest first, once read: kept current on our commits, dropped when another tab writes. */
  private cache: StoredEvent[] | null = null;
  /** Events recorded and not yet committed: a read waits for them (what was recorded before it is in it). */
  private readonly unwritten = new Set<Promise<unknown>>();
  /** Counts writes seen (ours and other tabs'), so a read that raced a write is done again. */
  private writes = 0;

  constructor(
    private readonly db: Database,
    channelName = 'hushcart-events',
    /**
     * Makes room when the browser's storage for the site is full (space.ts: the caches give way, then the models),
     * and the batch is written again, so no event is lost while anything of lower priority could make room.
     */
    private readonly room?: Room,
  ) {
    this.channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(channelName);
    this.channel?.addEventListener('message', () => {
      this.writes++;
      this.cache = null;
      this.emit([]);
    });
  }

  /** Validates and queues one event; resolves once it is committed to IndexedDB. */
  record(input: unknown, now = Date.now()): Promise<StoredEvent> {
    const parsed = parseEvent(input);
    const event: StoredEvent = { id: crypto.randomUUID(), ts: now, ...parsed };
    if (QUANTITY_EVENTS.has(event.type) && event.value === undefined) event.value = 1;
    const written = new Promise<StoredEvent>((resolve, reject) => {
      this.pending.push({ event, resolve, reject });
      if (!this.flushing) this.flushing = Promise.resolve().then(() => this.flush());
    });
    this.unwritten.add(written);
    const settle = () => void this.unwritten.delete(written);
    written.then(settle, settle);
    return written;
  }

  /** Writes everything queued so far in one transaction. */
  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.flushing = null;
    if (!batch.length) return;
    try {
      const seqs = this.room ? await this.room.write('record', () => this.write(batch)) : await this.write(batch);
      const stored = batch.map((p, i) => ({ ...p.event, seq: seqs[i] }));
      this.writes++;
      this.cache?.push(...stored);
      batch.forEach((p, i) => p.resolve(stored[i] as StoredEvent));
      this.channel?.postMessage({ added: stored.length });
      this.emit(stored);
    } catch (e) {
      const err = isSpaceError(e)
        ? new HushCartError(
            'store/quota',
            "events were not saved: this browser's storage for the site is full. Delete saved models or caches on " +
              'the My data page (or free space on the device), then try again.',
            { cause: e },
          )
        : new HushCartError('store/unavailable', `events were not saved: ${String(e)}`, { cause: e });
      batch.forEach((p) => p.reject(err));
    }
  }

  /** One transaction for the batch; the adds and the commit awaited together, so an abort is handled once. */
  private async write(batch: Pending[]): Promise<number[]> {
    const tx = this.db.transaction('events', 'readwrite');
    return committed(
      tx,
      batch.map((p) => tx.store.add(p.event)),
    );
  }

  /** Newest first. */
  async list({ limit = 100, type }: { limit?: number; type?: EventType } = {}): Promise<StoredEvent[]> {
    const tx = this.db.transaction('events');
    let out: StoredEvent[];
    if (type) {
      out = [];
      let cursor = await tx.store.index('by-type').openCursor(IDBKeyRange.only(type), 'prev');
      while (cursor && out.length < limit) {
        out.push(cursor.value);
        cursor = await cursor.continue();
      }
    } else {
      // Keys are increasing sequence numbers: read the newest key, then the last `limit` keys in one getAll
      // (much faster than stepping a cursor; called on every re-rank).
      const last = await tx.store.openCursor(null, 'prev');
      const top = last?.primaryKey;
      out =
        top === undefined
          ? []
          : (await tx.store.getAll(IDBKeyRange.lowerBound(top - limit + 1))).reverse().slice(0, limit);
    }
    await tx.done;
    return out;
  }

  /**
   * Deletes every event recorded before `before` (ms since 1970), by the time index, in one transaction; returns
   * how many went. Listeners and other tabs hear of it when any did.
   */
  async expire(before: number): Promise<number> {
    const tx = this.db.transaction('events', 'readwrite');
    let cursor = await tx.store.index('by-ts').openCursor(IDBKeyRange.upperBound(before, true));
    let n = 0;
    while (cursor) {
      await cursor.delete();
      n++;
      cursor = await cursor.continue();
    }
    await tx.done;
    if (n) this.changed();
    return n;
  }

  /** Every event, oldest first, from memory after the first read (the recommender reads it on each re-rank). */
  async all(o: { fresh?: boolean } = {}): Promise<readonly StoredEvent[]> {
    // Read your writes: an event recorded before this read (a view, then its page's For you) is in what it returns.
    if (this.unwritten.size) await Promise.allSettled([...this.unwritten]);
    // `fresh`: and another tab's. Its BroadcastChannel note may arrive after a read that its writes came before (the
    // worker busy, the note and the read on different task queues), so the cache is checked against the database's
    // count and last key. Asked for by what shows stored data (the cart, an import's merge); a re-rank reads the cache
    // (the check costs about 3 ms a read on WASM here, and the note follows within moments).
    if (o.fresh && this.cache && !(await this.cacheCurrent(this.cache))) {
      this.writes++;
      this.cache = null;
    }
    while (!this.cache) {
      const seen = this.writes;
      const rows = await this.db.getAll('events');
      if (seen === this.writes) this.cache = rows;
    }
    return this.cache;
  }

  /** Whether the cache holds exactly what the database does (same count, same last sequence number). */
  private async cacheCurrent(cache: readonly StoredEvent[]): Promise<boolean> {
    const store = this.db.transaction('events').store;
    const [n, last] = await Promise.all([store.count(), store.openKeyCursor(null, 'prev')]);
    return n === cache.length && (last?.key ?? undefined) === cache[cache.length - 1]?.seq;
  }

  count(): Promise<number> {
    return this.db.count('events');
  }

  /** After the log changed in bulk (an import, a delete): drop what was read, tell listeners and other tabs. */
  changed(): void {
    this.writes++;
    this.cache = null;
    this.channel?.postMessage({ changed: true });
    this.emit([]);
  }

  /** Called with the new events after each commit here, and with [] when another tab added some. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(events: StoredEvent[]): void {
    for (const l of this.listeners) l(events);
  }

  close(): void {
    this.channel?.close();
    this.listeners.clear();
  }
}
