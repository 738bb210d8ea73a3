/**
 * The privacy mechanism of a shop pack's aggregates, one place for every kind:
 * - **contribution bounding**: each customer adds at most 1 to any count, and to at most `bound` counts of a kind
 *   (a uniform sample of their items or pairs when they have more);
 * - **noise**: each released count gets Laplace noise of scale bound/epsilon (the kind's L1 sensitivity over its
 *   budget), rounded to a whole number (rounding also removes the low bits that floating-point Laplace sampling
 *   leaks, Mironov 2012);
 * - **k rule**: a count is released only when at least k distinct customers support it and its noisy value is at
 *   least k; with `delta`, the noisy value must also pass tau = k + b ln(bound / 2 delta), which makes the choice of
 *   what is released (epsilon, delta)-differentially private as well (Korolova et al. 2009; Google's partition
 *   selection).
 */
import { mulberry32 } from '../runtime/random';

export type Random = () => number;

/** Uniform [0, 1) from the platform's cryptographic generator: noise a reader of the pack cannot predict. */
export function secureRandom(): Random {
  const buffer = new Uint32Array(256);
  let at = buffer.length;
  return () => {
    if (at === buffer.length) {
      crypto.getRandomValues(buffer);
      at = 0;
    }
    return (buffer[at++] as number) / 2 ** 32;
  };
}

/** A seeded generator (mulberry32) for tests and reproducible reports; never for a pack a shop serves. */
export const seededRandom = (seed: number): Random => mulberry32(seed);

/** One draw of Laplace(0, scale). */
export function laplace(scale: number, random: Random): number {
  let u = random() - 0.5;
  while (u === -0.5) u = random() - 0.5;
  return -scale * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
}

/** Up to `n` of `items`, chosen uniformly (a partial Fisher-Yates shuffle, in place). */
export function sample<T>(items: T[], n: number, random: Random): T[] {
  if (items.length <= n) return items;
  for (let k = 0; k < n; k++) {
    const j = k + Math.floor(random() * (items.length - k));
    const t = items[k] as T;
    items[k] = items[j] as T;
    items[j] = t;
  }
  return items.slice(0, n);
}

export interface ReleaseRule {
  k: number;
  epsilon: number;
  /** How many counts of this kind one customer can add to (the L1 sensitivity). */
  bound: number;
  delta?: number;
}

/** The noise scale and the threshold a noisy count must pass. */
export function releaseThreshold(rule: ReleaseRule): { scale: number; tau: number } {
  const scale = rule.bound / rule.epsilon;
  const tau = rule.delta ? rule.k + scale * Math.log(rule.bound / (2 * rule.delta)) : rule.k;
  return { scale, tau };
}

/** Released counts of one kind: each key whose count passes the rule, with its noisy value. */
export function release(counts: Map<number, number>, rule: ReleaseRule, random: Random): Map<number, number> {
  const { scale, tau } = releaseThreshold(rule);
  const out = new Map<number, number>();
  // Keys in ascending order: the noise drawn for a key does not depend on the map's insertion order.
  for (const key of [...counts.keys()].sort((a, b) => a - b)) {
    const n = counts.get(key) as number;
    if (n < rule.k) continue;
    const noisy = Math.round(n + laplace(scale, random));
    if (noisy >= tau) out.set(key, noisy);
  }
  return out;
}
