import { describe, expect, it } from 'vitest';
import type { Catalog } from '../catalog/catalog';
import { openDatabase } from '../store/db';
import { EventLog } from '../store/events';
import { StoragePriorities } from '../store/space';
import { dataControls, expireEvents, retention } from './my-data';

const DAY = 86_400_000;

async function setup(shopDays: number) {
  const db = await openDatabase({ name: `retention-${Math.random()}` });
  const log = new EventLog(db, `r-${Math.random()}`);
  const loaded = Promise.resolve({
    catalog: {} as Catalog,
    db,
    generalDb: db,
    log,
    space: new StoragePriorities([db]),
    info: { id: 'shop', dataHash: 'h' },
  });
  const controls = dataControls({ loaded, generalModelIds: [], onRecording: () => undefined, retentionDays: shopDays });
  return { log, loaded, controls, kept: () => retention(db, shopDays) };
}

describe('retention: events older than the shop proposes, or the shopper chooses, are deleted', () => {
  it("deletes by the shop's days, then by the shopper's shorter choice, with a controlled clock", async () => {
    const { log, loaded, controls, kept } = await setup(90);
    const now = Date.now();
    for (const age of [200, 100, 60, 20, 1]) await log.record({ type: 'view', itemId: `i${age}` }, now - age * DAY);
    expect(await expireEvents(loaded, 90, now)).toBe(2); // 200 and 100 days old
    expect((await log.all()).map((e) => e.itemId)).toEqual(['i60', 'i20', 'i1']);
    expect(await kept()).toEqual({ days: 90, shopDays: 90, shopperDays: null });
    expect(await controls.setRetention(30)).toBe(1); // the 60-day-old view goes at once
    expect((await log.all()).map((e) => e.itemId)).toEqual(['i20', 'i1']);
    expect(await kept()).toEqual({ days: 30, shopDays: 90, shopperDays: 30 });
    expect(await controls.setRetention(null)).toBe(0);
    expect((await kept()).days).toBe(90);
  });

  it('refuses a choice longer than the shop proposes, or not a whole number of days', async () => {
    const { controls } = await setup(30);
    await expect(controls.setRetention(60)).rejects.toThrow("keep events for 1 to 30 days (the shop's proposal)");
    await expect(controls.setRetention(0.5)).rejects.toThrow('1 to 30 days');
  });
});
