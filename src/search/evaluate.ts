/**
 * Search relevance without human judgments, as known-item search: queries made from items' titles (exact, with
 * one or two typos, the first half typed so far when at most 10 titles start so, the words reordered) and from category names (any item of the
 * category counts). Items and categories are split in two: tuning queries choose the fusion, test queries measure.
 */
import { HushCartError } from '../errors';
import { yieldToLoop } from '../runtime/jobs';
import { mulberry32 } from '../runtime/random';
import type { SearchMode } from './contract';
import { type Fusion } from './fusion';
import { SearchService, type SearchItem } from './service';
import { terms } from '../shared/text';
import { typoBudget } from '../shared/typo';

export const QUERY_KINDS = ['exact title', 'one typo', 'two typos', 'first half', 'reordered', 'category'] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

export interface KnownItemQuery {
  kind: QueryKind;
  aisle: string;
  query: string;
  /** Whether a result answers it: the same title (identical titles cannot be told apart), or of the category. */
  relevant: (it: SearchItem) => boolean;
}

export interface SearchEvalRow {
  mode: SearchMode;
  aisle: string;
  kind: QueryKind;
  queries: number;
  successAt1: number;
  successAt10: number;
  mrrAt10: number;
}

export interface SearchEvaluation {
  /** The fusion chosen on the tuning queries (by mean MRR@10), and each candidate's tuning MRR@10. */
  chosen: Fusion;
  tuning: { fusion: Fusion; mrrAt10: number }[];
  /** Test queries: keyword alone, semantic alone and fused (the chosen fusion), per aisle and query kind. */
  rows: SearchEvalRow[];
  /** Per mode over all test queries. */
  overall: { mode: SearchMode; queries: number; successAt1: number; successAt10: number; mrrAt10: number }[];
}

export const FUSION_CANDIDATES: Fusion[] = [
  ...[0.05, 0.1, 0.2, 0.3, 0.5, 1].map((semantic) => ({ kind: 'weighted', semantic }) as Fusion),
  { kind: 'rrf', k: 10 },
  { kind: 'rrf', k: 60 },
];

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** One typo of a word: a letter replaced, dropped, added, or two neighbours swapped (as a shopper types them). */
export function typo(word: string, rand: () => number): string {
  const c = [...word];
  const at = Math.floor(rand() * c.length);
  const letter = () => {
    let l = LETTERS[Math.floor(rand() * 26)] as string;
    while (l === c[at]) l = LETTERS[Math.floor(rand() * 26)] as string;
    return l;
  };
  switch (Math.floor(rand() * 4)) {
    case 0:
      c[at] = letter();
      break;
    case 1:
      c.splice(at, 1);
      break;
    case 2:
      c.splice(at, 0, letter());
      break;
    default: {
      const i = Math.min(at, c.length - 2);
      if (c[i] === c[i + 1]) c[i] = letter();
      else [c[i], c[i + 1]] = [c[i + 1] as string, c[i] as string];
    }
  }
  return c.join('');
}

/**
 * A title with `n` typos placed where the typo rules allow them (a word of 4+ letters takes one, 8+ two); null
 * when the title has no room for them.
 */
function withTypos(title: string, n: 1 | 2, rand: () => number): string | null {
  const words = terms(title);
  const budget = words.map((w) => typoBudget(w));
  const slots = budget.flatMap((b, i) => Array.from({ length: b }, () => i));
  if (slots.length < n) return null;
  const picked = new Map<number, number>();
  const order = slots.map((s) => ({ s, r: rand() })).sort((a, b) => a.r - b.r);
  // Two typos: in one long word when there is one, else one each in two words.
  const long = budget.findIndex((b) => b === 2);
  if (n === 2 && long >= 0) picked.set(long, 2);
  else for (const { s } of order) if (picked.size < n && !picked.has(s)) picked.set(s, 1);
  if ([...picked.values()].reduce((a, b) => a + b, 0) < n) return null;
  return words
    .map((w, i) => {
      let out = w;
      for (let k = 0; k < (picked.get(i) ?? 0); k++) out = typo(out, rand);
      return out;
    })
    .join(' ');
}

/** The tuning and test queries: per aisle, `perAisle` items each (disjoint), and the categories split in two. */
export function knownItemQueries(
  items: SearchItem[],
  perAisle: number,
  seed = 7,
): { tune: KnownItemQuery[]; test: KnownItemQuery[] } {
  const rand = mulberry32(seed);
  const tune: KnownItemQuery[] = [];
  const test: KnownItemQuery[] = [];
  const aisles = [...new Set(items.map((i) => i.aisle))];
  const lowerTitles = items.map((i) => i.title.toLowerCase());
  for (const aisle of aisles) {
    const inAisle = items.filter((i) => i.aisle === aisle);
    const shuffled = inAisle.map((it) => ({ it, r: rand() })).sort((a, b) => a.r - b.r);
    shuffled.slice(0, 2 * perAisle).forEach(({ it }, k) => {
      const into = k % 2 ? tune : test;
      const sameTitle = (x: SearchItem) => x.title === it.title;
      const add = (kind: QueryKind, query: string | null) => {
        if (query && terms(query).length) into.push({ kind, aisle, query, relevant: sameTitle });
      };
      const words = terms(it.title);
      add('exact title', it.title);
      add('one typo', withTypos(it.title, 1, rand));
      add('two typos', withTypos(it.title, 2, rand));
      // Only a distinctive half: one that at most 10 titles start with (no ranking can tell 1,000 "Ankle boo"s apart).
      const half = it.title.slice(0, Math.ceil(it.title.length / 2));
      const lower = half.toLowerCase();
      if (lowerTitles.filter((t) => t.startsWith(lower)).length <= 10) add('first half', half);
      if (words.length >= 2)
        add(
          'reordered',
          words
            .map((w) => ({ w, r: rand() }))
            .sort((a, b) => a.r - b.r)
            .map((x) => x.w)
            .join(' '),
        );
    });
    // Category names and sub-categories (tags) with at least 5 items: any item of it answers.
    const counts = new Map<string, number>();
    for (const it of inAisle)
      for (const c of new Set([it.category, ...(it.tags ?? [])].filter((c): c is string => !!c)))
        counts.set(c, (counts.get(c) ?? 0) + 1);
    [...counts]
      .filter(([, n]) => n >= 5)
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .forEach(([c], k) =>
        (k % 2 ? tune : test).push({
          kind: 'category',
          aisle,
          query: c,
          relevant: (x) => x.category === c || !!x.tags?.includes(c),
        }),
      );
  }
  return { tune, test };
}

const rankOfFirstRelevant = (s: SearchService, q: KnownItemQuery, docs: number[]): number => {
  for (let r = 0; r < Math.min(10, docs.length); r++)
    if (q.relevant(s.item(docs[r] as number) as SearchItem)) return r + 1;
  return 0;
};

function summarise(ranks: number[]) {
  const n = ranks.length || 1;
  return {
    queries: ranks.length,
    successAt1: ranks.filter((r) => r === 1).length / n,
    successAt10: ranks.filter((r) => r > 0).length / n,
    mrrAt10: ranks.reduce((a, r) => a + (r ? 1 / r : 0), 0) / n,
  };
}

/**
 * The Search evaluation over the service's items (built already). Yields to the event loop every 50 queries so
 * progress and a cancel (`signal`) get through.
 */
export async function evaluateSearch(
  s: SearchService,
  items: SearchItem[],
  o: { perAisle?: number; onProgress?: (f: number) => void; signal?: AbortSignal } = {},
): Promise<SearchEvaluation> {
  const { tune, test } = knownItemQueries(items, o.perAisle ?? 100);
  const total = tune.length + test.length;
  let done = 0;
  const tick = async () => {
    done++;
    if (done % 50) return;
    o.onProgress?.(done / total);
    await yieldToLoop();
    if (o.signal?.aborted) throw new HushCartError('engine/cancelled', 'the search evaluation was cancelled');
  };
  // Tuning: every candidate fusion on the same retrieved lists.
  const tuneRanks = FUSION_CANDIDATES.map(() => [] as number[]);
  for (const q of tune) {
    const r = s.retrieve(q.query);
    FUSION_CANDIDATES.forEach((f, k) =>
      tuneRanks[k]?.push(
        rankOfFirstRelevant(
          s,
          q,
          SearchService.rank(r, 'fused', f).map((x) => x.doc),
        ),
      ),
    );
    await tick();
  }
  const tuning = FUSION_CANDIDATES.map((fusion, k) => ({ fusion, mrrAt10: summarise(tuneRanks[k] ?? []).mrrAt10 }));
  const chosen = [...tuning].sort((a, b) => b.mrrAt10 - a.mrrAt10)[0]?.fusion as Fusion;
  const modes: SearchMode[] = ['keyword', 'semantic', 'fused'];
  const ranks = new Map<string, number[]>();
  const push = (key: string, r: number) => {
    const l = ranks.get(key);
    if (l) l.push(r);
    else ranks.set(key, [r]);
  };
  for (const q of test) {
    const r = s.retrieve(q.query);
    for (const mode of modes) {
      const rank = rankOfFirstRelevant(
        s,
        q,
        SearchService.rank(r, mode, chosen).map((x) => x.doc),
      );
      push(`${mode}|${q.aisle}|${q.kind}`, rank);
      push(mode, rank);
    }
    await tick();
  }
  const aisles = [...new Set(test.map((q) => q.aisle))];
  const rows: SearchEvalRow[] = [];
  for (const mode of modes)
    for (const aisle of aisles)
      for (const kind of QUERY_KINDS) {
        const l = ranks.get(`${mode}|${aisle}|${kind}`);
        if (l) rows.push({ mode, aisle, kind, ...summarise(l) });
      }
  return { chosen, tuning, rows, overall: modes.map((mode) => ({ mode, ...summarise(ranks.get(mode) ?? []) })) };
}
