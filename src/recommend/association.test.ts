import { describe, expect, it } from 'vitest';
import { boughtTogether, groupRule, itemRule, mineBaskets } from './association';

// Items 0,1 are pens; 2,3 paper; 4 a chair. Pens go with paper.
const groups = ['pens', 'pens', 'paper', 'paper', 'chairs'];
const baskets = [[0, 2], [0, 2], [1, 3], [0, 3], [4], [4], [1], [2, 3]];

describe('association rules', () => {
  const x = mineBaskets(baskets, 5, groups);

  it('computes support, confidence and lift by hand', () => {
    // item 0 in 3 of 8 orders, item 2 in 3, together in 2.
    const r = itemRule(x, 0, 2);
    expect(r.count).toBe(2);
    expect(r.support).toBeCloseTo(2 / 8, 12);
    expect(r.confidence).toBeCloseTo(2 / 3, 12);
    expect(r.lift).toBeCloseTo(2 / 3 / (3 / 8), 12); // 1.778
    // pens in orders 0-3 and 6 (5), paper in 0-3 and 7 (5), together in 0-3 (4).
    const g = groupRule(x, 'pens', 'paper');
    expect(g.confidence).toBeCloseTo(4 / 5, 12);
    expect(g.lift).toBeCloseTo(4 / 5 / (5 / 8), 12); // 1.28
    expect(groupRule(x, 'pens', 'chairs').count).toBe(0);
  });

  it('offers the pair bought together first, then the best seller of a matching category, never a chair', () => {
    const t = boughtTogether(x, 0, 3, new Uint8Array(5));
    expect(t[0]).toMatchObject({ item: 2, level: 'item' });
    expect(t[1]).toMatchObject({ item: 3, level: 'group' });
    expect(t.map((r) => r.item)).not.toContain(4);
    const excluded = new Uint8Array(5);
    excluded[2] = 1;
    expect(boughtTogether(x, 0, 3, excluded).map((r) => r.item)).not.toContain(2);
  });
});
