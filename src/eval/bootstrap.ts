/**
 * How sure a comparison of two models is: the paired bootstrap over users (Efron & Tibshirani 1993, ch. 16; the
 * usual test for IR metrics, Sakai 2006). Both models were scored on the same users, so users are resampled with
 * replacement as pairs, and the ratio of the two mean NDCG@10 is recomputed for each resample; the 2.5th and 97.5th
 * percentiles are the 95% interval. A lower bound above 1 says the first model is better on users like these, not
 * only on this sample of them.
 */
import { mulberry32 } from '../runtime/random';

import type { RatioInterval } from './interval';
export type { RatioInterval };

/** The paired bootstrap 95% interval of mean(a) / mean(b), a[u] and b[u] one user's scores under each model. */
export function pairedBootstrapRatio(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  o: { seed: number; samples?: number },
): RatioInterval {
  if (a.length !== b.length) throw new Error(`paired bootstrap: ${a.length} users against ${b.length}`);
  const n = a.length;
  const samples = o.samples ?? 2000;
  const sum = (x: ArrayLike<number>) => {
    let s = 0;
    for (let u = 0; u < n; u++) s += x[u] as number;
    return s;
  };
  const ratio = sum(a) / sum(b);
  const random = mulberry32(o.seed);
  const ratios = new Float64Array(samples);
  for (let s = 0; s < samples; s++) {
    let sa = 0;
    let sb = 0;
    for (let k = 0; k < n; k++) {
      const u = Math.floor(random() * n);
      sa += a[u] as number;
      sb += b[u] as number;
    }
    ratios[s] = sa / sb;
  }
  ratios.sort();
  const at = (q: number) => ratios[Math.min(samples - 1, Math.max(0, Math.round(q * (samples - 1))))] as number;
  return { ratio, low: at(0.025), high: at(0.975), users: n, samples };
}

/**
 * Each row named by one of `models` (a name prefix) against the row named `peer`, over the same users: the ratio of
 * mean NDCG@10 with its paired interval. Rows without per-user scores, or over other users, are left out.
 */
export function intervalsAgainst(
  rows: readonly { model: string; perUser?: number[] }[],
  peer: string,
  models: readonly string[],
): (RatioInterval & { model: string })[] {
  const base = rows.find((r) => r.model.startsWith(peer))?.perUser;
  if (!base) return [];
  return rows.flatMap((r) =>
    r.perUser && r.perUser.length === base.length && models.some((m) => r.model.startsWith(m))
      ? [{ model: r.model, ...pairedBootstrapRatio(r.perUser, base, { seed: 7 }) }]
      : [],
  );
}
