/**
 * The trained recommender's lifecycle on this device: reuse the BPR-MF model saved in IndexedDB when its
 * version and data hash still match (no retraining on reload), else train it in the engine worker with
 * progress and a loss curve, then save it. Retraining on demand goes through the same path.
 */
import type { Engine } from '../engine/types';
import { BPR_VERSION, DEFAULT_BPR, type BprWeights } from '../recommend/bpr';
import type { Database } from '../store/db';
import { loadModel, saveModel } from '../store/models';

export const RECOMMENDER_MODEL_ID = 'bpr-mf-movies';

export interface ModelState {
  phase: 'waiting' | 'training' | 'ready' | 'error';
  /** Where the served model came from. */
  source?: 'loaded' | 'trained';
  fraction: number;
  message: string;
  /** Training loss per finished epoch (this session's training only). */
  losses: number[];
  backend?: string;
  examplesPerSec?: number;
}

export const INITIAL_MODEL_STATE: ModelState = {
  phase: 'waiting',
  fraction: 0,
  message: 'waiting for the engine',
  losses: [],
};

function toTensors(w: BprWeights) {
  const t = (name: string, data: Float32Array, shape: number[]) => ({
    name,
    shape,
    dtype: 'float32' as const,
    data: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer,
  });
  return [
    t('user', w.user, [w.numUsers, w.dim]),
    t('item', w.item, [w.numItems, w.dim]),
    t('itemBias', w.itemBias, [w.numItems]),
  ];
}

function fromTensors(tensors: { name: string; shape: number[]; data: ArrayBuffer }[]): BprWeights | null {
  const get = (n: string) => tensors.find((t) => t.name === n);
  const user = get('user');
  const item = get('item');
  const bias = get('itemBias');
  if (!user || !item || !bias || user.shape.length !== 2 || item.shape.length !== 2) return null;
  const [numUsers = 0, dim = 0] = user.shape;
  const [numItems = 0] = item.shape;
  const w = {
    dim,
    numUsers,
    numItems,
    user: new Float32Array(user.data),
    item: new Float32Array(item.data),
    itemBias: new Float32Array(bias.data),
  };
  // A truncated or mismatched record is not used (the model is trained again instead).
  if (w.user.length !== numUsers * dim || w.item.length !== numItems * dim || w.itemBias.length !== numItems)
    return null;
  return w;
}

export async function prepareRecommender(
  engine: Engine,
  db: Database,
  dataHash: string,
  onState: (s: ModelState) => void,
  options: { force?: boolean; /** false: use a saved model, but do not train one now. */ train?: boolean } = {},
): Promise<ModelState> {
  if (!options.force) {
    const saved = await loadModel(db, RECOMMENDER_MODEL_ID, BPR_VERSION, dataHash).catch(() => undefined);
    const weights = saved ? fromTensors(saved.weights.tensors) : null;
    if (saved && weights) {
      await engine.useRecommenderWeights(weights);
      const s: ModelState = {
        phase: 'ready',
        source: 'loaded',
        fraction: 1,
        message: `loaded the model trained ${new Date(saved.meta.createdAt).toLocaleString()}`,
        losses: [],
        backend: saved.meta.backend,
      };
      onState(s);
      return s;
    }
  }
  if (options.train === false) {
    const s: ModelState = {
      phase: 'waiting',
      fraction: 0,
      message: 'not trained yet: train it from the Lab page',
      losses: [],
    };
    onState(s);
    return s;
  }
  const losses: number[] = [];
  onState({ phase: 'training', fraction: 0, message: 'training on this device…', losses });
  const jobId = `train-recommender-${Date.now().toString(36)}`;
  try {
    const r = await engine.trainRecommender(jobId, DEFAULT_BPR, (p) => {
      if (p.metrics?.loss !== undefined) losses.push(p.metrics.loss);
      onState({ phase: 'training', fraction: p.fraction, message: p.message, losses: [...losses] });
    });
    const backend = (await engine.status()).backend ?? 'unknown';
    await saveModel(
      db,
      {
        id: RECOMMENDER_MODEL_ID,
        kind: 'bpr-mf',
        version: BPR_VERSION,
        dataHash,
        createdAt: Date.now(),
        backend,
        metrics: { finalLoss: r.epochLoss.at(-1) ?? NaN, examplesPerSec: r.examplesPerSec, trainSeconds: r.ms / 1000 },
      },
      toTensors(r.weights),
    );
    const s: ModelState = {
      phase: 'ready',
      source: 'trained',
      fraction: 1,
      message: `trained in ${(r.ms / 1000).toFixed(1)} s on ${backend}`,
      losses: r.epochLoss,
      backend,
      examplesPerSec: r.examplesPerSec,
    };
    onState(s);
    return s;
  } catch (e) {
    const s: ModelState = { phase: 'error', fraction: 0, message: e instanceof Error ? e.message : String(e), losses };
    onState(s);
    return s;
  }
}
