/**
 * The IndexedDB schema (idb `DBSchema`): store, key, value and index types in one place.
 * Schema history lives in ./migrations.ts; this file describes the latest version.
 */
import type { DBSchema } from 'idb';

export const EVENT_TYPES = [
  'view',
  'click',
  'add-to-cart',
  'remove-from-cart',
  'purchase',
  'rate',
  'search',
  'question',
  'photo-query',
  'review',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** One shopper interaction, as stored. `seq` is assigned by IndexedDB and orders events across tabs. */
export interface StoredEvent {
  seq?: number;
  /** Random id: lets an import skip events already present. */
  id: string;
  type: EventType;
  itemId?: string;
  /** Rating 1-5 for `rate`; quantity for cart and purchase events. */
  value?: number;
  /** Query text for `search`, the question for `question`, review text for `review`. */
  text?: string;
  /** Milliseconds since the epoch. */
  ts: number;
}

/** Metadata of a saved model; weights live in `weights` under the same id. */
export interface ModelRecord {
  id: string;
  kind: string;
  /** Bumped when the model's code changes; a mismatch means retrain. */
  version: number;
  /** Hash of the data it was trained on; a mismatch means retrain. */
  dataHash: string;
  createdAt: number;
  backend: string;
  metrics: Record<string, number>;
  /** How it was trained, for models with more than one recipe (the image embedder: 'quick' or 'full'). */
  recipe?: string;
  bytes: number;
}

export interface WeightsRecord {
  id: string;
  tensors: { name: string; shape: number[]; dtype: 'float32' | 'int32'; data: ArrayBuffer }[];
  /** Non-tensor parts of a model (e.g. a vocabulary), as structured-cloneable data. */
  extra?: Record<string, unknown>;
}

export interface CacheRecord {
  key: string;
  version: number;
  dataHash: string;
  createdAt: number;
  shape: number[];
  data: ArrayBuffer;
}

export interface HushCartDB extends DBSchema {
  events: {
    key: number;
    value: StoredEvent;
    indexes: { 'by-id': string; 'by-ts': number; 'by-type': string; 'by-item': string };
  };
  models: { key: string; value: ModelRecord };
  weights: { key: string; value: WeightsRecord };
  caches: { key: string; value: CacheRecord };
  settings: { key: string; value: unknown };
}
