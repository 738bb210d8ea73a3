/**
 * The model table: every model HushCart trains on the device, one entry each (like transformers.js's
 * SUPPORTED_TASKS). createHushCart iterates it to build the models, boot them in order, wire their data, retrain
 * them in the background and report their capabilities; a new model is its spec file plus one entry here.
 */
import type { Engine, ShopperEvent } from '../engine/types';
import type { Database } from '../store/db';
import { prepareModel, type ModelSpec, type ModelState, type PrepareOptions } from './model-lifecycle';
import { recommenderModelId, recommenderSpec } from './recommender-model';
import { sequentialModelId, sequentialSpec } from './sequential-model';
import { SENTIMENT_MODEL_ID, sentimentSpec } from './sentiment-model';
import { EMBEDDER_MODEL_ID, embedderSpec } from './embedder-model';
import { EMBEDDER_RECIPES } from '../vision/contract';
import { SEQUENTIAL_RECIPE_NAMES } from '../recommend/contract';
import type { CapabilityName, ModelName } from './types';
import type { Catalog } from '../catalog/catalog';

/** The data a model waits for; the wiring resolves each (or rejects with why the catalog cannot have it). */
export type DataFeed = 'factors' | 'sentiment' | 'vision';

/** A model ready to be loaded or trained by the lifecycle (its weights' type stays inside). */
export interface PreparableModel {
  id: string;
  prepare(db: Database, dataHash: string, onState: (s: ModelState) => void, o: PrepareOptions): Promise<ModelState>;
}

const preparable = <W>(spec: ModelSpec<W>): PreparableModel => ({
  id: spec.id,
  prepare: (db, dataHash, onState, o) => prepareModel(spec, db, dataHash, onState, o),
});

export interface ModelContext {
  engine: Engine;
  /** The pack the catalog's factor models are trained on (for per-pack models). */
  factorPack: () => Promise<string>;
  shopperEvents: () => Promise<ShopperEvent[]>;
}

export interface ModelDefinition {
  name: ModelName;
  /**
   * 'general': trained on the data manifest's training sets, kept once per device and shared by every catalog;
   * 'catalog': trained on the catalog's own data, kept with the catalog.
   */
  scope: 'general' | 'catalog';
  feed: DataFeed;
  /** The capabilities it provides: available exactly when its feed is. */
  provides: CapabilityName[];
  /** Built once its data is known (a per-pack model's id names the pack the worker chose). */
  model(ctx: ModelContext): Promise<PreparableModel>;
  /** Saved-model id (per-pack models: of the factor pack), for background retraining and listing. */
  modelId(packId: string): string;
  /** Background retraining after this many new events on the factor pack's items (catalog models only). */
  retrainAfter?: (o: { retrainAfter?: number; sequentialRetrainAfter?: number }) => number;
  /**
   * Whether a first visit trains it unasked on this catalog (absent: always). Otherwise a saved or shipped model is
   * still loaded, and `train()` still trains it.
   */
  trainsUnasked?: (catalog: Catalog) => boolean;
  /** Recipes it can be trained by (the first is the default), for models with more than one. */
  recipes?: readonly string[];
}

/** In boot order: one model at a time, the recommender first (the store needs it most). */
export const MODEL_TABLE: readonly ModelDefinition[] = [
  {
    name: 'recommender',
    scope: 'catalog',
    feed: 'factors',
    provides: ['matrix-factorisation'],
    model: async (c) => preparable(recommenderSpec(c.engine, await c.factorPack(), c.shopperEvents)),
    modelId: recommenderModelId,
    retrainAfter: (o) => o.retrainAfter ?? 20,
  },
  {
    name: 'sentiment',
    scope: 'general',
    feed: 'sentiment',
    provides: ['sentiment'],
    model: async (c) => preparable(sentimentSpec(c.engine)),
    modelId: () => SENTIMENT_MODEL_ID,
    // What it reads unasked is the catalog's reviews: a shop without any does not spend minutes training it.
    trainsUnasked: (catalog) => catalog.hasReviews(),
  },
  {
    name: 'sequential',
    scope: 'catalog',
    feed: 'factors',
    provides: ['sequential'],
    model: async (c) => preparable(sequentialSpec(c.engine, await c.factorPack(), c.shopperEvents)),
    modelId: sequentialModelId,
    // Minutes on WASM, against seconds for the recommender: a higher threshold.
    retrainAfter: (o) => o.sequentialRetrainAfter ?? 100,
    recipes: SEQUENTIAL_RECIPE_NAMES,
  },
  {
    name: 'embedder',
    scope: 'general',
    feed: 'vision',
    provides: ['photo-search'],
    model: async (c) => preparable(embedderSpec(c.engine)),
    modelId: () => EMBEDDER_MODEL_ID,
    recipes: EMBEDDER_RECIPES,
  },
];

export const modelDefinition = (name: ModelName): ModelDefinition => {
  const d = MODEL_TABLE.find((m) => m.name === name);
  if (!d) throw new Error(`no model '${name}' in the model table`);
  return d;
};
