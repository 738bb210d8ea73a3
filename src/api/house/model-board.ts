/**
 * The house's models, from the model table: each one's state, preparing it (load what is saved or shipped, else
 * train, one tab at a time), the first visit's boot in the table's order, and background retraining once the
 * shopper has made enough new events on the factor pack's items and gone quiet.
 */
import { listModels } from '../../store/models';
import type { StoragePriorities } from '../../store/space';
import type { ShopperEvent } from '../../recommend/contract';
import { INITIAL_MODEL_STATE, type ModelState, type PrepareOptions } from '../model-lifecycle';
import { MODEL_TABLE, type ModelContext, type ModelDefinition } from '../model-table';
import { idleRetrainer } from '../idle-retrain';
import { withTrainingLock } from '../train-lock';
import { MODEL_NAMES, type ModelName } from '../types';
import { Unavailable, type Feeds } from './feeds';
import type { EngineHandle } from './engine-start';
import type { HushCartOptions, Loaded } from './types';

export interface ModelEntry {
  def: ModelDefinition;
  state: ModelState;
  ready: Promise<ModelState>;
  /** The running training job, to cancel it. */
  jobId?: string;
  /** The model's id once known (its saved record's, and its note's when it is not kept). */
  modelId?: string;
}

/** Prepare options; `boot`: the first visit's own preparation (a model the catalog does not use unasked is not trained then). */
type Prepare = PrepareOptions & { boot?: boolean };

type RetrainedModel = 'recommender' | 'sequential';
interface Retrainer {
  threshold: number;
  modelId: (packId: string) => string;
  retrainer: ReturnType<typeof idleRetrainer>;
}

export interface ModelBoard {
  entries: Record<ModelName, ModelEntry>;
  /** Loads or trains one model once `after` settles; resolves with its state. */
  prepare(name: ModelName, after: Promise<unknown>, o: Prepare): Promise<ModelState>;
  /** A model's state as status() reports it: a copy, with a note when its trained copy is not kept on this device. */
  stateOf(name: ModelName, space: StoragePriorities): ModelState;
  /** New events were recorded: the retrainers count them. */
  poke(): void;
  /** What status().autoRetrain reports. */
  retrainStatus(): Promise<{
    threshold: number;
    pending: number;
    running: boolean;
    quietMs: number;
    sequential: { threshold: number; pending: number; running: boolean };
  }>;
}

interface BoardInput {
  options: HushCartOptions;
  loaded: Promise<Loaded>;
  rt: EngineHandle;
  feeds: Feeds;
  shopperEvents: () => Promise<ShopperEvent[]>;
  /** Whether the first visit trains (no consent, or `pretrain: false`: it only loads). */
  train: boolean;
}

export function createModelBoard(input: BoardInput): ModelBoard {
  const { options, loaded, rt, feeds } = input;
  const entries = Object.fromEntries(
    MODEL_TABLE.map((def) => [
      def.name,
      { def, state: INITIAL_MODEL_STATE, ready: Promise.resolve(INITIAL_MODEL_STATE) } satisfies ModelEntry,
    ]),
  ) as Record<ModelName, ModelEntry>;
  const context: ModelContext = {
    engine: rt.engine,
    factorPack: () => feeds.factorPack,
    shopperEvents: input.shopperEvents,
  };

  const prepare = (name: ModelName, after: Promise<unknown>, o: Prepare) => {
    const m = entries[name];
    const setState = (s: ModelState) => {
      m.state = s;
      options.onModelState?.(name, s);
    };
    m.ready = (async () => {
      try {
        await feeds.byName[m.def.feed];
      } catch (e) {
        if (!(e instanceof Unavailable)) throw e;
        const s: ModelState = { phase: 'unavailable', fraction: 0, message: e.message, losses: [] };
        setState(s);
        return s;
      }
      await after;
      // Loading or training a model needs the engine's backend; the feeds may be ready before it is chosen (the
      // interactions load while a first visit is still probing the backends).
      await rt.ready;
      await feeds.shipped; // a model the shop shipped is loaded, not trained
      const { db, generalDb, info, manifest, catalog, space } = await loaded;
      const [where, hash] = m.def.scope === 'general' ? [generalDb, manifest.dataHash] : [db, info.dataHash];
      const { boot, ...prepareOptions } = o;
      if (boot && m.def.trainsUnasked && !m.def.trainsUnasked(catalog)) prepareOptions.train = false;
      const model = await m.def.model(context);
      m.modelId = model.id;
      // Another tab training the same model: wait for it, then load what it saved (prepare looks first).
      return withTrainingLock(
        `${where.name}/${model.id}`,
        () =>
          setState({
            ...m.state,
            phase: m.state.phase === 'ready' ? 'ready' : 'waiting',
            message: 'another tab is training this model; this one will use it when it is done',
          }),
        () =>
          model.prepare(where, hash, setState, {
            ...prepareOptions,
            space,
            previous: m.state,
            onJob: (id) => (m.jobId = id),
          }),
      );
    })();
    m.ready.catch(() => undefined);
    return m.ready;
  };

  // One model at a time, in the table's order; each waits for the one before it, whatever that one's outcome.
  MODEL_TABLE.reduce<Promise<unknown>>(
    (before, def) =>
      prepare(def.name, Promise.allSettled([before]), {
        train: input.train,
        boot: true,
        ...(def.recipes ? { recipe: def.recipes[0] } : {}),
      }),
    feeds.interactions,
  );

  const stateOf = (name: ModelName, space: StoragePriorities): ModelState => {
    const m = entries[name];
    const note = m.state.phase === 'ready' && m.modelId ? space.modelNote(m.modelId) : undefined;
    return { ...m.state, losses: [...m.state.losses], ...(note ? { note } : {}) };
  };
  // A model saved, or given way, since: the UI hears its note (status() reads it too).
  void loaded
    .then(({ space }) =>
      space.subscribe(() => {
        for (const name of MODEL_NAMES) options.onModelState?.(name, stateOf(name, space));
      }),
    )
    .catch(() => undefined);

  const { retrainers, pendingSince, quietMs } = backgroundRetraining(input, entries, prepare);
  const retrainStatus = async (r: Retrainer) => ({
    threshold: r.threshold,
    pending: await pendingSince(r.modelId),
    running: r.retrainer.running,
  });
  return {
    entries,
    prepare,
    stateOf,
    poke: () => Object.values(retrainers).forEach((r) => r.retrainer.poke()),
    retrainStatus: async () => ({
      ...(await retrainStatus(retrainers.recommender)),
      quietMs,
      sequential: await retrainStatus(retrainers.sequential),
    }),
  };
}

/**
 * Background retraining: the shopper's events on the factor models' pack join the training data (BPR: as one more
 * user, see trainBpr; the sequential model: as one more sequence), trained for as many epochs as the model in
 * service was.
 */
function backgroundRetraining(
  { options, loaded, feeds }: BoardInput,
  entries: Record<ModelName, ModelEntry>,
  prepare: ModelBoard['prepare'],
) {
  const quietMs = options.retrainQuietMs ?? 30_000;
  const savedMeta = async (modelId: string) => (await listModels((await loaded).db)).find((m) => m.id === modelId);
  /** New events on the factor pack's items since the model was trained (0 when the capability is unavailable). */
  const pendingSince = async (modelId: (packId: string) => string): Promise<number> => {
    const packId = await feeds.factorPack.catch(() => null);
    if (packId === null) return 0;
    const trained = (await savedMeta(modelId(packId)))?.createdAt;
    if (trained === undefined) return 0; // never trained here: the first training will take everything in
    const { log, catalog } = await loaded;
    const onPack = (itemId?: string) => !!itemId && catalog.packOfItem(itemId)?.id === packId;
    return (await log.all()).filter((e) => e.ts > trained && onPack(e.itemId)).length;
  };
  const retrainers = Object.fromEntries(
    MODEL_TABLE.flatMap((def) => {
      if (!def.retrainAfter) return [];
      const threshold = def.retrainAfter(options);
      const retrainer = idleRetrainer({
        threshold: threshold > 0 ? threshold : Infinity,
        quietMs,
        pending: () => pendingSince(def.modelId),
        canStart: () =>
          entries[def.name].state.phase === 'ready' &&
          Object.values(entries).every((m) => m.state.phase !== 'training'),
        retrain: async () => {
          const epochs = (await savedMeta(def.modelId(await feeds.factorPack)))?.metrics.epochs;
          return prepare(def.name, feeds.interactions, { force: true, ...(epochs ? { epochs } : {}) });
        },
      });
      return [[def.name, { threshold, modelId: def.modelId, retrainer }]];
    }),
  ) as Record<RetrainedModel, Retrainer>;
  return { retrainers, pendingSince, quietMs };
}
