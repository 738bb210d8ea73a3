/**
 * "Up next": what follows the shopper's recent items, from a pack's sequential model (its odds against its first
 * choice) or, for a shop pack, its released next-order transitions; each result names the recent items whose
 * removal lowers its score most (occlusion). The timeline of a shopper's items in a pack is also what For you's
 * sequential part reads.
 */
import { topK } from '../eval/metrics';
import { ON_SCREEN } from './actions';
import { eventWeight } from './event-weight';
import type { WeightedItem } from './knn';
import type { ListShaper } from './list-shaper';
import type { NextItemScorer } from './sequential-scorer';
import type { Transitions } from './shop-aggregates';
import type { Action, Reason, ShopperEvent } from './contract';
import {
  actionOf,
  OCCLUDED,
  type Candidate,
  type Located,
  type PackInteractions,
  type Recommendation,
  type RecommendOptions,
} from './pack-view';

/** What Up next reads of the Recommender. */
export interface UpNextModels {
  packs: readonly PackInteractions[];
  where: ReadonlyMap<string, Located>;
  sequences: ReadonlyMap<string, NextItemScorer>;
  transitions: ReadonlyMap<string, Transitions>;
  lists: ListShaper;
  hasSequence(itemId: string): boolean;
}

/**
 * "Up next": what the sequential model expects after the shopper's recent items of each pack it covers, with
 * `itemId` as the newest step when given (the product being looked at). Each result names the recent items
 * whose removal lowers its score most.
 */
export function upNext(
  m: UpNextModels,
  events: ShopperEvent[],
  o: RecommendOptions,
  itemId?: string,
): Recommendation[] {
  if (itemId !== undefined && !m.hasSequence(itemId)) return []; // no sequence model covers this product
  const candidates: Candidate[] = [];
  const seen = new Set(events.map((e) => e.itemId).filter((id): id is string => !!id));
  if (itemId) seen.add(itemId);
  for (const pack of m.packs) {
    const model = nextModel(pack, m.sequences, m.transitions);
    if (!model) continue;
    const { seq, action } = recentSequence(m.where, pack, events, model.maxLen, itemId);
    if (seq.length === 0) continue;
    const scores = model.scores(seq);
    const top = topK(scores, Math.max(50, o.limit * 4), m.lists.excluded(pack, o, seen), m.lists.tieFor(pack));
    const best = scores[top[0] ?? 0] as number;
    const lift = model.lift(seq, scores);
    for (const j of top) {
      if (!model.odds && !((scores[j] as number) > 0)) break; // transitions: nothing follows the rest
      const explain = (): Reason[] => [
        {
          kind: 'next',
          items: lift(j)
            .filter((x) => x.weight > 0)
            .sort((a, b) => b.weight - a.weight)
            .slice(0, 2)
            .map(({ item }) => ({
              itemId: pack.itemIds[item] as string,
              action: action.get(item) ?? { verb: 'viewed' },
            })),
        },
      ];
      candidates.push({
        itemId: pack.itemIds[j] as string,
        // The sequential model: exp(score - best), its odds against its first choice, in (0, 1]; transitions:
        // the probability over the best one's.
        score: model.odds ? Math.exp((scores[j] as number) - best) : (scores[j] as number) / best,
        reasons: [],
        explain,
      });
    }
  }
  return m.lists.finish(candidates, o, seen);
}

/** What serves Up next for a pack: its sequential model, else its transitions, else nothing. */
function nextModel(
  pack: PackInteractions,
  sequences: ReadonlyMap<string, NextItemScorer>,
  transitions: ReadonlyMap<string, Transitions>,
): {
  maxLen: number;
  odds: boolean;
  scores: (seq: number[]) => Float32Array;
  lift: (seq: number[], scores: Float32Array) => (j: number) => WeightedItem[];
} | null {
  const scorer = sequences.get(pack.packId);
  if (scorer)
    return {
      maxLen: scorer.w.maxLen,
      odds: true,
      scores: (seq) => scorer.scores(seq),
      lift: (seq, scores) => occlusion(scorer, seq, scores),
    };
  const t = transitions.get(pack.packId);
  if (t)
    return { maxLen: t.maxLen, odds: false, scores: (seq) => t.scores(seq), lift: (seq) => (j) => t.shares(seq, j) };
  return null;
}

/**
 * The shopper's items of `pack` in time order of their latest event: `touched` holds every item, `action` the
 * items whose latest event was positive (in the same order) with the action that put them there; `itemId` (the
 * product on screen) is the newest step.
 */
export function timeline(
  where: ReadonlyMap<string, Located>,
  pack: PackInteractions,
  events: ShopperEvent[],
  itemId?: string,
): { touched: Set<number>; action: Map<number, Action> } {
  const touched = new Set<number>();
  const action = new Map<number, Action>();
  for (const e of events) {
    const loc = e.itemId ? where.get(e.itemId) : undefined;
    if (loc?.pack !== pack) continue;
    touched.delete(loc.index);
    touched.add(loc.index);
    action.delete(loc.index);
    if (eventWeight(e) > 0) action.set(loc.index, actionOf(e));
  }
  const here = itemId ? where.get(itemId) : undefined;
  if (here?.pack === pack) {
    action.delete(here.index);
    action.set(here.index, { verb: ON_SCREEN });
  }
  return { touched, action };
}

/** The sequential model's input: the last `maxLen` positively touched items (see timeline). */
function recentSequence(
  where: ReadonlyMap<string, Located>,
  pack: PackInteractions,
  events: ShopperEvent[],
  maxLen: number,
  itemId?: string,
): { seq: number[]; action: Map<number, Action> } {
  const { action } = timeline(where, pack, events, itemId);
  return { seq: [...action.keys()].slice(-maxLen), action };
}

/**
 * How much each of the last few items of `seq` lifts item j's score: the model is run again without each,
 * and the drop is that item's share (computed once per list, on first use).
 */
export function occlusion(scorer: NextItemScorer, seq: number[], scores: Float32Array): (j: number) => WeightedItem[] {
  const recent = seq.slice(-OCCLUDED);
  let without: (Float32Array | null)[] | null = null;
  return (j) => {
    without ??= recent.map((r) => scorer.state(seq.filter((x) => x !== r)));
    const w = without;
    return recent.map((item, k) => ({ item, weight: (scores[j] as number) - scorer.scoreOf(w[k] ?? null, j) }));
  };
}
