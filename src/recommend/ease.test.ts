import { describe, expect, it } from 'vitest';
import { buildMatrix } from '../shared/interactions';
import { mulberry32 } from '../runtime/random';
import { easeScores, invertSpd, trainEase } from './ease';

describe('EASE', () => {
  it('inverts a symmetric positive-definite matrix', async () => {
    const n = 12;
    const rand = mulberry32(3);
    const x = Array.from({ length: n * n }, () => rand() - 0.5);
    // A = X^T X + I: symmetric positive definite.
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = i === j ? 1 : 0;
        for (let k = 0; k < n; k++) s += (x[k * n + i] as number) * (x[k * n + j] as number);
        a[i * n + j] = s;
      }
    const inv = Float64Array.from(a);
    await invertSpd(inv, n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += (a[i * n + k] as number) * (inv[k * n + j] as number);
        expect(s).toBeCloseTo(i === j ? 1 : 0, 9);
      }
    await expect(invertSpd(new Float64Array([1, 2, 2, 1]), 2)).rejects.toThrow(/not positive definite/);
  });

  it('learns co-occurrence, has a zero diagonal, and ranks items left out of the solve last', async () => {
    // Items 0-1 always together, 2-3 always together; item 4 once.
    const user: number[] = [];
    const item: number[] = [];
    for (let u = 0; u < 20; u++) {
      const pair = u % 2 ? [0, 1] : [2, 3];
      for (const i of pair) {
        user.push(u);
        item.push(i);
      }
    }
    user.push(0);
    item.push(4);
    const w = await trainEase(buildMatrix(user, item, 20, 5), { lambda: 1, minCount: 2 });
    expect([...w.items]).toEqual([0, 1, 2, 3]);
    for (let i = 0; i < 4; i++) expect(w.b[i * 4 + i]).toBe(0);
    const s = easeScores(w, [0], new Float32Array(5));
    expect(s[1]).toBeGreaterThan(0.5);
    expect(Math.abs(s[2] as number)).toBeLessThan(0.05);
    expect(s[4]).toBeLessThan(Math.min(s[1] as number, s[2] as number, s[3] as number));
  });
});
