import { describe, expect, it } from 'vitest';
import type { BprWeights } from './bpr';
import { contentFeatures, hybridItems } from './hybrid-items';

describe('hybrid item vectors', () => {
  it('builds genre and decade one-hots (no word vectors: no title part)', () => {
    const f = contentFeatures([
      { title: 'A', tags: ['Drama', 'War'], year: 1995 },
      { title: 'B', tags: ['Comedy'], year: 2003 },
      { title: 'C' },
    ]);
    expect(f.dims).toBe(3 + 2); // Comedy, Drama, War; 1990, 2000
    expect([...f.x.subarray(0, 5)].map((v) => +v.toFixed(3))).toEqual([0, 0.707, 0.707, 1, 0]);
    expect([...f.x.subarray(10, 15)]).toEqual([0, 0, 0, 0, 0]);
  });

  it('gives rarely seen items what their content predicts, and keeps well-seen items close to their own', () => {
    // Two genres; an item's true vector is (1, 0) for genre A and (0, 1) for genre B, bias 0.5 / -0.5.
    const n = 40;
    const items = Array.from({ length: n }, (_, i) => ({ title: `m${i}`, tags: [i % 2 ? 'B' : 'A'] }));
    const item = new Float32Array(n * 2);
    const itemBias = new Float32Array(n);
    const counts = new Int32Array(n).fill(50);
    for (let i = 0; i < n; i++) {
      item[i * 2 + (i % 2)] = 1;
      itemBias[i] = i % 2 ? -0.5 : 0.5;
    }
    // Item 0 (genre A) was barely seen: its learned vector is noise; item 1 (genre B) is unusual but well seen.
    counts[0] = 0;
    item.set([-0.3, 0.8], 0);
    item.set([0.9, 0.1], 2);
    const w: BprWeights = { dim: 2, numUsers: 1, numItems: n, user: new Float32Array(2), item, itemBias };
    const h = hybridItems(w, counts, contentFeatures(items), { shrink: 5, minCount: 10, l2: 0.01 });
    expect(h.item[0]).toBeCloseTo(1, 1);
    expect(h.item[1]).toBeCloseTo(0, 1);
    expect(h.itemBias[0]).toBeCloseTo(0.5, 1);
    // 50 / (50 + 5) of its own vector.
    expect(h.item[2]).toBeGreaterThan(0.75);
    expect(h.user).toBe(w.user);
  });
});
