/**
 * A write's outcome as IndexedDB reports it, and whether it failed for space. Kept apart from what gives way
 * (space.ts) so that every writer of the store can use it.
 */

/** Whether a failed write failed for space: the browser's quota error however it reaches us, or an aborted write. */
export function isSpaceError(e: unknown): boolean {
  const name = (e as { name?: unknown } | null)?.name;
  if (name === 'QuotaExceededError' || name === 'AbortError') return true;
  return e instanceof Error && e.cause !== undefined && isSpaceError(e.cause);
}

/**
 * Awaits a write transaction's requests and its commit together. On failure it rejects with the transaction's own
 * error when there is one: Chromium fails every request of a transaction aborted for space with `AbortError` and
 * puts the `QuotaExceededError` on the transaction.
 */
export async function committed<T>(
  tx: { done: Promise<void>; error: DOMException | null },
  requests: Promise<T>[],
): Promise<T[]> {
  try {
    const [results] = await Promise.all([Promise.all(requests), tx.done]);
    return results;
  } catch (e) {
    await tx.done.catch(() => undefined);
    throw tx.error ?? e;
  }
}
