import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../engine/engine';
import { diskFetcher } from '../test/disk-fetcher';
import { FACTOR_MIN_ITEMS_PER_USER, medianItemsPerUser } from './factor-pack';
import { meanRow, RecommendService } from './service';
import { DEFAULT_SEQUENTIAL } from './sequential-config';

beforeAll(async () => {
  await createEngine().runtime.init({ preference: 'wasm' }); // three BPR trainings: seconds on wasm, not tens
});

describe('RecommendService evaluation on the shipped packs', () => {
  it('runs MovieLens and the Superstore orders under one protocol, BPR-MF trained for the Office rows', async () => {
    const s = new RecommendService();
    const packs = ['movies', 'office'].map((p) => `http://localhost/data/packs/${p}/pack.json`);
    await s.load(packs, undefined, diskFetcher);
    const progress: number[] = [];
    const rows = await s.evaluate((f) => progress.push(f));
    const office = rows.filter((r) => r.model.endsWith('[Office]'));
    expect(office.map((r) => r.model)).toEqual([
      'popularity [Office]',
      'item-kNN (whole history) [Office]',
      'item-kNN (last item) [Office]',
      'item-kNN (last 5, decay 0.7) [Office]',
      'item space (last item) [Office]',
      'Similar items: item-kNN + item space by evidence (last item) [Office]',
      'item-kNN + item space by evidence (whole history) [Office]',
      'BPR-MF, mean of 3 seeds [Office]',
      'BPR-MF (folded in), mean of 3 seeds [Office]',
    ]);
    // Customers with at least two purchases; the MovieLens rows are untouched.
    for (const r of office) expect(r.users).toBeGreaterThan(700);
    expect(rows.find((r) => r.model === 'item-kNN (last item)')?.users).toBe(671);
    for (const r of office) expect(r.hr10).toBeLessThan(0.05); // orders this random leave little to learn
    expect(progress.at(-1)).toBeCloseTo(1, 2);
    expect(progress.every((f, k) => k === 0 || f >= (progress[k - 1] as number))).toBe(true);
  }, 120_000);
});

describe('meanRow', () => {
  it('averages the metrics of rows of one model and adds their times', () => {
    const row = (hr10: number, ms: number) => ({
      model: 'x',
      users: 10,
      hr10,
      ndcg10: hr10 / 2,
      recall20: hr10 * 2,
      mrr: hr10 / 4,
      coverage10: 0.5,
      diversity10: hr10,
      ms,
    });
    expect(meanRow('m', [row(0.1, 5), row(0.3, 7)])).toEqual({
      model: 'm',
      users: 10,
      hr10: expect.closeTo(0.2, 10),
      ndcg10: expect.closeTo(0.1, 10),
      recall20: expect.closeTo(0.4, 10),
      mrr: expect.closeTo(0.05, 10),
      coverage10: 0.5,
      diversity10: expect.closeTo(0.2, 10),
      ms: 12,
    });
  });
});

describe('RecommendService item spaces', () => {
  it('gives every pack an item space, and adds picture embeddings to the pack their items belong to', async () => {
    const s = new RecommendService();
    const info = await s.load(['http://localhost/data/packs/fashion/pack.json'], undefined, diskFetcher);
    expect(info).toEqual([
      {
        packId: 'fashion',
        kind: 'content',
        items: 10_000,
        users: 0,
        interactions: 0,
        medianItemsPerUser: 0,
        factors: false,
        baskets: false,
      },
    ]);
    const o = { slot: 'similar' as const, itemId: 'fm-0', events: [], limit: 3, diversity: 0, exclude: [] };
    // No word vectors, no pictures: the category block alone (fm-0 is an ankle boot).
    const before = s.recommend(o);
    expect(before.map((r) => r.reasons[0])).toEqual(
      Array(3).fill(expect.objectContaining({ kind: 'content', basis: 'category', shared: ['Ankle boot'] })),
    );
    // Pictures for three items, given in another order than the catalog's: fm-2 (trousers) looks like fm-0, fm-1
    // does not; its look outweighs other trousers' shared category.
    const vectors = Float32Array.from([0, 1, 1, 0, 0.9, 0.1]); // fm-1, fm-0, fm-2
    await s.useImageVectors(['fm-1', 'fm-0', 'fm-2'], vectors, 2);
    const after = s.recommend({ ...o, itemId: 'fm-2', limit: 1 });
    expect(after[0]).toMatchObject({ itemId: 'fm-0', reasons: [{ kind: 'content', basis: 'image' }] });
  });
});

describe('which pack gets the factor models', () => {
  it("counts each user's distinct items and takes the median", () => {
    // user 0: items 1, 2, 2 (2 distinct); user 1: 5 items; user 2: 1 item.
    expect(medianItemsPerUser([0, 0, 0, 1, 1, 1, 1, 1, 2], [1, 2, 2, 1, 2, 3, 4, 5, 9], 3)).toBe(2);
    expect(medianItemsPerUser([], [], 0)).toBe(0);
  });

  it('gives them to MovieLens (median 71) and not to the Superstore orders (median 12)', async () => {
    const s = new RecommendService();
    const info = await s.load(
      ['movies', 'office', 'pantry'].map((p) => `http://localhost/data/packs/${p}/pack.json`),
      undefined,
      diskFetcher,
    );
    const by = Object.fromEntries(info.map((i) => [i.packId, i]));
    expect(by.movies).toMatchObject({ medianItemsPerUser: 71, factors: true, baskets: false });
    expect(by.office).toMatchObject({ medianItemsPerUser: 12, factors: false, baskets: true });
    expect(by.pantry).toMatchObject({ users: 0, factors: false });
    expect(FACTOR_MIN_ITEMS_PER_USER).toBeGreaterThan(12);
    expect(FACTOR_MIN_ITEMS_PER_USER).toBeLessThanOrEqual(71);
  });
});

describe('a sequential recipe the quality protocol chose', () => {
  it('trains its epochs on the whole training split and serves the weights the protocol chose', async () => {
    const s = new RecommendService();
    await s.load(['http://localhost/data/packs/movies/pack.json'], undefined, diskFetcher);
    const blend = { knn: 0.5, bpr: 0, sequential: 1 };
    const config = {
      ...DEFAULT_SEQUENTIAL,
      dim: 8,
      maxLen: 5,
      epochs: 2,
      batchSize: 1024,
      negatives: 16,
      chosen: { blend, curveEpochs: 4 },
    };
    const progress: string[] = [];
    const r = await s.trainSequential(config, {
      jobId: 'chosen',
      signal: new AbortController().signal,
      onProgress: (p) => progress.push(p.message),
    });
    // Exactly the epochs asked for (no epoch picked on validation), over every user's training items (the
    // validation split would hold one back per user: 671 fewer positions).
    expect(r.epochLoss).toHaveLength(2);
    expect(r.weights.blend).toEqual(blend);
    expect(progress.some((m) => /validation/.test(m))).toBe(false);
    const split = leaveLastOutOf(s);
    expect(r.positions).toBe(split.reduce((a, q) => a + Math.max(0, q.length - 1), 0));
  }, 120_000);
});

/** The MovieLens training sequences the service trains on (its test split's). */
function leaveLastOutOf(s: RecommendService): number[][] {
  return (s as unknown as { movieSplit: () => { sequences: number[][] } }).movieSplit().sequences;
}
