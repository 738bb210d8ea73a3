/**
 * The recommenders' evaluation protocol's parts (see docs/models.md "Evaluation"): the rankers each model is scored
 * as, blends of them, the strongest closed-form peer (EASE), and another pack's rows beside MovieLens. Plain
 * functions over splits and weights; RecommendService.evaluate runs them.
 */
import {
  evaluateRankers,
  leaveLastOut,
  userOfQuery,
  type Ranker,
  type RankingRow,
  type RankingSplit,
} from '../eval/ranking';
import { bprScores, trainBpr, type BprConfig, type BprWeights } from './bpr';
import { contentScores } from './content';
import { evidenceScores } from './evidence';
import type { ItemSpace } from './item-space';
import type { EvalData, OtherEvalData } from './pack-data';
import { foldIn } from './fold-in';
import { knnHistoryRanker, knnLastItemRanker, knnRecentRanker, popularityRanker } from './baselines';
import { matrixNeighbourhood } from '../shared/neighbourhood';
import { servedWeights, type ForYouWeights } from './blend-config';
import { jaccardDistance } from '../eval/metrics';
import { throwIfCancelled } from '../runtime/jobs';
import { easeScores, trainEase, type EaseWeights } from './ease';
import type { NextItemScorer } from './sequential-scorer';
import { RECENT_KNN, standardize } from './recommender';

/** The BPR (trained user vectors) + recent-kNN blend; the sequential model is added in a second row. */
export const HYBRID_NAME = 'hybrid: BPR-MF + item-kNN (last 5)';

/**
 * What "For you" serves for movies (Recommender.personalScores): the shopper has no trained user vector, so the
 * BPR part is folded in from the history, as it is for the shopper.
 */
export const forYouName = (w: ForYouWeights): string =>
  `For you as served: item-kNN (last 5) × ${w.knn} + BPR-MF folded in × ${w.bpr} + sequential × ${w.sequential}`;

/**
 * BPR-MF for the Superstore orders' evaluation rows: the best of a small sweep (8/16/32-d, L2 1e-3 to 3e-2, 10 to 60
 * epochs; HR@10 0.002 to 0.017 against 0.005 for a random ranking), whose lead did not survive another seed
 * (docs/models.md "Evaluation"), so its rows average ORDERS_SEEDS trainings. Each is trained within the evaluation and is not
 * cancellable meanwhile (the evaluation is, between users).
 */
export const ORDERS_BPR: BprConfig = { dim: 16, epochs: 30, batchSize: 2048, learningRate: 0.01, l2: 1e-2, seed: 11 };
export const ORDERS_SEEDS = [11, 12, 13];

/** Evaluation options whose progress callback reports 0..1 as from..to of `onProgress` (none without one). */
export function progressWithin(
  onProgress: ((fraction: number, model: string) => void) | undefined,
  from: number,
  to: number,
): { onProgress?: (fraction: number, model: string) => void } {
  return onProgress ? { onProgress: (f, m) => onProgress(from + f * (to - from), m) } : {};
}

/**
 * One row averaging rows of the same model (e.g. trained with different seeds); time is the total; each user's
 * NDCG@10 averaged over the rows (the same users in every row), for a paired comparison over users and seeds.
 */
export function meanRow(model: string, rows: RankingRow[]): RankingRow {
  const mean = (f: (r: RankingRow) => number) => rows.reduce((a, r) => a + f(r), 0) / rows.length;
  const perUser = rows.every((r) => r.perUser && r.perUser.length === rows[0]?.perUser?.length)
    ? (rows[0]?.perUser ?? []).map((_, u) => mean((r) => r.perUser?.[u] as number))
    : undefined;
  return {
    ...(perUser ? { perUser } : {}),
    model,
    users: rows[0]?.users ?? 0,
    hr10: mean((r) => r.hr10),
    ndcg10: mean((r) => r.ndcg10),
    recall20: mean((r) => r.recall20),
    mrr: mean((r) => r.mrr),
    coverage10: mean((r) => r.coverage10),
    diversity10: mean((r) => r.diversity10),
    ms: rows.reduce((a, r) => a + r.ms, 0),
  };
}

/** Ratings at or below which a held-out movie counts as long tail in the evaluation's extra rows. */
export const RARE = 5;

/** EASE's lambdas tried on the validation split, and the fewest training ratings of a movie in its solve. */
export const EASE_LAMBDAS = [50, 150, 400, 1000];
export const EASE_MIN_COUNT = 10;

/** EASE scoring each user's training items. */
export function easeRanker(w: EaseWeights): Ranker {
  return { name: 'EASE', score: (u, split, out) => void easeScores(w, split.sequences[u] ?? [], out) };
}

/** The sequential model reading each user's last training items. */
export function sequentialRanker(s: NextItemScorer): Ranker {
  return {
    name: `sequential: self-attention (${s.w.blocks} block${s.w.blocks === 1 ? '' : 's'}, last ${s.w.maxLen})`,
    score: (u, split, out) => {
      s.scores(split.sequences[u] ?? [], out);
    },
  };
}

/** BPR-MF as trained, and as folded in from the history alone (what a shopper gets). */
export function bprRankers(w: BprWeights): Ranker[] {
  const userVec = (u: number) => w.user.subarray(u * w.dim, (u + 1) * w.dim);
  return [
    { name: 'BPR-MF', score: (u, split, out) => void bprScores(w, userVec(userOfQuery(split, u)), out) },
    {
      name: 'BPR-MF (folded in)',
      score: (u, split, out) =>
        void bprScores(
          w,
          foldIn(
            w.item,
            w.dim,
            (split.sequences[u] ?? []).map((item) => ({ item, weight: 1 })),
          ).user,
          out,
        ),
    },
  ];
}

/** For you's blend of its three parts (as Recommender.personalScores serves it), weighted by `w`. */
export function forYouBlend(
  name: string,
  w: ForYouWeights,
  parts: { knn: Ranker; bpr: Ranker; sequential: Ranker },
): Ranker {
  return blendRanker(name, [
    { ranker: parts.knn, weight: w.knn },
    { ranker: parts.bpr, weight: w.bpr },
    { ranker: parts.sequential, weight: w.sequential },
  ]);
}

/** A blend: each part's scores standardised over the items, weighted and added. */
export function blendRanker(name: string, parts: { ranker: Ranker; weight: number }[]): Ranker {
  let scratch = new Float32Array(0);
  return {
    name,
    score: (u, split, out) => {
      if (scratch.length !== out.length) scratch = new Float32Array(out.length);
      out.fill(0);
      for (const { ranker, weight } of parts) {
        if (!weight) continue;
        ranker.score(u, split, scratch);
        standardize(scratch);
        for (let j = 0; j < out.length; j++) out[j] = (out[j] as number) + weight * (scratch[j] as number);
      }
    },
  };
}

/**
 * EASE, the strongest closed-form peer: lambda chosen on the validation split (EASE_LAMBDAS), then solved on the
 * training split, over the movies with EASE_MIN_COUNT+ training ratings (the full 9,066-movie solve does not fit a
 * visit: docs/models.md "Evaluation").
 */
export async function easePeer(
  splits: { validation: RankingSplit; test: RankingSplit },
  checkCancelled: () => void,
  progress: { onProgress?: (fraction: number, model: string) => void },
): Promise<Ranker> {
  const solves = EASE_LAMBDAS.length + 1;
  const onSolve = (k: number) => (f: number) =>
    progress.onProgress?.((k + f) / solves, `EASE (solve ${k + 1} of ${solves})`);
  const lambda = await chooseEaseLambda(splits.validation, checkCancelled, onSolve);
  const w = await trainEase(
    splits.test.train,
    { lambda, minCount: EASE_MIN_COUNT },
    { checkCancelled, onProgress: onSolve(EASE_LAMBDAS.length) },
  );
  return {
    ...easeRanker(w),
    name:
      `EASE (lambda ${lambda}, chosen on validation; the ${w.items.length.toLocaleString('en')} movies with ` +
      `${EASE_MIN_COUNT}+ ratings, solved in ${w.solveSeconds.toFixed(0)} s)`,
  };
}

/** EASE's lambda: the best of EASE_LAMBDAS by NDCG@10 on a validation split (solve k's progress to `onSolve(k)`). */
export async function chooseEaseLambda(
  valid: RankingSplit,
  checkCancelled: () => void,
  onSolve?: (k: number) => (fraction: number) => void,
): Promise<number> {
  let best = { lambda: EASE_LAMBDAS[0] as number, ndcg: -1 };
  for (const [k, lambda] of EASE_LAMBDAS.entries()) {
    const w = await trainEase(
      valid.train,
      { lambda, minCount: EASE_MIN_COUNT },
      { checkCancelled, ...(onSolve ? { onProgress: onSolve(k) } : {}) },
    );
    const [row] = await evaluateRankers([easeRanker(w)], valid, { seed: 2024, distance: () => 0, checkCancelled });
    if ((row?.ndcg10 ?? 0) > best.ndcg) best = { lambda, ndcg: row?.ndcg10 ?? 0 };
  }
  return best.lambda;
}

/**
 * The pack's item space from each user's last item; "Similar items" from it (kNN and the item space by evidence);
 * and the same blend from the whole history (what For you serves for a pack with no trained model). None without
 * an item space.
 */
export function spaceRankers(space: ItemSpace | undefined): Ranker[] {
  if (!space) return [];
  const last = (split: RankingSplit, u: number) => {
    const item = split.sequences[u]?.at(-1);
    return item === undefined ? [] : [{ item, weight: 1 }];
  };
  return [
    {
      name: 'item space (last item)',
      score: (u, split, out) => void contentScores(space.vectors, space.dims, last(split, u), out),
    },
    {
      name: 'Similar items: item-kNN + item space by evidence (last item)',
      score: (u, split, out) => void evidenceScores(matrixNeighbourhood(split.train), space, last(split, u), out),
    },
    {
      name: 'item-kNN + item space by evidence (whole history)',
      score: (u, split, out) =>
        void evidenceScores(
          matrixNeighbourhood(split.train),
          space,
          (split.sequences[u] ?? []).map((item) => ({ item, weight: 1 })),
          out,
        ),
    },
  ];
}

/**
 * Another pack under the same protocol (each customer's last purchase by time held out): the baselines and
 * BPR-MF trained on its training split for this run (seconds), as trained and folded in, each the mean over
 * ORDERS_SEEDS trainings. Rows end in [pack name].
 */
export async function evaluateOther(
  x: OtherEvalData,
  space: ItemSpace | undefined,
  o: Parameters<typeof evaluateRankers>[2],
  job: { jobId: string; signal: AbortSignal },
): Promise<RankingRow[]> {
  const split = leaveLastOut(x.user, x.item, x.timestamp, x.numUsers, x.numItems);
  const bpr: Ranker[][] = [];
  for (const [k, seed] of ORDERS_SEEDS.entries()) {
    o.checkCancelled?.();
    // The trainings take the first half of this pack's share of the progress bar; its rankers the second.
    o.onProgress?.(
      k / (2 * ORDERS_SEEDS.length),
      `BPR-MF on the ${x.name} orders (training ${k + 1} of ${ORDERS_SEEDS.length})`,
    );
    const r = await trainBpr(
      split.train,
      { ...ORDERS_BPR, seed },
      job, // the evaluation's own job: cancelling it stops these trainings too
    );
    bpr.push(bprRankers(r.weights));
  }
  const baselines = [
    popularityRanker,
    knnHistoryRanker,
    knnLastItemRanker,
    knnRecentRanker(RECENT_KNN.n, RECENT_KNN.decay),
    ...spaceRankers(space),
  ];
  const rows = await evaluateRankers([...baselines, ...bpr.flat()], split, {
    ...o,
    ...progressWithin(o.onProgress, 0.5, 1),
    distance: (a, b) => (x.category[a] === x.category[b] ? 0 : 1),
  });
  // The BPR rows come seed by seed, each seed's rankers in the same order: average each ranker over the seeds.
  const kinds = bpr[0] ?? [];
  const bprRows = rows.slice(baselines.length);
  return [
    ...rows.slice(0, baselines.length),
    ...kinds.map((ranker, k) =>
      meanRow(
        `${ranker.name}, mean of ${ORDERS_SEEDS.length} seeds`,
        bprRows.filter((_, i) => i % kinds.length === k),
      ),
    ),
  ].map((r) => ({ ...r, model: `${r.model} [${x.name}]` }));
}

/** What the evaluation is run over: the factor pack's log and splits, the models in service, the other packs. */
export interface Evaluated {
  data: EvalData;
  split: RankingSplit;
  /** The validation split (built on first use: only EASE's lambda is chosen on it here). */
  validation: () => RankingSplit;
  bpr: BprWeights | null;
  bprHybrid: BprWeights | null;
  sequential: NextItemScorer | null;
  others: OtherEvalData[];
  spaceOf: (packId: string) => ItemSpace | undefined;
}

/**
 * MovieLens, leave-last-out, all models in one run (see docs/models.md "Evaluation"). `peers`: EASE too (its lambda
 * chosen on the validation split), a minute or more of solving on WASM.
 */
export async function evaluateAll(
  m: Evaluated,
  onProgress?: (fraction: number, model: string) => void,
  job?: { jobId: string; signal: AbortSignal },
  options: { peers?: boolean } = {},
): Promise<RankingRow[]> {
  const { jobId, signal } = job ?? { jobId: 'evaluation', signal: new AbortController().signal };
  const checkCancelled = () => throwIfCancelled(signal, jobId);
  const { data: d, split } = m;
  const recent = knnRecentRanker(RECENT_KNN.n, RECENT_KNN.decay);
  const rankers: Ranker[] = [
    popularityRanker,
    knnHistoryRanker,
    knnLastItemRanker,
    recent,
    ...spaceRankers(m.spaceOf(d.packId)),
  ];
  const w = m.bpr;
  const wh = m.bprHybrid;
  const seq = m.sequential ? sequentialRanker(m.sequential) : null;
  // On the long tail: users whose held-out movie had at most RARE ratings in training.
  const rare: Ranker[] = [];
  if (w && wh) {
    const [trained, folded] = bprRankers(w) as [Ranker, Ranker];
    const hybridItemsRanker: Ranker = {
      name: 'BPR-MF, hybrid item vectors',
      score: (u, split, out) => {
        const user = userOfQuery(split, u);
        bprScores(wh, wh.user.subarray(user * wh.dim, (user + 1) * wh.dim), out);
      },
    };
    const bprKnn = [
      { ranker: hybridItemsRanker, weight: 1 },
      { ranker: recent, weight: 1 },
    ];
    rankers.push(trained, folded, hybridItemsRanker, blendRanker(HYBRID_NAME, bprKnn));
    if (seq) {
      const fw = servedWeights(m.sequential as NextItemScorer);
      rankers.push(
        seq,
        blendRanker(`${HYBRID_NAME} + sequential`, [...bprKnn, { ranker: seq, weight: 1 }]),
        forYouBlend(forYouName(fw), fw, { knn: recent, bpr: bprRankers(wh)[1] as Ranker, sequential: seq }),
      );
    }
    rare.push(trained, hybridItemsRanker);
  } else if (seq) rankers.push(seq);
  // Progress: EASE's solves 0-0.4 when asked for; then MovieLens, its long tail and the other packs.
  const peers = options.peers ? 0.4 : 0;
  if (options.peers)
    rankers.push(
      await easePeer({ validation: m.validation(), test: split }, checkCancelled, progressWithin(onProgress, 0, peers)),
    );
  const o = {
    seed: 2024,
    distance: (a: number, b: number) => jaccardDistance(d.tags[a] ?? [], d.tags[b] ?? []),
    checkCancelled,
  };
  // MovieLens 0-0.8, its long tail 0.8-0.9, the other packs 0.9-1 of what remains.
  const part = (from: number, to: number) =>
    progressWithin(onProgress, peers + from * (1 - peers), peers + to * (1 - peers));
  const all = await evaluateRankers(rankers, split, { ...o, ...part(0, 0.8) });
  const counts = split.train.itemCount;
  const tail: RankingSplit = {
    ...split,
    heldOut: split.heldOut.map((i) => (i >= 0 && (counts[i] as number) <= RARE ? i : -1)),
  };
  const rows = rare.length ? await evaluateRankers(rare, tail, { ...o, ...part(0.8, 0.9) }) : [];
  const others: RankingRow[] = [];
  for (const [k, x] of m.others.entries()) {
    const n = m.others.length;
    const share = part(0.9 + (0.1 * k) / n, 0.9 + (0.1 * (k + 1)) / n);
    others.push(...(await evaluateOther(x, m.spaceOf(x.packId), { ...o, ...share }, { jobId, signal })));
  }
  return [
    ...all,
    ...rows.map((r) => ({ ...r, model: `${r.model} [held-out movie rated by ≤ ${RARE} users]` })),
    ...others,
  ];
}
