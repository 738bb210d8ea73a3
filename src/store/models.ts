/**
 * Saved models: metadata in `models`, weights in `weights`, written in one transaction so a crash never
 * leaves metadata without weights. A model is reusable only when its version and data hash still match.
 */
import { committed } from './commit';
import type { Database } from './db';
import type { ModelRecord, WeightsRecord } from './schema';

export async function saveModel(
  db: Database,
  meta: Omit<ModelRecord, 'bytes'>,
  weights: Omit<WeightsRecord, 'id'>,
): Promise<ModelRecord> {
  const record: ModelRecord = { ...meta, bytes: weightsBytes(weights) };
  const tx = db.transaction(['models', 'weights'], 'readwrite');
  await committed<unknown>(tx, [
    tx.objectStore('models').put(record),
    tx.objectStore('weights').put({ ...weights, id: meta.id }),
  ]);
  return record;
}

/** The bytes of a model's tensors (its record's `bytes`). */
export function weightsBytes(weights: Pick<WeightsRecord, 'tensors'>): number {
  return weights.tensors.reduce((s, t) => s + t.data.byteLength, 0);
}

export function listModels(db: Database): Promise<ModelRecord[]> {
  return db.getAll('models');
}

/** The model's weights when a saved model matches `version` and `dataHash`; otherwise undefined (retrain). */
export async function loadModel(
  db: Database,
  id: string,
  version: number,
  dataHash: string,
): Promise<{ meta: ModelRecord; weights: WeightsRecord } | undefined> {
  const tx = db.transaction(['models', 'weights']);
  const [meta, weights] = await Promise.all([
    tx.objectStore('models').get(id),
    tx.objectStore('weights').get(id),
    tx.done,
  ]);
  if (!meta || !weights || meta.version !== version || meta.dataHash !== dataHash) return undefined;
  return { meta, weights };
}

export async function deleteModel(db: Database, id: string): Promise<void> {
  const tx = db.transaction(['models', 'weights'], 'readwrite');
  await Promise.all([tx.objectStore('models').delete(id), tx.objectStore('weights').delete(id), tx.done]);
}
