/**
 * A trained model's lifecycle on this device, the same for every model: reuse the copy saved in IndexedDB
 * when its version and data hash still match (no retraining on reload), else train it in the engine worker
 * with progress and curves, then save it. Retraining on demand goes through the same path.
 */
import type { ProgressCallback } from '../engine/types';
import type { Database } from '../store/db';
import { loadModel, saveModel } from '../store/models';
import type { ModelRecord, WeightsRecord } from '../store/schema';

export interface ModelState {
  /**
   * waiting: for its data or the engine; untrained: no saved model and none trained on this visit; unavailable:
   * the catalog or the data manifest lacks what it needs (the message says what).
   */
  phase: 'waiting' | 'untrained' | 'training' | 'ready' | 'error' | 'unavailable';
  /** Where the served model came from. */
  source?: 'loaded' | 'trained';
  fraction: number;
  message: string;
  /** Training loss per finished epoch (this session's training only). */
  losses: number[];
  /** Validation accuracy per finished epoch, for models that report one. */
  validation?: number[];
  backend?: string;
  examplesPerSec?: number;
  /** The recipe of the model in service, for models with more than one (while training: of the one training). */
  recipe?: string;
  /** While training: an earlier model of this kind still answers (until the new one is ready). */
  inService?: boolean;
  /** Ready, but not kept on this device (not enough space): it answers on this visit; saving is tried again. */
  note?: string;
}

/** Whether a model answers requests now: ready, or training while an earlier one still serves. */
export const serving = (s: ModelState): boolean => s.phase === 'ready' || s.inService === true;

export const INITIAL_MODEL_STATE: ModelState = {
  phase: 'waiting',
  fraction: 0,
  message: 'waiting for the engine',
  losses: [],
};

export interface Trained<W> {
  weights: W;
  epochLoss: number[];
  ms: number;
  examplesPerSec: number;
}

/** What the lifecycle needs to know about one model. */
export interface ModelSpec<W> {
  id: string;
  kind: string;
  version: number;
  train(jobId: string, onProgress: ProgressCallback, overrides: TrainOverrides): Promise<Trained<W>>;
  /** Starts serving weights in the engine. */
  use(weights: W): Promise<void>;
  toRecord(weights: W): Omit<WeightsRecord, 'id'>;
  /** Null when the record does not fit (the model is trained again instead). */
  fromRecord(record: WeightsRecord): W | null;
  backend(): Promise<string>;
}

export interface TrainOverrides {
  epochs?: number;
  /** Which recipe, for models with more than one (the image embedder's: 'quick' or 'full'). */
  recipe?: string;
}

/** One tensor of a saved model. */
export type SavedTensor = WeightsRecord['tensors'][number];

export const float32 = (name: string, data: Float32Array, shape: number[]): SavedTensor => ({
  name,
  shape,
  dtype: 'float32',
  data: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer,
});

export const int32 = (name: string, data: Int32Array): SavedTensor => ({
  name,
  shape: [data.length],
  dtype: 'int32',
  data: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer,
});

/** The named tensor's data when it exists and has `length` values. */
export function tensorData(record: WeightsRecord, name: string, length: number): Float32Array | null {
  const t = record.tensors.find((x) => x.name === name);
  if (!t || t.dtype !== 'float32' || t.data.byteLength !== length * 4) return null;
  return new Float32Array(t.data);
}

export interface PrepareOptions {
  /** Train even when a saved model fits. */
  force?: boolean;
  /** false: use a saved model, but do not train one now. */
  train?: boolean;
  /** Train for this many epochs instead of the model's default (quick runs, tests). */
  epochs?: number;
  /** Train by this recipe (models with more than one); default: the model's first. */
  recipe?: string;
  /** The state being replaced: if training fails or is cancelled, a ready model stays in service and in this state. */
  previous?: ModelState;
  /** Told the training job's id as it starts (to cancel it). */
  onJob?: (jobId: string) => void;
  /**
   * Saves the trained model with what ranks below it giving way (store/space.ts); a model that does not fit is not
   * kept but stays in service, its save tried again later. Without it: saved directly, a failure is an error.
   */
  space?: {
    keepModel(db: Database, meta: Omit<ModelRecord, 'bytes'>, weights: Omit<WeightsRecord, 'id'>): Promise<void>;
    /** A model that could not be saved, held in memory: loaded as a saved one would be. */
    unsaved(id: string, version: number, dataHash: string): { meta: ModelRecord; weights: WeightsRecord } | undefined;
  };
}

export async function prepareModel<W>(
  spec: ModelSpec<W>,
  db: Database,
  dataHash: string,
  onState: (s: ModelState) => void,
  options: PrepareOptions = {},
): Promise<ModelState> {
  if (!options.force) {
    const saved =
      (await loadModel(db, spec.id, spec.version, dataHash).catch(() => undefined)) ??
      options.space?.unsaved(spec.id, spec.version, dataHash);
    const weights = saved ? spec.fromRecord(saved.weights) : null;
    if (saved && weights) {
      await spec.use(weights);
      const s: ModelState = {
        phase: 'ready',
        source: 'loaded',
        fraction: 1,
        message: `loaded the model trained ${new Date(saved.meta.createdAt).toLocaleString()}`,
        losses: [],
        backend: saved.meta.backend,
        ...(saved.meta.recipe ? { recipe: saved.meta.recipe } : {}),
      };
      onState(s);
      return s;
    }
  }
  if (options.train === false) {
    const s: ModelState = {
      phase: 'untrained',
      fraction: 0,
      message: 'not trained yet: train it from the Lab page',
      losses: [],
    };
    onState(s);
    return s;
  }
  const losses: number[] = [];
  const validation: number[] = [];
  const curves = () => ({ losses: [...losses], ...(validation.length ? { validation: [...validation] } : {}) });
  const recipe = options.recipe ? { recipe: options.recipe } : {};
  // Fields of every training state: the recipe training, and whether an earlier model still answers meanwhile.
  const during = { ...recipe, ...(options.previous && serving(options.previous) ? { inService: true } : {}) };
  onState({ phase: 'training', fraction: 0, message: 'training on this device…', losses, ...during });
  const jobId = `train-${spec.id}-${Date.now().toString(36)}`;
  options.onJob?.(jobId);
  try {
    const r = await spec.train(
      jobId,
      (p) => {
        if (p.metrics?.loss !== undefined) losses.push(p.metrics.loss);
        if (p.metrics?.validationAccuracy !== undefined) validation.push(p.metrics.validationAccuracy);
        onState({ phase: 'training', fraction: p.fraction, message: p.message, ...curves(), ...during });
      },
      { ...(options.epochs ? { epochs: options.epochs } : {}), ...recipe },
    );
    const backend = await spec.backend();
    const save = options.space ? options.space.keepModel.bind(options.space) : saveModel;
    await save(
      db,
      {
        id: spec.id,
        kind: spec.kind,
        version: spec.version,
        dataHash,
        createdAt: Date.now(),
        backend,
        metrics: {
          finalLoss: r.epochLoss.at(-1) ?? NaN,
          examplesPerSec: r.examplesPerSec,
          trainSeconds: r.ms / 1000,
          // An epoch count asked for (quick runs): background retraining follows the recipe in service.
          ...(options.epochs ? { epochs: options.epochs } : {}),
          ...(validation.length ? { validationAccuracy: Math.max(...validation) } : {}),
        },
        ...recipe,
      },
      spec.toRecord(r.weights),
    );
    const s: ModelState = {
      phase: 'ready',
      source: 'trained',
      fraction: 1,
      message: `trained in ${(r.ms / 1000).toFixed(1)} s on ${backend}`,
      ...curves(),
      losses: r.epochLoss,
      backend,
      examplesPerSec: r.examplesPerSec,
      ...recipe,
    };
    onState(s);
    return s;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    if (options.previous && serving(options.previous)) {
      // The engine serves the weights it had until a training succeeds.
      const s: ModelState = { ...options.previous, phase: 'ready', message: `kept the previous model (${why})` };
      onState(s);
      return s;
    }
    const s: ModelState = {
      phase: 'error',
      fraction: 0,
      message: e instanceof Error ? e.message : String(e),
      ...curves(),
    };
    onState(s);
    return s;
  }
}
