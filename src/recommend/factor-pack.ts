/**
 * Which pack of a catalog gets the factor models, decided by its data (never by its id). tf-free: the page reads
 * the threshold for its messages.
 */

/**
 * The factor models (BPR-MF, the sequential model, taste segments) are trained for a pack whose users have at
 * least this many distinct items each (the median), and at least FACTOR_MIN_USERS users. Set between the two packs
 * measured (docs/models.md "Evaluation"): MovieLens (median 71) where BPR-MF and the sequential model lead item-kNN, and the
 * Superstore orders (median 12) where BPR-MF does no better than chance. A pack below it is served by item-kNN,
 * popularity, baskets and the item space, which need no training.
 */
export const FACTOR_MIN_ITEMS_PER_USER = 20;
export const FACTOR_MIN_USERS = 20;

/** Median number of distinct items per user. */
export function medianItemsPerUser(user: readonly number[], item: readonly number[], numUsers: number): number {
  if (numUsers === 0) return 0;
  const seen = new Set<number>();
  const counts = new Int32Array(numUsers);
  for (let k = 0; k < user.length; k++) {
    const u = user[k] as number;
    const key = u * 2 ** 32 + (item[k] as number); // exact in a double
    if (seen.has(key)) continue;
    seen.add(key);
    counts[u] = (counts[u] as number) + 1;
  }
  const sorted = Array.from(counts).sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? 0;
}

export interface PackInteractionCounts {
  packId: string;
  users: number;
  interactions: number;
  medianItemsPerUser: number;
}

/** What the factor-pack rule reads of a pack's interactions (the worker and the page count them alike). */
export function interactionCounts(
  packId: string,
  x: { users: readonly unknown[]; user: readonly number[]; item: readonly number[] },
): PackInteractionCounts {
  return {
    packId,
    users: x.users.length,
    interactions: x.user.length,
    medianItemsPerUser: medianItemsPerUser(x.user, x.item, x.users.length),
  };
}

/** Whether a pack's interactions support the factor models (see FACTOR_MIN_ITEMS_PER_USER). */
export const supportsFactors = (p: PackInteractionCounts): boolean =>
  p.medianItemsPerUser >= FACTOR_MIN_ITEMS_PER_USER && p.users >= FACTOR_MIN_USERS;

/**
 * The one pack of a catalog that gets the factor models: the qualifying one with the most interactions (MovieLens in
 * the demo store; a shop's own pack when it is the catalog), ties by id. Undefined when none qualifies.
 */
export function chooseFactorPack(packs: readonly PackInteractionCounts[]): string | undefined {
  return packs
    .filter(supportsFactors)
    .sort((a, b) => b.interactions - a.interactions || a.packId.localeCompare(b.packId))[0]?.packId;
}
