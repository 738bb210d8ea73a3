import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../runtime/random';
import { intervalsAgainst, pairedBootstrapRatio } from './bootstrap';

describe('paired bootstrap of a ratio of means', () => {
  it('is exact when one model is a fixed multiple of the other, user by user', () => {
    const b = Array.from({ length: 200 }, (_, u) => (u % 7) / 10);
    const a = b.map((x) => 1.1 * x);
    const r = pairedBootstrapRatio(a, b, { seed: 1 });
    expect(r.ratio).toBeCloseTo(1.1, 10);
    expect(r.low).toBeCloseTo(1.1, 10);
    expect(r.high).toBeCloseTo(1.1, 10);
  });

  it('brackets the ratio, narrows with more users, and is reproducible by its seed', () => {
    const draw = (n: number, seed: number) => {
      const random = mulberry32(seed);
      // Per-user NDCG-like scores: most users 0, a few hits; model a hits 20% more often.
      const b = Array.from({ length: n }, () => (random() < 0.1 ? 1 / Math.log2(2 + Math.floor(random() * 10)) : 0));
      const a = b.map((x) => (x === 0 && random() < 0.02 ? 0.5 : x));
      return { a, b };
    };
    const small = draw(600, 3);
    const large = draw(6000, 3);
    const rs = pairedBootstrapRatio(small.a, small.b, { seed: 9 });
    const rl = pairedBootstrapRatio(large.a, large.b, { seed: 9 });
    for (const r of [rs, rl]) {
      expect(r.low).toBeLessThan(r.ratio);
      expect(r.high).toBeGreaterThan(r.ratio);
    }
    expect(rl.high - rl.low).toBeLessThan((rs.high - rs.low) * 0.6);
    expect(pairedBootstrapRatio(small.a, small.b, { seed: 9 })).toEqual(rs);
    expect(() => pairedBootstrapRatio([1], [1, 2], { seed: 1 })).toThrow(/1 users against 2/);
  });
});

describe('intervals against a peer row', () => {
  it('compares the named rows with the peer over the same users, and leaves out rows over other users', () => {
    const peer = { model: 'EASE (lambda 400)', perUser: [0, 0.5, 1, 0] };
    const rows = [
      peer,
      { model: 'For you as served: kNN', perUser: [0, 1, 1, 0] },
      { model: 'sequential [long tail]', perUser: [1, 0] },
      { model: 'popularity', perUser: [0, 0, 1, 0] },
      { model: 'sequential: attention' },
    ];
    const out = intervalsAgainst(rows, 'EASE', ['For you as served', 'sequential']);
    expect(out.map((r) => r.model)).toEqual(['For you as served: kNN']);
    expect(out[0]?.ratio).toBeCloseTo(2 / 1.5, 10);
    expect(intervalsAgainst(rows.slice(1), 'EASE', ['For you as served'])).toEqual([]);
  });
});
