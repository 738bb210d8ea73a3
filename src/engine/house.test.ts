/**
 * The house (the worker that owns the data) and the page's client, over a real MessageChannel with the house
 * in-thread: the catalog is validated once and rendered from the packs it sends; a `track()` and a `recommend()`
 * are one message each and carry no history; callbacks and errors cross; a bad pack is refused with its message.
 */
import { serialize } from 'node:v8';
import * as Comlink from 'comlink';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Fetcher } from '../catalog/fetch';
import { installErrorTransfer } from '../shared/comlink-errors';
import { connectHouse, withConsent } from './client';
import { createEngine } from './engine';
import { createHouse } from './house';
import { unwireArgs, wireArgs, type HouseRemote } from './protocol';

const MANIFEST_URL = 'http://localhost/data/manifest.json';
const bareManifest = { format: 'hushcart-data', version: 1, dataHash: 'bare-manifest-1', packs: ['none.json'] };
/** The shop's packs, by URL (a Blob does not cross a Node MessageChannel; in the browser it does). */
const shopFiles = new Map<string, unknown>();
const fetcher: Fetcher = async (url) => {
  const json = url === MANIFEST_URL ? bareManifest : shopFiles.get(url);
  if (json === undefined) throw new Error(`no file ${url}`);
  return new TextEncoder().encode(JSON.stringify(json));
};

beforeAll(() => {
  vi.stubGlobal('location', new URL('http://localhost/store/'));
  // The engine reads the shop's files by URL too.
  vi.stubGlobal('fetch', async (url: string) => {
    const json = shopFiles.get(String(url));
    return json === undefined ? new Response('', { status: 404 }) : Response.json(json);
  });
  installErrorTransfer();
});
afterAll(() => {
  vi.unstubAllGlobals();
});

const CATEGORIES = ['Chairs', 'Lamps', 'Desks'];
const pack = (items = 30) => ({
  format: 'hushcart-pack',
  version: 1,
  id: 'shop-h',
  name: 'Shop H',
  aisles: [{ id: 'shop', name: 'Everything' }],
  items: Array.from({ length: items }, (_, k) => ({
    id: `sku-${k}`,
    aisle: 'shop',
    title: `${CATEGORIES[k % 3]} model ${k}`,
    category: CATEGORIES[k % 3],
    price: { amount: 10 + k, currency: 'EUR' },
  })),
});
/** A pack at a URL of the shop's origin. */
const served = (json: unknown) => {
  const url = `http://localhost/shop/${shopFiles.size}/pack.json`;
  shopFiles.set(url, json);
  return url;
};

/** A message's size as structured clone writes it (one that carries a port is weighed without it). */
const weigh = (message: unknown): number => {
  try {
    return serialize(message).byteLength;
  } catch {
    return JSON.stringify(message).length;
  }
};

let count = 0;
/** A house on one end of a channel, the client on the other; every message the page sends is weighed. */
function openHouse(
  catalog: string,
  extra: { onChanged?: () => void; consent?: 'pending' | 'denied' | 'granted' } = {},
) {
  const { port1, port2 } = new MessageChannel();
  Comlink.expose(createHouse(createEngine, fetcher), port2 as unknown as Comlink.Endpoint);
  const sent: number[] = [];
  const page: Comlink.Endpoint = {
    postMessage: (message: unknown, transfer?: Transferable[]) => {
      sent.push(weigh(message));
      port1.postMessage(message, transfer ?? []);
    },
    addEventListener: port1.addEventListener.bind(port1) as Comlink.Endpoint['addEventListener'],
    removeEventListener: port1.removeEventListener.bind(port1) as Comlink.Endpoint['removeEventListener'],
    start: () => port1.start(),
  };
  const api = connectHouse(
    Comlink.wrap<HouseRemote>(page),
    {
      manifestUrl: MANIFEST_URL,
      catalog,
      backendOverride: 'wasm',
      pretrain: false,
      retrainAfter: 0,
      sequentialRetrainAfter: 0,
      dbName: `house-test-${++count}`,
      ...(extra.consent ? { consent: extra.consent } : {}),
    },
    () => {
      port1.close();
      port2.close();
    },
  );
  if (extra.onChanged) api.subscribe(extra.onChanged);
  return { api, sent };
}

describe('the house owns the data; the page holds a client', () => {
  it('renders from the packs the house validated, and each call is one small message', async () => {
    const changed = vi.fn();
    const { api, sent } = openHouse(served(pack(60)), { onChanged: changed });
    const { catalog, info } = await api.loaded;
    expect(info).toMatchObject({ id: 'shop-h', name: 'Shop H' });
    expect(catalog.size).toBe(60);
    expect(api.catalog.get('sku-4')?.title).toBe('Lamps model 4');
    await api.ready();

    // 1,000 events, then one track() and one recommend(): one message each, none carrying the history.
    for (let k = 0; k < 1000; k++) await api.track({ type: 'view', itemId: `sku-${k % 30}` });
    await vi.waitFor(() => expect(changed).toHaveBeenCalled());
    const before = sent.length;
    await api.track({ type: 'view', itemId: 'sku-7' });
    expect(sent.length - before).toBe(1);
    const trackBytes = sent.at(-1) ?? 0;
    const recs = await api.recommend({ limit: 5 });
    expect(sent.length - before).toBe(2);
    const recommendBytes = sent.at(-1) ?? 0;
    expect(recs).toHaveLength(5);
    expect(recs[0]?.reasons.length).toBeGreaterThan(0);
    expect(trackBytes).toBeLessThan(1_000);
    expect(recommendBytes).toBeLessThan(1_000);
    expect(await api.events({ limit: 2000 })).toHaveLength(1001);
    await vi.waitFor(async () => expect((await api.status()).loading).toEqual([]));
    await api.close();
  });

  it("a call's own errors arrive with their code, and the store is the house's", async () => {
    const { api } = openHouse(served(pack()));
    await api.ready();
    await expect(api.recommend({ limit: 500 })).rejects.toMatchObject({ code: 'api/invalid-argument' });
    await expect(api.track({ type: 'view', itemId: 'nope' })).rejects.toMatchObject({ code: 'store/invalid-event' });
    expect((await api.storage()).events.count).toBe(0);
    await api.close();
  });

  it('without consent: in memory, nothing recorded, lists that are not personal', async () => {
    const { api } = openHouse(served(pack()), { consent: 'pending' });
    await api.ready();
    const s = await api.status();
    expect(s.consent).toBe('pending');
    expect(s.storedInMemory).toBe(true);
    await expect(api.track({ type: 'view', itemId: 'sku-1' })).rejects.toMatchObject({ code: 'store/no-consent' });
    await expect(api.setRecording(true)).rejects.toMatchObject({ code: 'store/no-consent' });
    expect((await api.storage()).recording).toBe(false);
    expect(await api.recommend({ limit: 3 })).toHaveLength(3);
    expect(await api.events()).toEqual([]);
    await api.close();
  });

  it('a malformed pack is refused with its message: loaded and every call say why', async () => {
    const { api } = openHouse(served({ ...pack(), items: [{ id: 1 }] }));
    await expect(api.loaded).rejects.toThrow(/item/);
    await expect(api.ready()).rejects.toThrow(/item/);
    expect(() => api.catalog.get('sku-1')).toThrow(/still loading/);
    await api.close();
  });
});

describe('callbacks cross as markers', () => {
  it('functions, as arguments or options, are called back with their arguments; the rest is untouched', () => {
    const progress = vi.fn();
    const done = vi.fn();
    const image = new Blob(['x']);
    const { args, fns } = wireArgs([progress, { epochs: 2, onProgress: done }, image, 'id']);
    expect(fns).toEqual([progress, done]);
    expect(args[1]).toMatchObject({ epochs: 2 });
    expect(args[2]).toBe(image);
    const calls: [number, unknown[]][] = [];
    const back = unwireArgs(structuredClone(args.slice(0, 2)), { invoke: (i, a) => void calls.push([i, a]) });
    (back[0] as (x: number) => void)(0.5);
    (back[1] as { onProgress: (x: string) => void }).onProgress('end');
    expect(calls).toEqual([
      [0, [0.5]],
      [1, ['end']],
    ]);
    expect((back[1] as { epochs: number }).epochs).toBe(2);
  });
});

describe('consent across houses (withConsent)', () => {
  /** Each house opened, with the consent it was opened with; the first is pending. */
  function consenting() {
    const opened: { consent: string | undefined; api: ReturnType<typeof openHouse>['api'] }[] = [];
    const url = served(pack());
    const api = withConsent(
      (o) => {
        const house = openHouse(url, o.consent && o.consent !== 'not-required' ? { consent: o.consent } : {});
        opened.push({ consent: o.consent, api: house.api });
        return house.api;
      },
      { manifestUrl: MANIFEST_URL, consent: 'pending' },
    );
    return { api, opened };
  }

  it('pending, then granted: a second house that stores; calls made meanwhile wait for it', async () => {
    const { api, opened } = consenting();
    await api.ready();
    expect((await api.status()).consent).toBe('pending');
    const changed = vi.fn();
    api.subscribe(changed);
    const granting = api.consent(true);
    // Asked while the new house opens: answered by it, and the catalog view is readable throughout.
    const tracked = api.track({ type: 'view', itemId: 'sku-2' });
    expect(api.catalog.get('sku-2')?.title).toBe('Desks model 2');
    await granting;
    await tracked;
    expect(opened.map((o) => o.consent)).toEqual(['pending', 'granted']);
    expect((await api.status()).consent).toBe('granted');
    expect((await api.events()).map((e) => e.itemId)).toEqual(['sku-2']);
    expect(changed).toHaveBeenCalled();
    // Granted again: nothing to change.
    await api.consent(true);
    expect(opened).toHaveLength(2);
    await expect(api.consent('yes' as unknown as boolean)).rejects.toMatchObject({ code: 'api/invalid-argument' });
    await api.close();
  });

  it('granted, then declined: the databases are deleted and the new house stores nothing', async () => {
    const { api } = consenting();
    await api.consent(true);
    await api.track({ type: 'view', itemId: 'sku-3' });
    const names = async () => (await indexedDB.databases()).map((d) => d.name ?? '');
    const base = `house-test-${count}`; // the granted house's databases begin with its name
    expect((await names()).some((n) => n.startsWith(base))).toBe(true);
    await api.consent(false);
    expect((await names()).some((n) => n.startsWith(base))).toBe(false);
    const s = await api.status();
    expect(s.consent).toBe('denied');
    expect(await api.events()).toEqual([]);
    await expect(api.track({ type: 'view', itemId: 'sku-3' })).rejects.toMatchObject({ code: 'store/no-consent' });
    await api.close();
  });
});
