/**
 * The shopper-facing recommender over item-kNN, popularity, BPR-MF, the sequential model and each pack's item
 * space: "For you" from the shopper's weighted history
 * (recomputed from scratch after every event: no retraining, a few milliseconds), "Similar items" for one
 * product, maximal-marginal-relevance diversity, filters, and reasons taken from the model's own terms
 * (which history items contributed how much; how many users an item has).
 */
import { arrayMax } from '../shared/array-max';
import { topK, tieBreakRanks } from '../eval/metrics';
import { boughtTogether } from './association';
import type { BprWeights } from './bpr';
import { contentScores, cosine } from './content';
import { blockShares, sharedLabels, type ItemSpace } from './item-space';
import { evidenceContributions, evidenceScores } from './evidence';
import type { WeightedItem } from './knn';
import { matrixNeighbourhood } from '../shared/neighbourhood';
import type { NextItemScorer } from './sequential-scorer';
import type { Transitions } from './shop-aggregates';
import { eventWeight } from './event-weight';
export { eventWeight };
import type { ShopperEvent, Reason, Action } from './contract';
import { ListShaper } from './list-shaper';
import { timeline, upNext } from './up-next';
import { scorePack, weighBySentiment } from './personal-scores';
import {
  profileOf,
  contentOnly,
  recentHistory,
  type Candidate,
  type Located,
  type PackData,
  type PackInteractions,
  type PersonalScores,
  type Recommendation,
  type RecommendOptions,
} from './pack-view';
export type { ShopperEvent, Reason, Action };
export { RECENT_KNN, sentimentFactor, standardize } from './pack-view';
export type { PackData, PackInteractions, Recommendation, RecommendOptions } from './pack-view';

export class Recommender {
  private readonly where = new Map<string, Located>();
  private readonly tie = new Map<string, Int32Array>();
  /** Trained item factors per pack (BPR-MF), used with kNN when present. */
  private readonly factors = new Map<string, BprWeights>();

  /** Sequential next-item models per pack. */
  private readonly sequences = new Map<string, NextItemScorer>();

  /** Next-order transitions of shop packs (released aggregates), per pack. */
  private readonly transitions = new Map<string, Transitions>();

  /**
   * The last personal scores per pack and the history they were computed for: a page asks for the same history
   * more than once per event (its own For you list, an embedding page's), and only the list options differ.
   */
  private readonly lastScores = new Map<string, { key: string; value: PersonalScores }>();

  useFactors(packId: string, w: BprWeights): void {
    this.factors.set(packId, w);
    this.lastScores.delete(packId);
  }

  useSequence(packId: string, scorer: NextItemScorer): void {
    this.sequences.set(packId, scorer);
    this.lastScores.delete(packId);
  }

  /** Replaces a pack's item space (e.g. once its pictures have embeddings). */
  useSpace(packId: string, space: ItemSpace): void {
    const pack = this.packs.find((p) => p.packId === packId);
    if (!pack) return;
    if (space.items !== pack.itemIds.length)
      throw new Error(`item space of ${space.items} items for pack '${packId}' of ${pack.itemIds.length}`);
    pack.space = space;
    this.lastScores.delete(packId);
  }

  /** Weighs a content pack's items by their reviews' P(positive) from now on. */
  useSentiment(pack: PackInteractions, sentiment: Float32Array): void {
    pack.sentiment = sentiment;
    this.lastScores.delete(pack.packId);
  }

  /** The id of the pack an item belongs to. */
  packOf(itemId: string): string | undefined {
    return this.where.get(itemId)?.pack.packId;
  }

  /** Whether `itemId` belongs to a pack with a sequential model. */
  hasSequence(itemId: string): boolean {
    const loc = this.where.get(itemId);
    return !!loc && (this.sequences.has(loc.pack.packId) || this.transitions.has(loc.pack.packId));
  }

  /** Whether released transitions serve Up next for `itemId`'s pack (for any pack, without an item). */
  hasTransitions(itemId?: string): boolean {
    if (itemId === undefined) return this.transitions.size > 0;
    const loc = this.where.get(itemId);
    return !!loc && this.transitions.has(loc.pack.packId);
  }

  /** A shop pack's next-order transitions: its Up next while it has no sequential model. */
  useTransitions(packId: string, t: Transitions): void {
    this.transitions.set(packId, t);
  }

  /**
   * "Up next": what the sequential model expects after the shopper's recent items of each pack it covers, with
   * `itemId` as the newest step when given (the product being looked at). See ./up-next.ts.
   */
  next(events: ShopperEvent[], o: RecommendOptions, itemId?: string): Recommendation[] {
    const models = {
      packs: this.packs,
      where: this.where,
      sequences: this.sequences,
      transitions: this.transitions,
      lists: this.lists,
      hasSequence: (id: string) => this.hasSequence(id),
    };
    return upNext(models, events, o, itemId);
  }

  readonly packs: PackInteractions[];
  private readonly lists: ListShaper;

  /** Packs given without `neighbours` read them from their matrix (the same objects, completed in place). */
  constructor(packs: PackData[]) {
    this.packs = packs.map((p) => {
      p.neighbours ??= matrixNeighbourhood(p.matrix);
      return p as PackInteractions;
    });
    for (const pack of this.packs) this.index(pack);
    this.lists = new ListShaper(this.packs, this.where, this.tie);
  }

  private index(pack: PackInteractions): void {
    this.lastScores.delete(pack.packId);
    pack.itemIds.forEach((id, index) => this.where.set(id, { pack, index }));
    this.tie.set(pack.packId, tieBreakRanks(pack.itemIds.length, 17));
  }

  /** The shopper's weighted history within one pack (pack item indices). */
  movieHistory(events: ShopperEvent[], packId: string): WeightedItem[] {
    for (const [pack, p] of profileOf(this.where, events)) if (pack.packId === packId) return p.history;
    return [];
  }

  /** The shopper's sequence within one pack: what the sequential model reads (see timeline), oldest first. */
  movieSequence(events: ShopperEvent[], packId: string): number[] {
    const pack = this.packs.find((p) => p.packId === packId);
    return pack ? [...timeline(this.where, pack, events).action.keys()] : [];
  }

  /**
   * How much the shopper's profile likes each item, 0..1 (For you's personal score over its best in the item's
   * pack; 0 for items of packs the shopper has no positive history in): what personalised search re-orders by.
   */
  affinity(events: ShopperEvent[], itemIds: string[]): number[] {
    const profiles = profileOf(this.where, events);
    const scored = new Map<PackInteractions, { scores: Float32Array; max: number } | null>();
    return itemIds.map((id) => {
      const loc = this.where.get(id);
      if (!loc) return 0;
      let s = scored.get(loc.pack);
      if (s === undefined) {
        const prof = profiles.get(loc.pack);
        s = null;
        if (prof?.history.some((h) => h.weight > 0)) {
          const { scores } = this.personalScores(loc.pack, prof.history, events);
          const max = scores.reduce((a, b) => (b > a ? b : a), 0);
          if (max > 0) s = { scores, max };
        }
        scored.set(loc.pack, s);
      }
      return s ? Math.max(0, (s.scores[loc.index] as number) / s.max) : 0;
    });
  }

  /** Personal recommendations; with no usable history, a diverse popular selection across aisles. */
  forYou(events: ShopperEvent[], o: RecommendOptions): Recommendation[] {
    const seen = new Set(events.map((e) => e.itemId).filter((id): id is string => !!id));
    const profiles = profileOf(this.where, events);
    const candidates: Candidate[] = [];
    for (const pack of this.packs) {
      const prof = profiles.get(pack);
      if (!prof || !prof.history.some((h) => h.weight > 0)) continue;
      const { scores, contribution } = this.personalScores(pack, prof.history, events);
      const excluded = this.lists.excluded(pack, o, seen);
      const top = topK(scores, Math.max(50, o.limit * 4), excluded, this.lists.tieFor(pack));
      const max = scores[top[0] ?? 0] ?? 0;
      if (!(max > 0)) continue;
      for (const j of top) {
        const s = scores[j] as number;
        if (!(s > 0)) break;
        // Reasons are worked out only for the items finally shown (see below): a contribution split per candidate
        // would cost more than the scoring.
        const explain = (): Reason[] => [
          {
            kind: 'because',
            items: contribution(j)
              .filter((c) => c.weight > 0)
              .slice(0, 2)
              .map((c) => ({
                itemId: pack.itemIds[c.item] as string,
                action: prof.action.get(c.item) ?? { verb: 'viewed' },
              })),
          },
        ];
        candidates.push({ itemId: pack.itemIds[j] as string, score: s / max, reasons: [], explain });
      }
    }
    // Popular picks fill a short list; when a rule buries items (the shop's, or the shopper's "show me less"), they
    // also compete, so that what is buried can sink below them.
    const burying = [...this.packs.flatMap((p) => p.merch?.rules ?? []), ...(o.steering?.rules ?? [])].some(
      (r) => r.action === 'bury',
    );
    if (candidates.length < o.limit || burying)
      candidates.push(
        ...this.lists.popular({ ...o, limit: o.limit * 3 }, seen, new Set(candidates.map((c) => c.itemId))),
      );
    if (candidates.length < o.limit)
      candidates.push(...this.lists.firstLook(o, seen, new Set(candidates.map((c) => c.itemId))));
    return this.lists.finish(candidates, o, seen);
  }

  /**
   * The item space alone for a pack without interactions; item-kNN and the item space by evidence over the
   * weighted history (./evidence.ts) for a pack with interactions and no trained model (Office; the evaluation's
   * "by evidence (whole history)" row); when the pack has trained factors or a sequential model, kNN over the recent
   * items (RECENT_KNN) blended with the BPR-MF fold-in and the sequential model (each standardised over the items,
   * then weighted by the sequential model's own weights (servedWeights) and added: the evaluation's "For you as
   * served" row; without the sequential model, by FOR_YOU_WITHOUT_SEQUENTIAL). Reasons split the score
   * into one share per history item on the same scale: exactly for kNN and the fold-in, by occlusion for the
   * sequential model.
   */
  private personalScores(pack: PackInteractions, history: WeightedItem[], events: ShopperEvent[]): PersonalScores {
    const scorer = this.sequences.get(pack.packId);
    const { touched, action } = timeline(this.where, pack, events);
    const seq = scorer ? [...action.keys()].slice(-scorer.w.maxLen) : [];
    const recent = recentHistory(history, touched);
    const key = [history, recent].map((h) => h.map((x) => `${x.item}:${x.weight}`).join(',')).join('|') + `|${seq}`;
    const last = this.lastScores.get(pack.packId);
    if (last?.key === key) return last.value;
    const models = { factors: this.factors.get(pack.packId), scorer: this.sequences.get(pack.packId) };
    const value = scorePack(pack, models, history, recent, seq);
    this.lastScores.set(pack.packId, { key, value });
    return value;
  }

  /** P(positive) of an item's review, when its pack has been scored. */
  sentimentOf(itemId: string): number | undefined {
    const loc = this.where.get(itemId);
    return loc?.pack.sentiment?.[loc.index];
  }

  /**
   * Items most like one item: in the item space for a pack without interactions; otherwise cosine over who
   * interacted with them and the item space, weighted by the evidence behind the item (./evidence.ts; the
   * evaluation's "Similar items" rows). Each result's reason is the larger of the two parts.
   */
  similar(itemId: string, o: RecommendOptions): Recommendation[] {
    const loc = this.where.get(itemId);
    if (!loc) return [];
    const { pack, index } = loc;
    const c = contentOnly(pack);
    const one = [{ item: index, weight: 1 }];
    const space = pack.space;
    const scores = c
      ? weighBySentiment(pack, contentScores(c.vectors, c.dims, one))
      : space
        ? evidenceScores(pack.neighbours, space, one)
        : pack.neighbours.scores(one);
    const excluded = this.lists.excluded(pack, o, new Set([itemId]));
    const top = topK(scores, Math.max(50, o.limit * 4), excluded, this.lists.tieFor(pack)).filter(
      (j) => (scores[j] as number) > 0,
    );
    const recs = top.map((j) => {
      // The larger part of the score is the reason: who interacted with both, or what both are.
      const part = space && !c ? evidenceContributions(pack.neighbours, space, one, j)[0] : undefined;
      const reason: Reason =
        !space || (part && part.knn >= part.alike)
          ? { kind: 'similar', itemId, sharedShare: pack.neighbours.similarity(index, j) }
          : {
              kind: 'content',
              itemId,
              similarity: cosine(space.vectors, space.dims, index, j),
              basis: blockShares(space, index, j)[0]?.basis ?? 'text',
              shared: sharedLabels(space, index, j),
              ...(Number.isFinite(pack.sentiment?.[j]) ? { sentiment: pack.sentiment?.[j] as number } : {}),
            };
      return { itemId: pack.itemIds[j] as string, score: scores[j] as number, reasons: [reason] };
    });
    return this.lists.finish(recs, o, new Set([itemId]));
  }

  /** Trending: the most chosen items of the pack's recent window, by aisle in turn (packs without one give none). */
  trending(o: RecommendOptions, seen: Set<string> = new Set()): Recommendation[] {
    const candidates: Recommendation[] = [];
    for (const pack of this.packs) {
      const recent = pack.recent;
      if (!recent) continue;
      const max = arrayMax(recent.count, 1);
      for (const j of topK(
        recent.count,
        Math.max(50, o.limit * 4),
        this.lists.excluded(pack, o, seen),
        this.lists.tieFor(pack),
      )) {
        const n = recent.count[j] as number;
        if (!(n > 0)) break;
        const aisle = pack.aisleOf[j] as string;
        candidates.push({
          itemId: pack.itemIds[j] as string,
          score: n / max,
          reasons: [{ kind: 'trending', aisle, users: n, days: recent.days, interaction: pack.kind }],
        });
      }
    }
    return this.lists.finish(candidates, o, seen);
  }

  /** Recently viewed: the items the shopper touched, newest first (what they removed from the cart included). */
  recentlyViewed(events: ShopperEvent[], o: RecommendOptions): Recommendation[] {
    const order: string[] = [];
    for (let k = events.length - 1; k >= 0; k--) {
      const id = events[k]?.itemId;
      if (id && this.where.has(id) && !order.includes(id)) order.push(id);
    }
    const candidates = order.map((itemId, k) => ({
      itemId,
      score: 1 / (1 + k),
      reasons: [{ kind: 'viewed' as const }],
    }));
    const allowed = candidates.filter((c) => {
      const loc = this.where.get(c.itemId) as Located;
      return !this.lists.excluded(loc.pack, o, new Set())[loc.index];
    });
    return this.lists.finish(allowed, o, new Set(), true);
  }

  /** New arrivals: items with the date they were added, newest first. */
  newArrivals(o: RecommendOptions, seen: Set<string> = new Set()): Recommendation[] {
    const dated: { itemId: string; added: string }[] = [];
    for (const pack of this.packs) {
      const added = pack.merch?.added;
      if (!added?.some(Boolean)) continue;
      const excluded = this.lists.excluded(pack, o, seen);
      added.forEach((a, j) => {
        if (a && !excluded[j]) dated.push({ itemId: pack.itemIds[j] as string, added: a });
      });
    }
    dated.sort((a, b) => b.added.localeCompare(a.added) || a.itemId.localeCompare(b.itemId));
    const candidates = dated.map((d, k) => ({
      itemId: d.itemId,
      score: 1 / (1 + k),
      reasons: [{ kind: 'new' as const, added: d.added }],
    }));
    return this.lists.finish(candidates, o, seen, true);
  }

  /**
   * Fills a list that is shorter than its limit from the declared fallbacks, in order (o.steering.fallback): popular
   * picks, popular in the category of `itemId`, trending, new arrivals. Never random padding: what no source offers
   * stays empty. Items already shown, the item itself and whatever the call excludes are not repeated.
   */
  fill(list: Recommendation[], o: RecommendOptions, itemId?: string): Recommendation[] {
    const chain = o.steering?.fallback ?? [];
    if (list.length >= o.limit || !chain.length) return list;
    const out = [...list];
    const seen = new Set([...out.map((r) => r.itemId), ...(itemId ? [itemId] : [])]);
    const base: RecommendOptions = { ...o, steering: { ...o.steering, fallback: [] } };
    for (const source of chain) {
      if (out.length >= o.limit) break;
      const loc = itemId ? this.where.get(itemId) : undefined;
      const category = loc?.pack.categoryOf?.[loc.index];
      const more =
        source === 'popular'
          ? this.lists.popularList(base, seen)
          : source === 'popular-category'
            ? category
              ? this.lists.popularList({ ...base, steering: { ...base.steering, category } }, seen)
              : []
            : source === 'trending'
              ? this.trending(base, seen)
              : this.newArrivals(base, seen);
      for (const r of more) {
        if (out.length >= o.limit) break;
        if (seen.has(r.itemId)) continue;
        seen.add(r.itemId);
        out.push(r);
      }
    }
    return out;
  }

  /** Frequently bought together (association rules over order baskets); empty for packs without baskets. */
  boughtWith(itemId: string, o: RecommendOptions): Recommendation[] {
    const loc = this.where.get(itemId);
    const x = loc?.pack.baskets;
    if (!loc || !x) return [];
    const excluded = this.lists.excluded(loc.pack, o, new Set([itemId]));
    const list = boughtTogether(x, loc.index, o.limit, excluded).map((t): Recommendation => ({
      itemId: loc.pack.itemIds[t.item] as string,
      score: t.score,
      reasons: [
        {
          kind: 'together' as const,
          itemId,
          level: t.level,
          groups: [x.groupOf[loc.index] as string, x.groupOf[t.item] as string] as [string, string],
          rule: t.rule,
          ...(x.unit ? { unit: x.unit } : {}),
        },
      ],
    }));
    // In the rules' order (item pairs first): the shop's boosts reorder within it, diversity does not apply.
    return this.lists.finish(list, o, new Set([itemId]), true);
  }
}
