import { describe, expect, it } from 'vitest';
import { openDatabase } from '../store/db';
import { experimentArm } from './experiment';

let n = 0;
const fresh = () => openDatabase({ name: `experiment-${n++}` });

describe("the shop's on-device experiment", () => {
  it('draws once per device and keeps the arm across visits; a new share draws again', async () => {
    const db = await fresh();
    const first = await experimentArm(db, 50);
    for (let visit = 0; visit < 5; visit++) expect(await experimentArm(db, 50)).toEqual(first);
    expect(await experimentArm(db, 100)).toEqual({ treatment: 100, arm: 'treatment' });
    expect(await experimentArm(db, 0)).toEqual({ treatment: 0, arm: 'control' });
    await expect(experimentArm(db, 120)).rejects.toThrow('0 to 100 (got 120)');
  });

  it('puts about the share of 200 fresh devices in treatment (cryptographic draws)', async () => {
    const arms = await Promise.all(
      Array.from({ length: 200 }, async () => (await experimentArm(await fresh(), 50)).arm),
    );
    const treated = arms.filter((a) => a === 'treatment').length;
    // Binomial(200, 0.5): 100 +- 3 sd (21) holds with probability 0.997.
    expect(treated).toBeGreaterThan(79);
    expect(treated).toBeLessThan(121);
  });
});
