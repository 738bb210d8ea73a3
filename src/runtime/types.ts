/**
 * The tf runtime's plain types: backends and their selection, the engine status, progress reports, and the
 * reference embedding trainer's inputs. No capability is imported here: every layer above may use them.
 */
export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendPreference = BackendName | 'auto';

export function isBackendName(v: unknown): v is BackendName {
  return typeof v === 'string' && (BACKENDS as readonly string[]).includes(v);
}

/** What the engine learned about one backend while choosing. */
export interface CandidateReport {
  backend: BackendName;
  /** Could the backend be initialised and did it pass the probe? */
  ok: boolean;
  /** The adapter/renderer runs on the CPU (SwiftShader, fallback adapter). */
  software?: boolean;
  /** Adapter or renderer description, when the browser tells. */
  device?: string;
  /** Median time of the probe matmul, in ms. */
  probeMs?: number;
  initMs?: number;
  /** Why it was chosen, or why it was passed over. */
  reason: string;
}

/** A selection result worth remembering: reused on later visits while the device looks the same. */
export interface RememberedSelection {
  /** Browser and adapters as detected; a change means measure again. */
  fingerprint: string;
  chosen: BackendName;
  candidates: CandidateReport[];
  at: number;
}

export interface EngineStatus {
  ready: boolean;
  backend: BackendName | null;
  preference: BackendPreference;
  candidates: CandidateReport[];
  /** Backends lost while running (device lost), with why. */
  lost: { backend: BackendName; reason: string; at: number }[];
  selectionMs: number;
  /** The selection behind the current backend (for 'auto'), to remember on this device. */
  selection: RememberedSelection | null;
  /** True when the backend was chosen from a remembered selection instead of probing again. */
  fromMemory: boolean;
  tfjsVersion: string;
  memory: { numTensors: number; numBytes: number };
}

export interface Progress {
  jobId: string;
  /** 0..1 */
  fraction: number;
  message: string;
  /** Optional metrics for curves (e.g. epoch loss). */
  metrics?: Record<string, number>;
}
export type ProgressCallback = (p: Progress) => void;

export interface MatmulResult {
  backend: BackendName;
  size: number;
  reps: number;
  medianMs: number;
  gflops: number;
  /** Max abs difference of one output row against a float64 reference. */
  maxAbsError: number;
}

/** Ratings as parallel arrays: the input of the embedding training job. */
export interface RatingTriples {
  user: Int32Array;
  item: Int32Array;
  rating: Float32Array;
  numUsers: number;
  numItems: number;
}

export interface EmbeddingTrainConfig {
  dim: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** L2 on the embedding rows used in a batch. */
  l2: number;
}

export interface EmbeddingTrainResult {
  backend: BackendName;
  /** Mean training MSE per epoch. */
  epochLoss: number[];
  /** RMSE on the held-out triples, when some were given. */
  testRmse: number | null;
  examples: number;
  ms: number;
  examplesPerSec: number;
  /** Backends the job moved off during the run (device lost), if any. */
  recoveredFrom: BackendName[];
}

export interface InitOptions {
  preference: BackendPreference;
  /** Same-origin URLs of the three tfjs wasm binaries. */
  wasmPaths?: Record<string, string>;
  /** A selection from an earlier visit; reused (no probing) when the fingerprint still matches. */
  remembered?: RememberedSelection | null;
}

/**
 * The verbs every trained model's host has (the engine's protocol: `engine.sentiment.train(...)`,
 * `engine.vision.use(...)`): train by a config, reporting progress, and start serving what it learnt; use saved
 * weights without training. `Extra`: what a model's training also reads (the shopper's events, for the
 * recommenders).
 */
export interface ModelHost<Config, Result, Weights, Extra extends unknown[] = []> {
  train(jobId: string, config: Config, onProgress?: ProgressCallback, ...extra: Extra): Promise<Result>;
  use(weights: Weights): Promise<void>;
}

/** The runtime part of the engine: the backend, the device, jobs, and the reference probes. */
export interface RuntimeHost {
  init(options: InitOptions): Promise<EngineStatus>;
  status(): Promise<EngineStatus>;
  /** Switches backend (re-running selection for 'auto'). */
  setBackend(preference: BackendPreference): Promise<EngineStatus>;
  matmul(size: number, reps: number): Promise<MatmulResult>;
  trainEmbedding(
    jobId: string,
    train: RatingTriples,
    test: RatingTriples | null,
    config: EmbeddingTrainConfig,
    onProgress?: ProgressCallback,
  ): Promise<EmbeddingTrainResult>;
  /** Cancels a running job; its promise rejects with code 'engine/cancelled'. */
  cancel(jobId: string): Promise<void>;
  /** Test hook for the device-loss path: destroys the WebGPU device the way a driver reset would. */
  loseDevice(): Promise<boolean>;
  dispose(): Promise<void>;
}
