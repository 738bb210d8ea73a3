/**
 * A shop's single-file catalog pack for the browser tests: items with titles, categories and prices, reviews, and
 * pictures as PNG data: URLs (any size and colour; drawn here, so the test needs no image files). None of the
 * default training data is in it: the general models come from the store's own data manifest.
 */
import { deflateSync } from 'node:zlib';

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (b: Buffer) => {
  let c = 0xffffffff;
  for (const x of b) c = (CRC[(c ^ x) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type: string, data: Buffer) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};

/** An RGB PNG of `size` x `size`: a coloured shape on white. */
export function png(size: number, inside: (x: number, y: number) => boolean, rgb: [number, number, number]): string {
  const rows = Buffer.alloc(size * (1 + 3 * size), 255);
  for (let y = 0; y < size; y++) {
    rows[y * (1 + 3 * size)] = 0; // filter: none
    for (let x = 0; x < size; x++) if (inside(x / size, y / size)) rows.set(rgb, y * (1 + 3 * size) + 1 + 3 * x);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const bytes = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return `data:image/png;base64,${bytes.toString('base64')}`;
}

/** Three kinds of product, each drawn as its own shape: a round mug, a tall lamp, a wide desk. */
const KINDS = [
  { category: 'Mugs', noun: 'mug', shape: (x: number, y: number) => (x - 0.5) ** 2 + (y - 0.5) ** 2 < 0.12 },
  { category: 'Lamps', noun: 'lamp', shape: (x: number, y: number) => Math.abs(x - 0.5) < 0.12 && y > 0.1 && y < 0.9 },
  { category: 'Desks', noun: 'desk', shape: (x: number, y: number) => x > 0.08 && x < 0.92 && y > 0.4 && y < 0.6 },
];
const COLOURS: [number, number, number][] = [
  [30, 30, 30],
  [160, 40, 40],
  [40, 90, 170],
  [60, 130, 60],
];
const ADJECTIVES = ['Oak', 'Brass', 'Linen', 'Slate', 'Copper', 'Birch', 'Ivory', 'Walnut'];

export function shopPack(): Record<string, unknown> {
  const items = KINDS.flatMap((k, c) =>
    ADJECTIVES.map((adj, j) => ({
      id: `hc-${k.noun}-${j}`,
      aisle: 'home',
      title: `${adj} ${k.noun}`,
      category: k.category,
      description: `A ${adj.toLowerCase()} ${k.noun} for the home.`,
      price: { amount: 12 + 7 * c + j, currency: 'EUR' },
      image: { url: png(40 + 8 * (j % 3), k.shape, COLOURS[j % COLOURS.length] as [number, number, number]) },
    })),
  );
  return {
    format: 'hushcart-pack',
    version: 1,
    id: 'test-shop',
    name: 'Test Home Shop',
    aisles: [{ id: 'home', name: 'Home goods' }],
    audience: 'our customers',
    items,
    reviews: [
      { itemId: 'hc-mug-0', text: 'Wonderful mug, I love it. Keeps my coffee hot and looks great.' },
      { itemId: 'hc-mug-1', text: 'Terrible. It cracked after a week and the handle broke. Awful, do not buy.' },
      { itemId: 'hc-lamp-0', text: 'A lovely warm light, excellent quality, highly recommended.' },
    ],
  };
}
