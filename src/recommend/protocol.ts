/**
 * The recommendation quality protocol (docs/models.md "Quality protocol"): what a claim about the sequential model and For
 * you rests on, run in the engine worker by the Lab and by `npm run bench` alike.
 *
 * 1. Validation: each user's last `validationLast` training transitions, each ranked from its own prefix. The
 *    recipe is trained once per validation seed on the rest, validated as it goes; the epoch count is the peak of
 *    the curve averaged over those seeds (one seed's peak is sharp and noisy).
 * 2. For you's weights: a coarse grid scored on the same validation queries with each validation seed's model at
 *    that epoch (per-user scores averaged over the seeds); the choice is cross-fitted over users (chosen on one half,
 *    scored on the other, swapped) to say what it is worth without flattering it, then made on all users.
 * 3. Test: for each test protocol, the recipe trained afresh on the whole training split for the chosen number of
 *    epochs, once per test seed; the sequential model alone and For you as served scored per seed (mean, standard
 *    deviation, every value); EASE (lambda chosen on validation) and a peer recipe (SASRec-CE) beside them; each
 *    ratio of mean NDCG@10 with its paired bootstrap 95% interval over users, per-user scores averaged over seeds.
 */
import { evaluateRankers, holdOutLast, trainingSequences, userSequences, validationSplit } from '../eval/ranking';
import type { Ranker, RankingRow, RankingSplit } from '../eval/ranking';
import { pairedBootstrapRatio } from '../eval/bootstrap';
import type { InteractionMatrix } from '../shared/interactions';
import { throwIfCancelled } from '../runtime/jobs';
import { keepBestEpoch } from '../runtime/epochs';
import type { ProgressCallback } from '../runtime/types';
import { knnRecentRanker } from './baselines';
import type { BprWeights } from './bpr';
import { crossFit, scoreGrid, weightGrid, type GridScores } from './blend-search';
import { weightsOf } from './blend-config';
import {
  chooseEaseLambda,
  easeRanker,
  EASE_MIN_COUNT,
  bprRankers,
  forYouBlend,
  meanRow,
  sequentialRanker,
} from './evaluation';
import { trainEase } from './ease';
import { RECENT_KNN } from './recommender';
import {
  ensembleOf,
  trainEnsemble,
  trainSequential,
  type SequentialConfig,
  type SequentialWeights,
} from './sequential';
import { scorerOf, SequentialEnsemble, SequentialScorer } from './sequential-scorer';
import {
  PROTOCOL_GRID,
  TIE_SEED,
  type ProtocolOptions,
  type ProtocolReport,
  type ProtocolRow,
  type ProtocolTest,
  seedSpread,
  type ValidationCurve,
} from './protocol-config';

export * from './protocol-config';

/** What the protocol runs over. */
export interface ProtocolData {
  log: { user: ArrayLike<number>; item: ArrayLike<number>; timestamp: ArrayLike<number>; numUsers: number };
  numItems: number;
  /** BPR-MF with hybrid item vectors trained on a training matrix (For you's folded-in part). */
  trainBpr: (train: InteractionMatrix) => Promise<BprWeights>;
  jobId: string;
  signal: AbortSignal;
  onProgress?: ProgressCallback;
}

/** One model's rows over seeds as a protocol row. */
export function protocolRow(model: string, rows: RankingRow[]): ProtocolRow {
  const mean = meanRow(model, rows);
  return {
    model,
    ndcg10: seedSpread(rows.map((r) => r.ndcg10)),
    hr10: seedSpread(rows.map((r) => r.hr10)),
    users: mean.users,
    queries: rows[0]?.queries ?? mean.users,
    perUser: mean.perUser ?? [],
  };
}

/** The mean curve over seeds, at the epochs every seed validated; its peak is the epoch count. */
export function meanCurve(curves: { epoch: number; score: number }[][]): { epoch: number; score: number }[] {
  const first = curves[0] ?? [];
  return first
    .filter((p) => curves.every((c) => c.some((q) => q.epoch === p.epoch)))
    .map((p) => ({
      epoch: p.epoch,
      score: curves.reduce((a, c) => a + (c.find((q) => q.epoch === p.epoch)?.score ?? 0), 0) / curves.length,
    }));
}

const NAMES = {
  sequential: 'sequential (the recipe)',
  served: 'For you as served',
  peer: 'SASRec-CE (peer)',
  ease: 'EASE',
} as const;

/** Runs the protocol (see the top of this file). Long: minutes per training; cancellable between steps. */
export async function runProtocol(o: ProtocolOptions, data: ProtocolData): Promise<ProtocolReport> {
  const t0 = performance.now();
  const check = () => throwIfCancelled(data.signal, data.jobId);
  const progress = planProgress(o, data);
  const { log, numItems } = data;
  const base = userSequences(log.user, log.item, log.timestamp, log.numUsers);
  const mainSplit = holdOutLast(base, numItems, 1);
  const valid = validationSplit(mainSplit, o.validationLast);
  // Every ranking here: the evaluation's tie order, NDCG@10 and HR@10 only.
  const score = (rankers: Ranker[], split: RankingSplit) =>
    evaluateRankers(rankers, split, { seed: 2024, distance: () => 0, checkCancelled: check });
  const validate = async (w: SequentialWeights) =>
    (await score([sequentialRanker(scorerOf(w))], valid))[0]?.ndcg10 ?? 0;
  // 1. Validation curves: the recipe's (keeping each seed's weights per epoch for the blend) and the peer's.
  const recipeCurve = await curveOf('recipe', o.recipe, o.validationSeeds, o.epochs?.recipe, valid, validate, {
    ...data,
    progress,
    keep: true,
  });
  const peerCurve = o.peer
    ? await curveOf('peer', o.peer, o.validationSeeds, o.epochs?.peer, valid, validate, { ...data, progress })
    : null;
  // 2. For you's weights on the validation queries, from each validation seed's model at the chosen epoch (or
  // weights given in advance).
  check();
  const models = recipeCurve.kept.length
    ? recipeCurve.kept
    : o.blend
      ? []
      : [await trainOnce(o.recipe, o.validationSeeds[0] ?? 1, recipeCurve.report.epochs, valid, { ...data, progress })];
  const recent = knnRecentRanker(RECENT_KNN.n, RECENT_KNN.decay);
  const blend = o.blend
    ? givenBlend(o.blend)
    : await chooseBlend(o, models, valid, { ...data, recent, check, progress });
  // Model averaging, a lever: the validation seeds' models at that epoch served as one, on the validation queries.
  const ensemble = models.length > 1 ? await score([sequentialRanker(scorerOf(ensembleOf(models)))], valid) : [];
  // 3. The tests.
  let easeLambda: number | null = null;
  const tests: ProtocolTest[] = [];
  for (const protocol of o.protocols) {
    const split =
      protocol === 'leave-last-out'
        ? mainSplit
        : protocol === 'leave-last-5-out'
          ? holdOutLast(base, numItems, 5)
          : holdOutLast(
              userSequences(log.user, log.item, log.timestamp, log.numUsers, { tieSeed: TIE_SEED }),
              numItems,
            );
    progress.phase(`${protocol}: BPR-MF for For you`);
    const bpr = await data.trainBpr(split.train);
    const rows: ProtocolRow[] = [];
    // The recipe as served, and, for an ensemble, its first 1 .. k-1 models alone (the lever, paired).
    const served: Record<string, RankingRow[]> = {};
    for (const seed of o.testSeeds) {
      progress.phase(`${protocol}: the recipe, seed ${seed}`);
      const w = await trainOnce(o.recipe, seed, recipeCurve.report.epochs, split, { ...data, progress });
      const forYou = (name: string, seq: Ranker) =>
        forYouBlend(name, weightsOf(blend.chosen), { knn: recent, bpr: bprRankers(bpr)[1] as Ranker, sequential: seq });
      // One scorer per model, shared by the ensemble and its parts: each model's states are computed once.
      const each = [w, ...(w.members ?? [])].map((m) => new SequentialScorer(m));
      const of = (k: number) => (k === 1 ? (each[0] as SequentialScorer) : new SequentialEnsemble(each.slice(0, k)));
      const seq = sequentialRanker(of(each.length));
      const rankers = [{ ...seq, name: NAMES.sequential }, forYou(NAMES.served, seq)];
      for (let k = 1; k < each.length; k++) {
        const part = sequentialRanker(of(k));
        rankers.push({ ...part, name: partName(NAMES.sequential, k) });
        if (k === 1) rankers.push(forYou(partName(NAMES.served, k), part));
      }
      for (const r of await score(rankers, split)) (served[r.model] ??= []).push(r);
    }
    rows.push(...Object.entries(served).map(([name, r]) => protocolRow(name, r)));
    if (o.peer && peerCurve) {
      const peerRows: RankingRow[] = [];
      for (const seed of o.testSeeds) {
        progress.phase(`${protocol}: SASRec-CE, seed ${seed}`);
        const w = await trainOnce(o.peer, seed, peerCurve.report.epochs, split, { ...data, progress });
        peerRows.push((await score([sequentialRanker(scorerOf(w))], split))[0] as RankingRow);
      }
      rows.push(protocolRow(NAMES.peer, peerRows));
    }
    if (o.ease) {
      progress.phase(`${protocol}: EASE`);
      easeLambda ??= await chooseEaseLambda(valid, check);
      const w = await trainEase(
        split.train,
        { lambda: easeLambda, minCount: EASE_MIN_COUNT },
        { checkCancelled: check },
      );
      const [r] = await score([easeRanker(w)], split);
      rows.push(protocolRow(`${NAMES.ease} (lambda ${easeLambda})`, [r as RankingRow]));
    }
    tests.push({ protocol, rows, intervals: intervalsOf(rows) });
  }
  return {
    recipe: o.recipe,
    peer: o.peer,
    validation: {
      queries: [...valid.heldOut].filter((i) => i >= 0).length,
      users: recipeCurve.users,
      curves: [recipeCurve.report, ...(peerCurve ? [peerCurve.report] : [])],
      ...(ensemble[0] ? { averaged: { models: models.length, ndcg10: ensemble[0].ndcg10 } } : {}),
    },
    blend,
    tests,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** A row of an ensemble's first k models. */
const partName = (name: string, k: number) => `${name}, ${k === 1 ? 'one model' : `${k} models`}`;

/** For you's weights given in advance (ProtocolOptions.blend): nothing chosen, nothing scored. */
const givenBlend = (chosen: number[]): ProtocolReport['blend'] => ({
  grid: [],
  chosen,
  inSample: null,
  crossFitted: null,
  folds: [],
});

/**
 * For you's weights on the coarse grid, scored on the validation queries with the validation seeds' models: each
 * model's per-user scores averaged, or, for an ensemble recipe, the models served as one ensemble; cross-fitted over
 * users, then chosen on all.
 */
async function chooseBlend(
  o: ProtocolOptions,
  models: SequentialWeights[],
  valid: RankingSplit,
  data: ProtocolData & { recent: Ranker; check: () => void; progress: Progress },
): Promise<ProtocolReport['blend']> {
  data.progress.phase('choosing For you weights on validation');
  const validBpr = await data.trainBpr(valid.train);
  const grid = weightGrid(PROTOCOL_GRID);
  const served = (o.recipe.ensemble ?? 1) > 1 ? [ensembleOf(models)] : models;
  const perSeed: GridScores[] = [];
  for (const w of served) {
    const parts = [data.recent, bprRankers(validBpr)[1] as Ranker, sequentialRanker(scorerOf(w))];
    perSeed.push(await scoreGrid(parts, valid, grid, { seed: 2024, checkCancelled: data.check }));
  }
  const scores = averageGrids(perSeed);
  const fit = crossFit(scores, 2027);
  const best = scores.trials[0] ?? { weights: [1, 0, 1], ndcg10: 0 };
  return { grid, chosen: best.weights, inSample: best.ndcg10, crossFitted: fit.ndcg10, folds: fit.folds };
}

/** Every row against each peer row (EASE, SASRec-CE): the sequential model and For you, paired over users. */
function intervalsOf(rows: ProtocolRow[]): ProtocolTest['intervals'] {
  const ours = rows.filter((r) => r.model.startsWith(NAMES.sequential) || r.model.startsWith(NAMES.served));
  const peers = rows.filter((r) => r.model === NAMES.peer || r.model.startsWith(NAMES.ease));
  return peers.flatMap((p) =>
    ours
      .filter((r) => r.perUser.length === p.perUser.length && r.perUser.length > 0)
      .map((r) => ({ model: r.model, against: p.model, ...pairedBootstrapRatio(r.perUser, p.perUser, { seed: 7 }) })),
  );
}

/** Per-user grid scores averaged over several models' runs (the same users and grid in each). */
function averageGrids(runs: GridScores[]): GridScores {
  const first = runs[0] as GridScores;
  const perUser = first.perUser.map((row, g) =>
    row.map((_, u) => runs.reduce((a, r) => a + (r.perUser[g]?.[u] ?? 0), 0) / runs.length),
  );
  const trials = first.grid
    .map((weights, g) => ({
      weights,
      ndcg10: (perUser[g] as Float64Array).reduce((a, b) => a + b, 0) / Math.max(1, perUser[g]?.length ?? 0),
      hr10: runs.reduce((a, r) => a + (r.trials.find((t) => t.weights === weights)?.hr10 ?? 0), 0) / runs.length,
    }))
    .sort((a, b) => b.ndcg10 - a.ndcg10);
  return { grid: first.grid, perUser, trials };
}

type Progress = ReturnType<typeof planProgress>;

/** Progress as trained epochs over the epochs the plan will train (an estimate until the epoch counts are known). */
function planProgress(o: ProtocolOptions, data: ProtocolData) {
  const recipeEpochs = o.epochs?.recipe ?? o.recipe.epochs;
  const peerEpochs = o.epochs?.peer ?? o.peer?.epochs ?? 0;
  const models = o.recipe.ensemble ?? 1;
  const total =
    // Validation: each seed's curve, or with the epochs given, one training (an ensemble's models) for the weights.
    (o.epochs?.recipe ? (o.blend ? 0 : recipeEpochs * models) : recipeEpochs * o.validationSeeds.length) +
    (o.peer && !o.epochs?.peer ? peerEpochs * o.validationSeeds.length : 0) +
    o.protocols.length * o.testSeeds.length * (recipeEpochs * models + (o.peer ? peerEpochs : 0));
  let done = 0;
  let label = 'validation';
  const report = (message: string) =>
    data.onProgress?.({ jobId: data.jobId, fraction: Math.min(0.99, done / Math.max(1, total)), message });
  return {
    phase: (name: string) => {
      label = name;
      report(name);
    },
    epoch: (epoch: number, of: number) => {
      done++;
      report(`${label}: epoch ${epoch}/${of}`);
    },
    /** A validation score, said with the epoch it was measured after. */
    validated: (epoch: number, score: number) =>
      report(`${label}: validation NDCG@10 ${score.toFixed(4)} after epoch ${epoch}`),
  };
}

/**
 * Trains `config` with `seed` for `epochs` on the split's training sequences, no validation: one model, or an
 * ensemble's (config.ensemble) one after another, each with its member seed; served as one (`scorerOf`).
 */
async function trainOnce(
  config: SequentialConfig,
  seed: number,
  epochs: number,
  split: RankingSplit,
  data: Pick<ProtocolData, 'jobId' | 'signal' | 'numItems'> & { progress?: Progress },
): Promise<SequentialWeights> {
  const r = await trainEnsemble(
    trainingSequences(split),
    data.numItems,
    { ...config, seed, epochs },
    {
      jobId: data.jobId,
      signal: data.signal,
      afterEpoch: async (epoch) => void data.progress?.epoch(epoch, epochs),
    },
  );
  return r.weights;
}

/**
 * A recipe's validation curves over the seeds, and the epoch count their mean peaks at (or the count given).
 * `keep`: each seed's weights at every validated epoch, so that the blend can use them at the chosen one.
 */
async function curveOf(
  model: 'recipe' | 'peer',
  config: SequentialConfig,
  seeds: number[],
  fixed: number | undefined,
  valid: RankingSplit,
  validate: (w: SequentialWeights) => Promise<number>,
  data: ProtocolData & { progress: Progress; keep?: boolean },
): Promise<{ report: ValidationCurve; kept: SequentialWeights[]; users: number }> {
  const t0 = performance.now();
  const users = new Set(
    [...valid.heldOut.keys()].filter((q) => (valid.heldOut[q] as number) >= 0).map((q) => valid.userOf?.[q] ?? q),
  ).size;
  if (fixed !== undefined)
    return {
      report: { model, seeds: [], curves: [], mean: [], epochs: fixed, fixed: true, seconds: 0 },
      kept: [],
      users,
    };
  const curves: { epoch: number; score: number }[][] = [];
  const byEpoch: Map<number, SequentialWeights>[] = [];
  for (const seed of seeds) {
    data.progress.phase(`validation: ${model === 'peer' ? 'SASRec-CE' : 'the recipe'}, seed ${seed}`);
    const weights = new Map<number, SequentialWeights>();
    const keep = keepBestEpoch(validate, {
      every: config.validateEvery ?? 1,
      ...(config.patience !== undefined ? { patience: config.patience } : {}),
      epochs: config.epochs,
    });
    await trainSequential(
      trainingSequences(valid),
      data.numItems,
      { ...config, seed },
      {
        jobId: data.jobId,
        signal: data.signal,
        shouldStop: keep.shouldStop,
        afterEpoch: async (epoch, loss, read) => {
          data.progress.epoch(epoch, config.epochs);
          const r = await keep.afterEpoch(epoch, loss, read);
          if (r?.validationAccuracy !== undefined) data.progress.validated(epoch, r.validationAccuracy);
          if (data.keep && r?.validationAccuracy !== undefined) weights.set(epoch, await read());
          return r;
        },
      },
    );
    curves.push(keep.curve);
    byEpoch.push(weights);
  }
  const mean = meanCurve(curves);
  const peak = mean.reduce((a, b) => (b.score > a.score ? b : a), mean[0] ?? { epoch: config.epochs, score: 0 });
  return {
    report: { model, seeds, curves, mean, epochs: peak.epoch, fixed: false, seconds: (performance.now() - t0) / 1000 },
    kept: data.keep ? byEpoch.flatMap((m) => (m.get(peak.epoch) ? [m.get(peak.epoch) as SequentialWeights] : [])) : [],
    users,
  };
}
