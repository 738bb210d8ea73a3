/**
 * The SYNTHETIC scale packs of the benchmarks: the shipped Superstore (Office) items and orders copied until the
 * pack has `size` items, each copy with its own customers and orders (titles say "synthetic copy"). Runs in the
 * page (passed to page.evaluate, so it is self-contained); the pack file is left on `window.__scalePack`.
 */
export async function makeScalePack(
  size: number,
): Promise<{ items: number; users: number; interactions: number; fileMB: number; ids: string[] }> {
  const gunzipJson = async (url: string) => {
    const res = await fetch(url);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const plain =
      bytes[0] === 0x1f && bytes[1] === 0x8b
        ? await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text()
        : new TextDecoder().decode(bytes);
    return JSON.parse(plain);
  };
  type Item = { id: string; title: string; aisle: string } & Record<string, unknown>;
  const items = (await gunzipJson('/data/packs/office/items.json.gz')) as Item[];
  const x = (await gunzipJson('/data/packs/office/interactions.json.gz')) as {
    kind: string;
    users: string[];
    user: number[];
    item: number[];
    value: number[];
    timestamp: number[];
    basket: number[];
  };
  const copies = Math.ceil(size / items.length);
  const outItems: Item[] = [];
  for (let c = 0; c < copies && outItems.length < size; c++)
    for (const it of items) {
      if (outItems.length >= size) break;
      outItems.push({ ...it, id: `${it.id}~${c}`, title: `${it.title} (synthetic copy ${c})`, aisle: 'scale' });
    }
  const n = items.length;
  const users: string[] = [];
  const col = { user: [] as number[], item: [] as number[], value: [] as number[], timestamp: [] as number[] };
  const basket: number[] = [];
  const maxBasket = Math.max(...x.basket) + 1;
  for (let c = 0; c < copies; c++) {
    for (const u of x.users) users.push(`${u}~${c}`);
    for (let k = 0; k < x.user.length; k++) {
      const j = c * n + (x.item[k] as number);
      if (j >= outItems.length) continue;
      col.user.push(c * x.users.length + (x.user[k] as number));
      col.item.push(j);
      col.value.push(x.value[k] as number);
      col.timestamp.push(x.timestamp[k] as number);
      basket.push(c * maxBasket + (x.basket[k] as number));
    }
  }
  const pack = {
    format: 'hushcart-pack',
    version: 1,
    id: `scale-${size}`,
    name: `Synthetic scale pack, ${size} items`,
    source: 'SYNTHETIC: copies of the Superstore sample items and orders, for the scale benchmark',
    audience: 'synthetic customers',
    aisles: [{ id: 'scale', name: 'Scale (synthetic)' }],
    items: outItems,
    interactions: { kind: x.kind, users, ...col, basket },
  };
  const file = new File([JSON.stringify(pack)], `scale-${size}.json`, { type: 'application/json' });
  (window as unknown as { __scalePack: File }).__scalePack = file;
  return {
    items: outItems.length,
    users: users.length,
    interactions: col.user.length,
    fileMB: file.size / 1e6,
    ids: outItems.map((i) => i.id),
  };
}
