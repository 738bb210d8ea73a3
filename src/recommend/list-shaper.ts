/**
 * How every slot's list ends (Recommender's slots hand their candidates here): the mask of what must not be shown
 * (seen, excluded, filtered, the shop's stock and rules), the shop's boosts and burials, diversity (maximal marginal
 * relevance), reasons worked out for what is shown, pins at their positions; and the lists that fill a short one
 * (popular picks by aisle, a first look at what nobody chose yet).
 */
import { arrayMax } from '../shared/array-max';
import { topK } from '../eval/metrics';
import { cosine } from './content';
import { factorOf, maskSteered, rulesFor, ruleSubject, type MerchRule, type PackMerch } from './merchandising';
import {
  contentOnly,
  hasInteractions,
  type Candidate,
  type Located,
  type PackInteractions,
  type Recommendation,
  type RecommendOptions,
} from './pack-view';

export class ListShaper {
  constructor(
    private readonly packs: readonly PackInteractions[],
    /** Where each item lives (the Recommender's index, shared). */
    private readonly where: ReadonlyMap<string, Located>,
    /** Each pack's tie-break ranks (equal scores in a fixed, item-independent order). */
    private readonly tie: ReadonlyMap<string, Int32Array>,
  ) {}

  /** Popular picks as a list of its own (a fallback); `category`: only that category's. */
  popularList(o: RecommendOptions, seen: Set<string>): Recommendation[] {
    return this.finish(this.popular(o, seen, new Set()), o, seen);
  }

  /**
   * Every slot ends here: the shop's boosts and burials scale the scores (./merchandising.ts), diversity picks the
   * list, each shown item's reasons are worked out (a boost says so), and pinned items take their positions.
   */
  finish(candidates: Candidate[], o: RecommendOptions, seen: Set<string>, ordered = false): Recommendation[] {
    const steering = o.steering ?? {};
    const promoted = new Map<string, MerchRule>();
    let scaled = false;
    // The rules in force, once per pack for this call (not once per candidate).
    const rules = new Map<PackMerch, MerchRule[]>();
    const steered = candidates.map((c) => {
      const loc = this.where.get(c.itemId);
      const m = loc?.pack.merch;
      if (!loc || !m) return c;
      let inForce = rules.get(m);
      if (!inForce) rules.set(m, (inForce = rulesFor(m, steering)));
      const { factor, boost } = factorOf(m, inForce, loc.index, c.itemId);
      if (boost) promoted.set(c.itemId, boost);
      if (factor === 1) return c;
      scaled = true;
      return { ...c, score: c.score * factor };
    });
    // An ordered list (bought together: item pairs, then departments) keeps its order unless a rule rescored it.
    const picked =
      ordered && !scaled ? steered.slice(0, o.limit) : this.diversify(steered, ordered ? { ...o, diversity: 0 } : o);
    const list = picked.map(({ explain, ...r }): Recommendation => {
      const reasons = explain ? explain() : r.reasons;
      const b = promoted.get(r.itemId);
      return { ...r, reasons: b ? [...reasons, { kind: 'promoted', subject: ruleSubject(b) }] : reasons };
    });
    return this.pin(list, o, seen);
  }

  /** Pinned items at their positions (1-based), unless this call must not show them (seen, excluded, filtered). */
  private pin(list: Recommendation[], o: RecommendOptions, seen: Set<string>): Recommendation[] {
    const steering = o.steering ?? {};
    const rules = [...this.packs.flatMap((p) => p.merch?.rules ?? []), ...(steering.rules ?? [])].filter(
      (r) => r.action === 'pin' && (r.slot === undefined || r.slot === steering.slot),
    );
    if (!rules.length) return list;
    let out = list;
    for (const r of [...rules].sort((a, b) => (a.position ?? 1) - (b.position ?? 1))) {
      const loc = r.itemId ? this.where.get(r.itemId) : undefined;
      if (!loc || !r.itemId || this.excluded(loc.pack, o, seen)[loc.index]) continue;
      out = out.filter((x) => x.itemId !== r.itemId);
      const at = Math.min((r.position ?? 1) - 1, out.length);
      out.splice(at, 0, {
        itemId: r.itemId,
        score: out[at]?.score ?? out[at - 1]?.score ?? 1,
        reasons: [{ kind: 'pinned' }],
      });
    }
    return out.slice(0, o.limit);
  }

  /**
   * Cold start where there is no popularity either (a pack without interactions, as a new shop's, or the items of a
   * pack nobody chose yet): a first look at everything it sells, one item of each category in turn, in the order the catalog lists them. Scored below
   * everything personal or popular, so it only fills what they leave.
   */
  firstLook(o: RecommendOptions, seen: Set<string>, taken: Set<string>): Recommendation[] {
    const groups = new Map<string, { pack: PackInteractions; j: number }[]>();
    for (const pack of this.packs) {
      // popular() speaks for every item someone chose; the rest get a first look.
      const counts = hasInteractions(pack) ? pack.neighbours.itemCount : null;
      const excluded = this.excluded(pack, o, seen);
      pack.itemIds.forEach((id, j) => {
        if (excluded[j] || taken.has(id) || counts?.[j]) return;
        const category = pack.categoryOf?.[j] || (pack.aisleOf[j] as string);
        let list = groups.get(category);
        if (!list) groups.set(category, (list = []));
        if (list.length < o.limit) list.push({ pack, j }); // no category gives more than the whole list
      });
    }
    const out: Recommendation[] = [];
    const lists = [...groups];
    for (let k = 0; out.length < o.limit && lists.some(([, l]) => l.length > k); k++)
      for (const [category, l] of lists) {
        const at = l[k];
        if (!at || out.length >= o.limit) continue;
        out.push({
          itemId: at.pack.itemIds[at.j] as string,
          score: 0.1 / (1 + k),
          reasons: [{ kind: 'first-look', category }],
        });
      }
    return out;
  }

  /** The most popular items per aisle, interleaved so every aisle with data is represented. */
  popular(o: RecommendOptions, seen: Set<string>, taken: Set<string>): Recommendation[] {
    const perAisle: Recommendation[][] = [];
    for (const pack of this.packs) {
      if (!hasInteractions(pack)) continue; // no popularity to speak of
      const excluded = this.excluded(pack, o, seen);
      taken.forEach((id) => {
        const loc = this.where.get(id);
        if (loc?.pack === pack) excluded[loc.index] = 1;
      });
      const counts = pack.neighbours.itemCount;
      const max = arrayMax(counts, 1); // not Math.max(...counts): a spread of every item overflows a worker's stack
      const top = topK(counts, o.limit, excluded, this.tieFor(pack));
      const byAisle = new Map<string, Recommendation[]>();
      for (const j of top) {
        if (!counts[j]) continue; // nobody chose it: not popular ("chosen by 0" is no reason); first-look fills in
        const aisle = pack.aisleOf[j] as string;
        const list = byAisle.get(aisle) ?? [];
        list.push({
          itemId: pack.itemIds[j] as string,
          score: ((counts[j] as number) / max) * 0.5,
          reasons: [{ kind: 'popular', aisle, users: counts[j] as number, interaction: pack.kind }],
        });
        byAisle.set(aisle, list);
      }
      perAisle.push(...byAisle.values());
    }
    const out: Recommendation[] = [];
    for (let k = 0; out.length < o.limit && perAisle.some((l) => l.length > k); k++)
      for (const l of perAisle) if (l[k] && out.length < o.limit) out.push(l[k] as Recommendation);
    return out;
  }

  /** Mask of items of `pack` that must not be shown: seen, excluded, or outside the aisle filter. */
  excluded(pack: PackInteractions, o: RecommendOptions, seen: Set<string>): Uint8Array {
    const mask = new Uint8Array(pack.itemIds.length);
    // Walk the (short) id lists, not the pack's items: thousands of string lookups per request otherwise.
    for (const ids of [seen, o.exclude])
      for (const id of ids) {
        const loc = this.where.get(id);
        if (loc?.pack === pack) mask[loc.index] = 1;
      }
    if (o.aisle !== undefined)
      pack.aisleOf.forEach((a, i) => {
        if (a !== o.aisle) mask[i] = 1;
      });
    if (pack.merch) maskSteered(pack.merch, pack.itemIds, o.steering ?? {}, mask);
    return mask;
  }

  tieFor(pack: PackInteractions): Int32Array {
    return this.tie.get(pack.packId) as Int32Array;
  }

  /** Maximal marginal relevance: trade relevance for dissimilarity to what is already picked. */
  private diversify<T extends Recommendation>(candidates: T[], o: RecommendOptions): T[] {
    const pool = [...candidates].sort((a, b) => b.score - a.score);
    if (o.diversity <= 0) return pool.slice(0, o.limit);
    const lambda = 1 - Math.min(1, o.diversity);
    const maxScore = pool[0]?.score || 1;
    const picked: T[] = [];
    const simToPicked = new Float32Array(pool.length);
    const used = new Uint8Array(pool.length);
    while (picked.length < o.limit && picked.length < pool.length) {
      let best = -1;
      let bestValue = -Infinity;
      pool.forEach((c, k) => {
        if (used[k]) return;
        const value = lambda * (c.score / maxScore) - (1 - lambda) * (simToPicked[k] as number);
        if (value > bestValue) {
          bestValue = value;
          best = k;
        }
      });
      if (best < 0) break;
      used[best] = 1;
      const chosen = pool[best] as T;
      picked.push(chosen);
      pool.forEach((c, k) => {
        if (!used[k]) simToPicked[k] = Math.max(simToPicked[k] as number, this.similarity(chosen.itemId, c.itemId));
      });
    }
    return picked;
  }

  /** Item-item similarity; items of different packs share nothing, items of one aisle a little. */
  private similarity(a: string, b: string): number {
    const la = this.where.get(a);
    const lb = this.where.get(b);
    if (!la || !lb || la.pack !== lb.pack) return 0;
    const c = contentOnly(la.pack);
    const s = c
      ? Math.max(0, cosine(c.vectors, c.dims, la.index, lb.index))
      : la.pack.neighbours.similarity(la.index, lb.index);
    return Math.max(s, la.pack.aisleOf[la.index] === lb.pack.aisleOf[lb.index] ? 0.05 : 0);
  }
}
