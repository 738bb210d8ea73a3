/**
 * Item sentiment for product cards: ids asked for in the same tick are fetched in one engine call, results
 * cached for the session (they change only when the sentiment model is retrained).
 */
import { useEffect, useState } from 'react';
import type { HushCartApi } from '../api/types';

const cache = new Map<string, number | null>();
const waiting = new Map<string, ((v: number | null) => void)[]>();
let scheduled = false;

function request(api: HushCartApi, id: string): Promise<number | null> {
  const hit = cache.get(id);
  if (hit !== undefined) return Promise.resolve(hit);
  return new Promise((resolve) => {
    waiting.set(id, [...(waiting.get(id) ?? []), resolve]);
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      const batch = new Map(waiting);
      waiting.clear();
      const ids = [...batch.keys()];
      api
        .itemSentiment(ids)
        .then((scores) =>
          ids.forEach((i, k) => {
            const v = scores[k] ?? null;
            if (v !== null) cache.set(i, v); // null may mean "not ready yet": ask again next time
            batch.get(i)?.forEach((r) => r(v));
          }),
        )
        .catch(() => ids.forEach((i) => batch.get(i)?.forEach((r) => r(null))));
    });
  });
}

/** Forgets cached scores (after the sentiment model changes). */
export function clearItemSentiment(): void {
  cache.clear();
}

/** P(positive) of the item's review, or null (no review, model not ready). `enabled` false skips the call. */
export function useItemSentiment(api: HushCartApi, itemId: string, enabled: boolean): number | null {
  const [v, setV] = useState<number | null>(() => cache.get(itemId) ?? null);
  useEffect(() => {
    if (!enabled) return;
    let alive = true;
    void request(api, itemId).then((x) => alive && setV(x));
    return () => {
      alive = false;
    };
  }, [api, itemId, enabled]);
  return v;
}
