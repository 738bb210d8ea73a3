import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { embedderSpec } from '../api/embedder-model';
import { registerKernels } from '../runtime/kernels';
import { mulberry32 } from '../runtime/random';
import type { Engine } from '../engine/types';
import { DEFAULT_EMBEDDER, Embedder, trainEmbedder } from './cnn';
import { borderLevel, objectBox, prepare, toGray, type Rgba } from './preprocess';
import { EmbeddingIndex, normalizeRows, precisionAtK } from './search';
import { MAX_PIXELS, sniffImage } from './sniff';
import { accuracyOf, VisionService } from './service';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerKernels('cpu');
});

/** A w x h RGBA image of `bg` with a filled rectangle of `fg` (gray levels 0..255). */
function picture(w: number, h: number, bg: number, fg: number, rect: [number, number, number, number]): Rgba {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const inside = x >= rect[0] && x < rect[0] + rect[2] && y >= rect[1] && y < rect[1] + rect[3];
      const v = inside ? fg : bg;
      data.set([v, v, v, 255], (y * w + x) * 4);
    }
  return { width: w, height: h, data };
}

describe('photo preprocessing', () => {
  it('inverts a light background so the object is light on dark, like the training pictures', () => {
    const p = prepare(picture(100, 60, 250, 20, [30, 20, 40, 20])); // wide: the square crop has margins above and below
    expect(p.inverted).toBe(true);
    const corner = p.pixels[0] as number;
    const centre = p.pixels[14 * 28 + 14] as number;
    expect(corner).toBeLessThan(0.05);
    expect(centre).toBeGreaterThan(0.9);
  });

  it('keeps a dark background as it is', () => {
    expect(prepare(picture(50, 50, 5, 200, [10, 10, 30, 30])).inverted).toBe(false);
  });

  it('finds the object, crops to it and pads to a square', () => {
    const img = picture(200, 100, 255, 0, [150, 20, 20, 60]); // a tall bar at the right
    const g = toGray(img);
    expect(borderLevel(g)).toBeCloseTo(1, 5);
    const inv = { ...g, data: g.data.map((v) => 1 - v) };
    expect(objectBox(inv, 0)).toEqual({ x: 150, y: 20, width: 20, height: 60 });
    const p = prepare(img);
    // Square crop around a 20x60 bar: it spans the full height and about a third of the width, centred.
    const rowMid = Array.from(p.pixels.subarray(14 * 28, 15 * 28));
    const lit = rowMid.filter((v) => v > 0.5).length;
    expect(lit).toBeGreaterThanOrEqual(7);
    expect(lit).toBeLessThanOrEqual(11);
    expect(rowMid[14]).toBeGreaterThan(0.5);
    expect(rowMid[0]).toBeLessThan(0.1);
    expect(p.pixels[1 * 28 + 14]).toBeGreaterThan(0.9);
  });

  it('composites transparency over white and handles a blank picture', () => {
    const img = picture(10, 10, 0, 0, [0, 0, 0, 0]);
    for (let i = 3; i < img.data.length; i += 4) img.data[i] = 0; // fully transparent
    expect(toGray(img).data[0]).toBe(1);
    const p = prepare(img);
    expect(p.pixels.every((v) => v === 0)).toBe(true);
    expect(() => prepare({ width: 0, height: 0, data: new Uint8Array(0) })).toThrow(/no pixels/);
  });
});

describe('file sniffing', () => {
  const png = (w: number, h: number) => {
    const b = new Uint8Array(33);
    b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    new DataView(b.buffer).setUint32(16, w);
    new DataView(b.buffer).setUint32(20, h);
    return b;
  };
  it('reads the type and size from the bytes', () => {
    expect(sniffImage(png(640, 480), 1000)).toEqual({ format: 'png', width: 640, height: 480 });
    const gif = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x20, 0x00, 0x10, 0x00]);
    expect(sniffImage(gif, 10)).toEqual({ format: 'gif', width: 32, height: 16 });
    // JPEG: SOI, an APP0 segment, then SOF0 with 300 x 200.
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0, 200, 1, 44, 3, 0, 0, 0]);
    expect(sniffImage(jpeg, jpeg.length)).toEqual({ format: 'jpeg', width: 300, height: 200 });
  });
  it('turns away SVG, non-images, empty, damaged and huge files with a message', () => {
    const text = (s: string) => new TextEncoder().encode(s);
    expect(() => sniffImage(text('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'), 60)).toThrow(
      /SVG drawings are not accepted/,
    );
    expect(() => sniffImage(text('hello, this is a text file'), 26)).toThrow(/not an image/);
    expect(() => sniffImage(new Uint8Array(0), 0)).toThrow(/empty/);
    expect(() => sniffImage(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 4]), 6)).toThrow(/damaged or truncated/);
    expect(() => sniffImage(png(10_000, 5_000), 1000)).toThrow(/50 megapixels/);
    expect(() => sniffImage(png(6_000, 6_000), 1000)).not.toThrow();
    expect(MAX_PIXELS).toBe(40_000_000);
  });
});

describe('nearest-neighbour search', () => {
  it('top-k on the backend equals a brute-force ranking, and the excluded row is left out', async () => {
    const r = mulberry32(3);
    const dims = 8;
    const n = 300;
    const v = normalizeRows(
      Float32Array.from({ length: n * dims }, () => r() - 0.5),
      dims,
    );
    const q = normalizeRows(
      Float32Array.from({ length: 2 * dims }, () => r() - 0.5),
      dims,
    );
    const index = new EmbeddingIndex(v, dims);
    const before = tf.memory().numTensors;
    const got = await index.search(q, 5, Int32Array.of(7, 8));
    expect(tf.memory().numTensors).toBe(before);
    for (let row = 0; row < 2; row++) {
      const scores = Array.from({ length: n }, (_, j) => {
        let s = 0;
        for (let p = 0; p < dims; p++) s += (q[row * dims + p] as number) * (v[j * dims + p] as number);
        return { j, s };
      })
        .filter(({ j }) => j !== 7 + row)
        .sort((a, b) => b.s - a.s);
      expect(Array.from(got.index.subarray(row * 5, row * 5 + 5))).toEqual(scores.slice(0, 5).map((x) => x.j));
    }
    index.dispose();
  });

  it('precision@k counts same-label neighbours, never the query itself', async () => {
    // Two tight clusters of 3: each point's 2 nearest others are its own cluster.
    const v = normalizeRows(Float32Array.from([1, 0.1, 1, 0, 1, -0.1, 0.1, 1, 0, 1, -0.1, 1]), 2);
    expect(await precisionAtK(v, 2, [0, 0, 0, 1, 1, 1], 2)).toBe(1);
    expect(await precisionAtK(v, 2, [0, 1, 0, 1, 0, 1], 2)).toBeLessThan(0.5);
  });
});

/** Planted classes: class k is a bright horizontal bar at row 3 + 5k (3 classes), with pixel noise. */
function plantedImages(n: number, seed: number): { images: Uint8Array; labels: Uint8Array } {
  const r = mulberry32(seed);
  const images = new Uint8Array(n * 784);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const k = i % 3;
    labels[i] = k;
    for (let p = 0; p < 784; p++) images[i * 784 + p] = Math.floor(r() * 40);
    const row = 3 + 8 * k;
    for (let y = row; y < row + 4; y++) for (let x = 4; x < 24; x++) images[i * 784 + y * 28 + x] = 230;
  }
  return { images, labels };
}

describe('image embedder', () => {
  const config = {
    ...DEFAULT_EMBEDDER,
    channels: 4,
    embedding: 8,
    epochs: 3,
    batchSize: 16,
    learningRate: 0.01,
    shift: 1,
  };
  const ctx = () => ({ jobId: 'v', signal: new AbortController().signal });

  it('learns planted classes; neighbours share the class; no tensors leak; weights survive a save', async () => {
    const { images, labels } = plantedImages(96, 1);
    const warm = await trainEmbedder(images, labels, 3, { ...config, epochs: 1 }, ctx());
    const w0 = new Embedder(warm.weights);
    await w0.embed(Float32Array.from(images.subarray(0, 784), (v) => v / 255));
    w0.dispose();
    const before = tf.memory().numTensors;
    const r = await trainEmbedder(images, labels, 3, config, ctx());
    const test = plantedImages(30, 2);
    const m = new Embedder(r.weights);
    const { embeddings, probs } = await m.embed(Float32Array.from(test.images, (v) => v / 255));
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(accuracyOf(probs, test.labels, 3)).toBeGreaterThan(0.9);
    expect(await precisionAtK(embeddings, 8, test.labels, 5)).toBeGreaterThan(0.9);
    const spec = embedderSpec({} as Engine);
    expect(spec.fromRecord({ id: 'x', ...spec.toRecord(r.weights) })).toEqual(r.weights);
  });

  it('trains on tfjs-wasm too (no conv2d gradient needed) and leaks nothing there', async () => {
    await tf.setBackend('wasm');
    registerKernels('wasm');
    try {
      const { images, labels } = plantedImages(96, 6);
      const before = tf.memory().numTensors;
      const r = await trainEmbedder(images, labels, 3, config, ctx());
      expect(tf.memory().numTensors).toBe(before);
      const m = new Embedder(r.weights);
      const test = plantedImages(30, 7);
      const { probs } = await m.embed(Float32Array.from(test.images, (v) => v / 255));
      m.dispose();
      expect(accuracyOf(probs, test.labels, 3)).toBeGreaterThan(0.9);
    } finally {
      await tf.setBackend('cpu');
    }
  });

  it("the full recipe's finer stage learns on tfjs-wasm, leaks nothing, and survives a save", async () => {
    await tf.setBackend('wasm');
    registerKernels('wasm');
    try {
      const fine = { ...config, fine: 8 };
      const { images, labels } = plantedImages(96, 8);
      const warm = await trainEmbedder(images, labels, 3, { ...fine, epochs: 1 }, ctx());
      expect(warm.weights.fine?.channels).toBe(8);
      expect(warm.weights.patch.length).toBe(4 * 8 * config.channels); // a 2x2 block of 8-channel cells per row
      const before = tf.memory().numTensors;
      const r = await trainEmbedder(images, labels, 3, fine, ctx());
      const m = new Embedder(r.weights);
      const test = plantedImages(30, 9);
      const { probs } = await m.embed(Float32Array.from(test.images, (v) => v / 255));
      m.dispose();
      expect(tf.memory().numTensors).toBe(before);
      expect(accuracyOf(probs, test.labels, 3)).toBeGreaterThan(0.9);
      const spec = embedderSpec({} as Engine);
      const record = { id: 'x', ...spec.toRecord(r.weights) };
      expect(spec.fromRecord(record)).toEqual(r.weights);
      // A record whose parts do not fit together is refused (the model is trained again), never half-read.
      expect(spec.fromRecord({ ...record, tensors: record.tensors.filter((t) => t.name !== 'fineConv') })).toBeNull();
      const coarse = await trainEmbedder(images, labels, 3, { ...config, epochs: 1 }, ctx());
      const mixed = { ...record, tensors: [...spec.toRecord(coarse.weights).tensors, ...record.tensors.slice(0, 4)] };
      expect(spec.fromRecord(mixed)).toBeNull();
    } finally {
      await tf.setBackend('cpu');
    }
  });

  it('the nearest training pictures vote on the category, half and half with the classifier; nothing leaks', async () => {
    const { images, labels } = plantedImages(60, 12);
    const r = await trainEmbedder(images, labels, 3, config, ctx());
    const pixels = Float32Array.from(images, (v) => v / 255);
    const plain = new Embedder(r.weights);
    const own = await plain.embed(pixels, 256, undefined, false);
    plain.dispose();
    const test = plantedImages(30, 13);
    const testPixels = Float32Array.from(test.images, (v) => v / 255);
    const probsWith = async (refLabels: Int32Array) => {
      const before = tf.memory().numTensors;
      const m = new Embedder({ ...r.weights, reference: { embeddings: own.embeddings, labels: refLabels } });
      const out = await m.embed(testPixels, 7); // batches that do not divide the rows
      m.dispose();
      expect(tf.memory().numTensors).toBe(before);
      return out.probs;
    };
    const alone = new Embedder(r.weights);
    const classifier = (await alone.embed(testPixels)).probs;
    alone.dispose();
    const right = await probsWith(Int32Array.from(labels));
    const wrong = await probsWith(Int32Array.from(labels, (l) => (l + 1) % 3)); // every neighbour mislabelled
    for (let i = 0; i < 30; i++) {
      const row = (p: Float32Array) => Array.from(p.subarray(i * 3, i * 3 + 3));
      expect(row(right).reduce((a, b) => a + b)).toBeCloseTo(1, 5);
      const t = test.labels[i] as number;
      const mislabel = (t + 1) % 3;
      // Correct neighbours: the true class gets the whole vote's half on top of half the classifier's share.
      expect(row(right)[t]).toBeCloseTo(0.5 + 0.5 * (row(classifier)[t] as number), 3);
      // Mislabelled ones: the vote's half goes to the wrong class, and the classifier's half is all that is left.
      expect(row(wrong)[t]).toBeCloseTo(0.5 * (row(classifier)[t] as number), 3);
      expect(row(wrong)[mislabel]).toBeGreaterThanOrEqual(0.5);
    }
    const spec = embedderSpec({} as Engine);
    const w = { ...r.weights, reference: { embeddings: own.embeddings, labels: Int32Array.from(labels) } };
    const record = { id: 'x', ...spec.toRecord(w) };
    expect(spec.fromRecord(record)).toEqual(w);
    const bad = record.tensors.map((t) =>
      t.name === 'referenceLabels' ? { ...t, data: Int32Array.from(labels, () => 7).buffer } : t,
    );
    expect(spec.fromRecord({ ...record, tensors: bad })).toBeNull(); // a label outside the categories
  });

  it('new weights wait for their own catalog embeddings: a query never mixes two models', async () => {
    const s = new VisionService();
    const { images, labels } = plantedImages(60, 10);
    const a = await trainEmbedder(images, labels, 3, config, ctx());
    const b = await trainEmbedder(images, labels, 3, { ...config, seed: 99 }, ctx());
    const test = plantedImages(12, 11);
    s.setCatalog({
      itemIds: Array.from({ length: 12 }, (_, i) => `it-${i}`),
      labels: Int32Array.from(test.labels),
      pixels: Float32Array.from(test.images, (v) => v / 255),
    });
    s.use(a.weights);
    await s.embedCatalog();
    const query = Float32Array.from(test.images.subarray(784, 1568), (v) => v / 255);
    const before = await s.searchImage(query, 3);
    s.use(b.weights); // trained, not yet embedded: model A and its index still answer together
    const waiting = await s.searchImage(query, 3);
    expect(waiting.results).toEqual(before.results);
    expect(waiting.confidence).toBe(before.confidence);
    await s.embedCatalog(); // now B and its index
    const after = await s.searchImage(query, 3);
    expect(after.confidence).not.toBe(before.confidence);
    expect(after.results[0]?.itemId).toBe('it-1');
    expect(after.results[0]?.score).toBeCloseTo(1, 3); // the query is catalog item 1, embedded by the same model
  });

  it('the service answers pixel queries and "more like this", and says when it is not ready', async () => {
    const s = new VisionService();
    await expect(s.moreLike('a', 3)).rejects.toThrow(/not ready/);
    const { images, labels } = plantedImages(60, 4);
    const r = await trainEmbedder(images, labels, 3, config, ctx());
    s.use(r.weights);
    const test = plantedImages(12, 5);
    s.setCatalog({
      itemIds: Array.from({ length: 12 }, (_, i) => `it-${i}`),
      labels: Int32Array.from(test.labels),
      pixels: Float32Array.from(test.images, (v) => v / 255),
    });
    await s.embedCatalog();
    const like = await s.moreLike('it-0', 3);
    expect(like.map((x) => x.itemId)).not.toContain('it-0');
    expect(like.filter((x) => Number(x.itemId.slice(3)) % 3 === 0).length).toBeGreaterThanOrEqual(2);
    const q = await s.searchImage(
      Float32Array.from(test.images.subarray(784, 1568), (v) => v / 255),
      4,
    );
    expect(q.results[0]?.itemId).toBe('it-1');
    expect(q.processed.length).toBe(784);
  });
});
