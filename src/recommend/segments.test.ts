import { describe, expect, it } from 'vitest';
import { buildMatrix } from '../shared/interactions';
import { kmeans, nearest, segmentUsers } from './segments';

describe('k-means segments', () => {
  it('finds planted clusters and assigns a new point to the nearest', () => {
    const pts: number[] = [];
    for (let i = 0; i < 60; i++) pts.push(i < 30 ? 0 + (i % 5) * 0.01 : 10 + (i % 5) * 0.01, i < 30 ? 0 : 10);
    const { centres, assignment } = kmeans(Float32Array.from(pts), 60, 2, 2, 1);
    expect(new Set(assignment.subarray(0, 30)).size).toBe(1);
    expect(new Set(assignment.subarray(30)).size).toBe(1);
    expect(assignment[0]).not.toBe(assignment[59]);
    expect(nearest(centres, 2, 2, [9, 9])).toBe(assignment[59]);
  });

  it('describes each segment by the tags its members over-use', () => {
    // Users 0-29 watch items 0-9 (Sci-Fi), users 30-59 items 10-19 (Romance); vectors separate them.
    const user: number[] = [];
    const item: number[] = [];
    const vec: number[] = [];
    for (let u = 0; u < 60; u++) {
      for (let k = 0; k < 8; k++) {
        user.push(u);
        item.push((u < 30 ? 0 : 10) + ((u + k) % 10));
      }
      vec.push(u < 30 ? 1 : -1, 0);
    }
    const tags = Array.from({ length: 20 }, (_, i) => [i < 10 ? 'Sci-Fi' : 'Romance']);
    const s = segmentUsers(Float32Array.from(vec), 2, buildMatrix(user, item, 60, 20), tags, 2, 3);
    const sciFiSegment = s.segments[s.assignment[0] as number];
    expect(sciFiSegment?.size).toBe(30);
    expect(sciFiSegment?.top[0]?.tag).toBe('Sci-Fi');
    expect(sciFiSegment?.top[0]?.lift).toBeCloseTo(2, 6);
  });
});
