/** The models: listing them, retraining one (by a recipe), cancelling a training, exporting them, the backend. */
import { HushCartError } from '../../errors';
import { isBackendName } from '../../engine/types';
import { listModels } from '../../store/models';
import { exportProfile } from '../../store/profile';
import { namedRecipe } from '../../shared/recipes';
import { MODEL_TABLE } from '../model-table';
import type { ModelName } from '../types';
import type { House, Methods } from './context';
import { GENERAL_MODEL_IDS } from './general-models';

/** The catalog's own models and the general ones it shares with every catalog on this device. */
export async function allModels(h: House) {
  const { db, generalDb } = await h.loaded;
  const own = await listModels(db);
  if (generalDb === db) return own;
  const general = (await listModels(generalDb)).filter((m) => GENERAL_MODEL_IDS.includes(m.id));
  return [...own, ...general];
}

const knownModel = (h: House, model: unknown): ModelName => {
  if (typeof model !== 'string' || !Object.hasOwn(h.models.entries, model))
    throw new HushCartError(
      'api/invalid-argument',
      `unknown model '${String(model)}'; models are ${Object.keys(h.models.entries).join(', ')}`,
    );
  return model as ModelName;
};

export const modelsApi: Methods<'models' | 'retrain' | 'cancelTraining' | 'exportModels' | 'setBackend'> = (h) => ({
  models: () => allModels(h),
  async retrain(model = 'recommender', o = {}) {
    if (o.epochs !== undefined && !(Number.isInteger(o.epochs) && o.epochs >= 1 && o.epochs <= 50))
      throw new HushCartError('api/invalid-argument', 'epochs must be an integer from 1 to 50');
    const m = h.models.entries[knownModel(h, model)];
    const withRecipes = MODEL_TABLE.filter((d) => d.recipes).map((d) => d.name);
    if (o.recipe !== undefined && !m.def.recipes)
      throw new HushCartError(
        'api/invalid-argument',
        `'${model}' has no recipes (models with recipes: ${withRecipes.join(', ')})`,
      );
    const asked =
      o.recipe === undefined ? undefined : namedRecipe(m.def.recipes ?? [], o.recipe, `the ${model} model's`);
    await m.ready.catch(() => undefined);
    // A model with recipes trains by the one asked for, else the one in service, else its first.
    const recipe = m.def.recipes ? { recipe: asked ?? m.state.recipe ?? m.def.recipes[0] } : {};
    // Its data feed is awaited by prepare itself (and says why when the catalog lacks it).
    const s = await h.models.prepare(model, Promise.resolve(), {
      force: true,
      ...recipe,
      ...(o.epochs ? { epochs: o.epochs } : {}),
    });
    if (model === 'embedder' && s.phase === 'ready') {
      h.pictures.reset(); // new weights: the catalog is embedded again
      await h.pictures.ensure();
    }
    return s;
  },
  async cancelTraining(model) {
    const m = h.models.entries[knownModel(h, model)];
    if (m.state.phase === 'training' && m.jobId) await h.engine.runtime.cancel(m.jobId);
  },
  async exportModels() {
    const { db, generalDb, info } = await h.loaded;
    const file = await exportProfile(
      db,
      { id: info.id, dataHash: info.dataHash },
      { models: true, generalDb, generalModelIds: GENERAL_MODEL_IDS },
    );
    // Models only: no shopper's events or settings go into a file a shop publishes.
    return new Blob([JSON.stringify({ ...file, events: [], settings: {} })], { type: 'application/json' });
  },
  async setBackend(preference) {
    if (preference !== 'auto' && !isBackendName(preference))
      throw new HushCartError(
        'api/invalid-argument',
        `unknown backend '${String(preference)}'; use auto, webgpu, webgl, wasm or cpu`,
      );
    const { db } = await h.loaded;
    return h.rt.setBackend(preference, db);
  },
});
