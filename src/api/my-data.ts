/**
 * The shopper in control of their data (the My data page's API): what is stored, export to one file, import back
 * (checked completely first), delete by category, pausing recording, and how long events are kept. Thin: the store module does the work.
 */
import { HushCartError } from '../errors';
import type { Catalog } from '../catalog/catalog';
import type { Database } from '../store/db';
import type { EventLog } from '../store/events';
import type { StoragePriorities } from '../store/space';
import {
  applyImport,
  checkImport,
  deleteCategories,
  exportProfile,
  inventory,
  type DataCategory,
} from '../store/profile';
import { getSetting, setSetting } from '../store/settings';
import type { HushCartApi } from './types';

interface Context {
  loaded: Promise<{
    catalog: Catalog;
    db: Database;
    generalDb: Database;
    log: EventLog;
    space: StoragePriorities;
    info: { id: string; dataHash: string };
  }>;
  /** Ids of the models shared by every catalog (kept in generalDb). */
  generalModelIds: readonly string[];
  /** Told when recording is switched, so track() knows without reading the database. */
  onRecording: (on: boolean) => void;
  /** The days the shop proposes events be kept. */
  retentionDays: number;
}

const DAY = 86_400_000;

/** The days events are kept: the shop's proposal, or the shopper's own when shorter. */
export async function retention(
  db: Database,
  shopDays: number,
): Promise<{ days: number; shopDays: number; shopperDays: number | null }> {
  const shopperDays = await getSetting(db, 'retentionDays');
  return { days: Math.min(shopDays, shopperDays ?? Infinity), shopDays, shopperDays };
}

/** Deletes the events older than the retention allows; how many went. */
export async function expireEvents(
  loaded: Context['loaded'],
  shopDays: number,
  now: number = Date.now(),
): Promise<number> {
  const { db, log } = await loaded;
  const { days } = await retention(db, shopDays);
  return log.expire(now - days * DAY);
}

const CATEGORIES: readonly DataCategory[] = ['events', 'models', 'caches', 'settings'];

export function dataControls(
  ctx: Context,
): Pick<
  HushCartApi,
  'storage' | 'exportData' | 'importData' | 'deleteData' | 'setRecording' | 'setRetention' | 'retrySaving'
> {
  return {
    async storage() {
      const { db, generalDb, space } = await ctx.loaded;
      const [own, general, recording, kept] = await Promise.all([
        inventory(db),
        generalDb === db ? null : inventory(generalDb),
        getSetting(db, 'recording'),
        retention(db, ctx.retentionDays),
      ]);
      const estimate = await globalThis.navigator?.storage?.estimate?.().catch(() => null);
      const persisted = (await globalThis.navigator?.storage?.persisted?.().catch(() => null)) ?? null;
      return {
        ...own,
        generalModels: (general ?? own).models.filter((m) => ctx.generalModelIds.includes(m.id)),
        models: own.models.filter((m) => generalDb !== db || !ctx.generalModelIds.includes(m.id)),
        estimate: estimate ? { usage: estimate.usage ?? 0, quota: estimate.quota ?? 0 } : null,
        persisted,
        recording,
        retention: kept,
        notKept: space.notKept(),
      };
    },
    async exportData(o = {}) {
      const { db, generalDb, info } = await ctx.loaded;
      const file = await exportProfile(
        db,
        { id: info.id, dataHash: info.dataHash },
        { models: o.models === true, generalDb, generalModelIds: ctx.generalModelIds },
      );
      return new Blob([JSON.stringify(file)], { type: 'application/json' });
    },
    async importData(file, o = {}) {
      const mode = o.mode ?? 'merge';
      if (mode !== 'replace' && mode !== 'merge')
        throw new HushCartError('api/invalid-argument', `mode must be 'replace' or 'merge', not '${String(mode)}'`);
      const { catalog, db, generalDb, log, info } = await ctx.loaded;
      const existing = new Set((await log.all({ fresh: true })).map((e) => e.id));
      const checked = await checkImport(file, {
        catalogId: info.id,
        hasItem: (id) => catalog.get(id) !== undefined,
        existingIds: existing,
      });
      if (o.dryRun) return { preview: checked.preview, events: 0, models: 0, settings: 0 };
      const written = await applyImport(db, checked, mode, {
        generalDb,
        isGeneral: (id) => ctx.generalModelIds.includes(id),
      });
      log.changed();
      if (mode === 'replace' || checked.settings.recording !== undefined)
        ctx.onRecording(await getSetting(db, 'recording'));
      return { preview: checked.preview, ...written };
    },
    async deleteData(what) {
      if (what !== undefined && !['events', 'models', 'caches'].includes(what))
        throw new HushCartError(
          'api/invalid-argument',
          `unknown category '${String(what)}'; categories are events, models, caches (or none: everything)`,
        );
      const { db, log, space } = await ctx.loaded;
      await deleteCategories(db, what ? [what] : CATEGORIES);
      if (what !== 'events') space.cleared(what ?? 'all');
      if (!what || what === 'events') log.changed();
      if (!what) ctx.onRecording(true); // settings are gone: recording is back to its default
    },
    async retrySaving() {
      const { space } = await ctx.loaded;
      return space.retry();
    },
    async setRetention(days) {
      if (days !== null && !(Number.isInteger(days) && days >= 1 && days <= ctx.retentionDays))
        throw new HushCartError(
          'api/invalid-argument',
          `keep events for 1 to ${ctx.retentionDays} days (the shop's proposal), or null for the shop's`,
        );
      const { db } = await ctx.loaded;
      await setSetting(db, 'retentionDays', days);
      return expireEvents(ctx.loaded, ctx.retentionDays);
    },
    async setRecording(on) {
      if (typeof on !== 'boolean') throw new HushCartError('api/invalid-argument', 'setRecording needs true or false');
      const { db } = await ctx.loaded;
      await setSetting(db, 'recording', on);
      ctx.onRecording(on);
    },
  };
}
