/**
 * The quality protocol's settings and report (./protocol.ts runs it): plain types and constants, no tfjs, so the
 * page can name them.
 */
import type { RatioInterval } from '../eval/interval';
import { z } from '../shared/zod';
import { SASREC_CE, SEQUENTIAL_RECIPES, type SequentialConfig, type SequentialRecipe } from './sequential-config';

/** The test protocols: the last rating held out; the last 5, each from its prefix; the last with ties shuffled. */
export const TEST_PROTOCOLS = ['leave-last-out', 'leave-last-5-out', 'ties-shuffled'] as const;
export type TestProtocol = (typeof TEST_PROTOCOLS)[number];

/** For you's coarse grid: item-kNN (last 5) x BPR-MF folded in, the sequential model's weight the unit. */
export const PROTOCOL_GRID: number[][] = [[0, 0.25, 0.5, 1], [0, 0.25, 0.5], [1]];

/** The seed of the shuffle that orders ratings sharing a timestamp in the robustness row. */
export const TIE_SEED = 17;

export interface ProtocolOptions {
  /** The recipe under test (the store's). */
  recipe: SequentialConfig;
  validationSeeds: number[];
  testSeeds: number[];
  /** A peer recipe (SASREC_CE) run by the same protocol, or null. */
  peer: SequentialConfig | null;
  /** The test protocols to run; none: a validation-only run (the epoch count and For you's weights). */
  protocols: TestProtocol[];
  /** Validation queries per user: the last n training transitions. */
  validationLast: number;
  /** Epoch counts fixed in advance (skipping that recipe's validation curves), e.g. from an earlier run's. */
  epochs?: { recipe?: number; peer?: number };
  /** EASE's row (a lambda chosen on validation, one solve per test protocol). */
  ease: boolean;
  /**
   * For you's weights given in advance (kNN, BPR-MF, sequential), e.g. a recipe's chosen ones: no grid is scored.
   * With `epochs.recipe` also given, the recipe trains no validation model at all.
   */
  blend?: number[];
}

export interface SeedSpread {
  mean: number;
  /** Sample standard deviation over the seeds (0 for one). */
  sd: number;
  values: number[];
}

/** Mean, sample standard deviation and every value of a measure over seeds. */
export function seedSpread(values: number[]): SeedSpread {
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const sd = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, sd, values };
}

export interface ProtocolRow {
  model: string;
  ndcg10: SeedSpread;
  hr10: SeedSpread;
  users: number;
  queries: number;
  /** Each user's NDCG@10, the mean over seeds (and the user's queries). */
  perUser: number[];
}

export interface ProtocolTest {
  protocol: TestProtocol;
  rows: ProtocolRow[];
  /** Ratios of mean NDCG@10, paired over users, each model against each peer row. */
  intervals: (RatioInterval & { model: string; against: string })[];
}

export interface ValidationCurve {
  model: 'recipe' | 'peer';
  seeds: number[];
  /** Per seed: validation NDCG@10 by epoch (the epochs validated). */
  curves: { epoch: number; score: number }[][];
  /** The mean over seeds at the epochs every seed reached. */
  mean: { epoch: number; score: number }[];
  /** The epoch count the test trainings use. */
  epochs: number;
  /** True when `epochs` was given, not read from curves. */
  fixed: boolean;
  seconds: number;
}

export interface ProtocolReport {
  recipe: SequentialConfig;
  peer: SequentialConfig | null;
  validation: {
    queries: number;
    users: number;
    curves: ValidationCurve[];
    /**
     * Model averaging: the validation seeds' models at the chosen epoch, their standardised scores averaged, on the
     * validation queries (with two or more validation seeds); compare with the mean curve's peak.
     */
    averaged?: { models: number; ndcg10: number };
  };
  blend: {
    grid: number[][];
    /** Chosen on all validation users: what the test's For you row serves. */
    chosen: number[];
    /** Its validation NDCG@10 on the users it was chosen on (flattered); null when the weights were given. */
    inSample: number | null;
    /** Cross-fitted: each half's choice scored on the other half; null when the weights were given. */
    crossFitted: number | null;
    folds: FoldChoice[];
  };
  tests: ProtocolTest[];
  seconds: number;
}

/** One fold of a cross-fitted choice: the weights chosen on the other users, and their NDCG@10 on this fold's. */
export interface FoldChoice {
  weights: number[];
  /** Mean NDCG@10 of the chosen weights over the other users (where they were chosen). */
  chosenOn: number;
  /** ... and over this fold's users (an honest estimate: they played no part in the choice). */
  scored: number;
  users: number;
}

/** What a caller asks for (`diagnostics.runProtocol`); every field has a default (PROTOCOL_DEFAULTS). */
export interface ProtocolRequest {
  /** The recipe under test: a named recipe (default: the store's, STORE_SEQUENTIAL_RECIPE) or settings over it. */
  recipe?: SequentialRecipe | (Partial<SequentialConfig> & { base?: SequentialRecipe });
  validationSeeds?: number[];
  testSeeds?: number[];
  /** SASRec-CE beside it (true, the default), settings over SASRec-CE's, or none (false). */
  peer?: boolean | Partial<SequentialConfig>;
  protocols?: TestProtocol[];
  validationLast?: number;
  ease?: boolean;
  epochs?: { recipe?: number; peer?: number };
  /** For you's weights given (kNN, BPR-MF, sequential) instead of chosen on validation. */
  blend?: number[];
}

/** The recipe the store's shipped sequential model is trained by (scripts/build-models.mjs). */
export const STORE_SEQUENTIAL_RECIPE: SequentialRecipe = 'full';

/** The protocol as the issue that set it asks: 3 validation seeds, 5 test seeds, every test, both peers. */
export const PROTOCOL_DEFAULTS = {
  validationSeeds: [101, 102, 103],
  testSeeds: [1, 2, 3, 4, 5],
  protocols: [...TEST_PROTOCOLS],
  validationLast: 5,
  ease: true,
} satisfies Partial<ProtocolOptions>;

/** A recipe the protocol chose runs its validation curves as long as they ran when it was chosen. */
const withCurve = (c: SequentialConfig): SequentialConfig =>
  c.chosen ? { ...c, epochs: Math.max(c.epochs, c.chosen.curveEpochs) } : c;

/** The options a request stands for. */
export function protocolOptions(r: ProtocolRequest = {}): ProtocolOptions {
  const { base = STORE_SEQUENTIAL_RECIPE, ...settings } =
    typeof r.recipe === 'string' ? { base: r.recipe } : (r.recipe ?? {});
  return {
    validationSeeds: r.validationSeeds ?? PROTOCOL_DEFAULTS.validationSeeds,
    testSeeds: r.testSeeds ?? PROTOCOL_DEFAULTS.testSeeds,
    protocols: r.protocols ?? PROTOCOL_DEFAULTS.protocols,
    validationLast: r.validationLast ?? PROTOCOL_DEFAULTS.validationLast,
    ease: r.ease ?? PROTOCOL_DEFAULTS.ease,
    ...(r.epochs ? { epochs: r.epochs } : {}),
    ...(r.blend ? { blend: r.blend } : {}),
    recipe: { ...withCurve(SEQUENTIAL_RECIPES[base].config), ...settings },
    peer:
      r.peer === false || r.peer === null
        ? null
        : { ...SASREC_CE, ...(r.peer === true || r.peer === undefined ? {} : r.peer) },
  };
}

const seeds = (name: string) => {
  const error = `${name} must be a list of whole numbers`;
  return z
    .array(z.number({ error }).int({ error }).min(0, { error }).max(1e9, { error }), { error })
    .min(1, { error: `${name} needs at least one seed` })
    .max(20, { error: `${name} takes at most 20 seeds` })
    .optional();
};

/** `runProtocol`'s request as the API checks it; recipe settings are checked by the trainer. */
export const ProtocolArgs = z
  .looseObject(
    {
      validationSeeds: seeds('validationSeeds'),
      testSeeds: seeds('testSeeds'),
      protocols: z.array(z.enum(TEST_PROTOCOLS, { error: `protocols are ${TEST_PROTOCOLS.join(', ')}` })).optional(),
      validationLast: z
        .number({ error: 'validationLast must be an integer from 1 to 20' })
        .int({ error: 'validationLast must be an integer from 1 to 20' })
        .min(1, { error: 'validationLast must be an integer from 1 to 20' })
        .max(20, { error: 'validationLast must be an integer from 1 to 20' })
        .optional(),
      ease: z.boolean({ error: 'ease must be true or false' }).optional(),
      blend: z
        .array(z.number().min(0).max(10), { error: 'blend must be three weights from 0 to 10' })
        .length(3, { error: 'blend must be three weights from 0 to 10' })
        .optional(),
    },
    { error: "the protocol's options must be an object" },
  )
  .optional();
