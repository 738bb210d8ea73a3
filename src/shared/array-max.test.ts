import { describe, expect, it } from 'vitest';
import { arrayMax } from './array-max';

describe('arrayMax', () => {
  it('finds the largest value, with a floor for empty or smaller arrays', () => {
    expect(arrayMax([3, 9, 2])).toBe(9);
    expect(arrayMax(Int32Array.from([0, 0]), 1)).toBe(1);
    expect(arrayMax([])).toBe(-Infinity);
  });

  it('handles a catalog of a million items, where a spread into Math.max overflows the stack', () => {
    const big = new Float32Array(1_000_000).map((_, i) => i % 1000);
    big[777_777] = 5000;
    expect(() => Math.max(...big)).toThrow(RangeError);
    expect(arrayMax(big)).toBe(5000);
  });
});
