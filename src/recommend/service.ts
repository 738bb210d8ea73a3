/**
 * The recommendation side of the engine: loads the packs' interaction logs in the worker (the UI never parses
 * them), builds the matrices once, answers recommend requests, and runs the evaluation protocol.
 */
import { loadPack } from '../catalog/load';
import type { Fetcher } from '../catalog/fetch';
import { jaccardDistance } from '../eval/metrics';
import { evaluateRankers, leaveLastOut, type RankingRow } from '../eval/ranking';
import { HushCartError } from '../errors';
import { knnHistoryRanker, knnLastItemRanker, knnRecentRanker, popularityRanker } from './baselines';
import { mineBaskets } from './association';
import { buildMatrix } from './interactions';
import { Recommender, type PackInteractions, type Recommendation, type ShopperEvent } from './recommender';

export interface RecommendRequest {
  slot: 'for-you' | 'similar' | 'fbt';
  itemId?: string;
  events: ShopperEvent[];
  limit: number;
  diversity: number;
  aisle?: string;
  exclude: string[];
}

export interface LoadedInteractions {
  packId: string;
  kind: string;
  items: number;
  users: number;
  interactions: number;
}

interface EvalData {
  packId: string;
  user: number[];
  item: number[];
  timestamp: number[];
  numUsers: number;
  tags: string[][];
}

export class RecommendService {
  private recommender: Recommender | null = null;
  private evalData: EvalData | null = null;
  private loading: Promise<LoadedInteractions[]> | null = null;

  /** Loads every pack that has interactions (once; later calls share the first load). */
  load(packUrls: string[], fetcher?: Fetcher): Promise<LoadedInteractions[]> {
    this.loading ??= (async () => {
      const packs = await Promise.all(
        packUrls.map((url) => loadPack(url, { include: { reviews: false }, ...(fetcher ? { fetcher } : {}) })),
      );
      const data: PackInteractions[] = [];
      const info: LoadedInteractions[] = [];
      for (const p of packs) {
        const x = p.interactions;
        if (!x) continue;
        const entry: PackInteractions = {
          packId: p.id,
          kind: x.kind,
          itemIds: p.items.map((i) => i.id),
          aisleOf: p.items.map((i) => i.aisle),
          matrix: buildMatrix(x.user, x.item, x.users.length, p.items.length),
        };
        if (x.basket) {
          const baskets = new Map<number, number[]>();
          x.basket.forEach((b, k) => {
            const list = baskets.get(b);
            if (list) list.push(x.item[k] as number);
            else baskets.set(b, [x.item[k] as number]);
          });
          entry.baskets = mineBaskets(
            [...baskets.values()],
            p.items.length,
            p.items.map((i) => i.tags?.[0] ?? i.category ?? i.aisle),
          );
        }
        data.push(entry);
        info.push({
          packId: p.id,
          kind: x.kind,
          items: p.items.length,
          users: x.users.length,
          interactions: x.user.length,
        });
        if (p.id === 'movies')
          this.evalData = {
            packId: p.id,
            user: x.user,
            item: x.item,
            timestamp: x.timestamp,
            numUsers: x.users.length,
            tags: p.items.map((i) => i.tags ?? []),
          };
      }
      this.recommender = new Recommender(data);
      return info;
    })();
    this.loading.catch(() => (this.loading = null));
    return this.loading;
  }

  recommend(r: RecommendRequest): Recommendation[] {
    if (!this.recommender) throw new HushCartError('api/not-ready', 'recommendations are still loading');
    const o = {
      limit: r.limit,
      diversity: r.diversity,
      exclude: new Set(r.exclude),
      ...(r.aisle ? { aisle: r.aisle } : {}),
    };
    if (r.slot === 'similar' || r.slot === 'fbt') {
      if (!r.itemId) throw new HushCartError('api/invalid-argument', `slot '${r.slot}' needs an itemId`);
      return r.slot === 'similar' ? this.recommender.similar(r.itemId, o) : this.recommender.boughtWith(r.itemId, o);
    }
    return this.recommender.forYou(r.events, o);
  }

  /** MovieLens, leave-last-out, all models in one run (see README "Evaluation"). */
  evaluate(onProgress?: (fraction: number, model: string) => void, checkCancelled?: () => void): Promise<RankingRow[]> {
    const d = this.evalData;
    if (!d) throw new HushCartError('api/not-ready', 'the MovieLens interactions are not loaded');
    const split = leaveLastOut(d.user, d.item, d.timestamp, d.numUsers, d.tags.length);
    const rankers = [popularityRanker, knnHistoryRanker, knnLastItemRanker, knnRecentRanker(5, 0.7)];
    return evaluateRankers(rankers, split, {
      seed: 2024,
      distance: (a, b) => jaccardDistance(d.tags[a] ?? [], d.tags[b] ?? []),
      ...(onProgress ? { onProgress } : {}),
      ...(checkCancelled ? { checkCancelled } : {}),
    });
  }
}
