/**
 * The data feeds: what the worker reads and builds as a house opens (the interaction logs, the search index, the
 * shop's shipped models, the factor pack, the sentiment and picture training data), each a promise that settles
 * once, followed so that status() can read how each settled without waiting.
 */
import type { Picture } from '../../catalog/catalog';
import { httpFetcher } from '../../catalog/fetch';
import { listModels } from '../../store/models';
import { saveCache, loadCacheBytes } from '../../store/caches';
import { FACTOR_MIN_ITEMS_PER_USER } from '../../recommend/contract';
import { SEARCH_INDEX_VERSION } from '../../search/contract';
import type { Engine } from '../../engine/types';
import type { LoadingPart, ShippedModels } from '../types';
import type { DataFeed } from '../model-table';
import { dataUrlOf, gloveUrls } from './open';
import { GENERAL_MODEL_IDS } from './general-models';
import type { HushCartOptions, Loaded } from './types';
import type { EngineHandle } from './engine-start';

/** A capability whose data is missing: its model shows `unavailable` with this reason; the rest of the API works. */
export class Unavailable extends Error {}

export interface Outcome<T = unknown> {
  state: 'pending' | 'fulfilled' | 'rejected';
  value?: T;
  reason: string;
}

/** Follows a promise's settlement, so that it can be read synchronously (and never rejects unheard). */
function settled<T>(p: Promise<T>): Outcome<T> {
  const o: Outcome<T> = { state: 'pending', reason: '' };
  p.then(
    (value) => Object.assign(o, { state: 'fulfilled', value }),
    (e: unknown) => Object.assign(o, { state: 'rejected', reason: e instanceof Error ? e.message : String(e) }),
  );
  return o;
}

type Result<F extends (...a: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

export interface Feeds {
  interactions: ReturnType<Engine['recommend']['load']>;
  search: ReturnType<typeof buildSearch>;
  shipped: Promise<ShippedModels | null>;
  /** The pack the factor models are trained on (decided by its data in the worker), or why there is none. */
  factorPack: Promise<string>;
  sentiment: Promise<Result<Engine['sentiment']['load']>>;
  vision: Promise<Result<Engine['vision']['load']>>;
  /** How each settled, read without waiting (status() must not block on the worker). */
  outcomes: {
    interactions: Outcome<Result<Engine['recommend']['load']>>;
    search: Outcome<Result<typeof buildSearch>>;
    factors: Outcome<string>;
    sentiment: Outcome;
    vision: Outcome;
    shipped: Outcome<ShippedModels | null>;
  } & Record<LoadingPart, Outcome>;
  /** The data each feed of the model table stands for (rejected with Unavailable where the catalog lacks it). */
  byName: Record<DataFeed, Promise<unknown>>;
}

export function startFeeds(options: HushCartOptions, loaded: Promise<Loaded>, rt: EngineHandle): Feeds {
  // Each is followed by settled() below, which also keeps a rejection from going unheard.
  const interactions = loadInteractions(options, loaded, rt.engine);
  const search = buildSearch(loaded, rt.engine, interactions);
  const shipped = readShippedModels(options, loaded, rt.engine);
  const factorPack = chooseFactorPack(interactions);
  const sentiment = sentimentData(options, loaded, rt);
  const vision = visionData(options, loaded, rt);
  return {
    interactions,
    search,
    shipped,
    factorPack,
    sentiment,
    vision,
    outcomes: {
      interactions: settled(interactions),
      search: settled(search),
      factors: settled(factorPack),
      sentiment: settled(sentiment),
      vision: settled(vision),
      shipped: settled(shipped),
    },
    byName: { factors: factorPack, sentiment, vision },
  };
}

/**
 * The worker loads the interaction logs itself. It does not wait for the engine's backend: loading, the item space
 * and the recommendations that need no trained model are plain arrays, so they are ready while a first visit is
 * still probing the backends (the widget's first cards).
 */
async function loadInteractions(options: HushCartOptions, loaded: Promise<Loaded>, engine: Engine) {
  const { catalog, manifest, files, info } = await loaded;
  return engine.recommend.load(
    catalog.packs.map((p) => p.baseUrl),
    gloveUrls(manifest, dataUrlOf(options)),
    Object.keys(files).length ? files : undefined,
    // A shop's catalog was read and validated whole here (the demo store's packs without their interactions).
    info.id === 'default' ? undefined : catalog.packs,
  );
}

/**
 * The search index, built in the worker over the loaded catalog, kept on the device with the catalog's data hash
 * (a return visit loads it instead of building it).
 */
async function buildSearch(loaded: Promise<Loaded>, engine: Engine, interactions: Promise<unknown>) {
  await interactions;
  const { db, info, space } = await loaded;
  const saved = await loadCacheBytes(db, 'search-index', SEARCH_INDEX_VERSION, info.dataHash).catch(() => undefined);
  const built = await engine.search.build(saved);
  const bytes = built.bytes;
  if (bytes)
    await space
      .keepCache('search-index', 'The search index', () =>
        saveCache(db, 'search-index', SEARCH_INDEX_VERSION, info.dataHash, [bytes.length], bytes),
      )
      .catch(() => undefined);
  return { items: built.items, built: built.built, buildMs: built.buildMs, semantic: built.semantic };
}

/**
 * The models a shop ships with its pack: read and checked completely (the export format's own checks), and those
 * still stamped with this catalog's data hash (the general ones: with the data manifest's) that this device does not
 * have yet are written where the models are kept, so the models load them instead of training. A model trained here
 * is never replaced by a shipped one. A bad file trains as if there were none, and says why.
 */
async function readShippedModels(
  options: HushCartOptions,
  loaded: Promise<Loaded>,
  engine: Engine,
): Promise<ShippedModels | null> {
  const { shippedModels: url, db, generalDb, info, manifest, space } = await loaded;
  if (!url || options.shippedModels === false) return null;
  try {
    // Read and checked in the worker (megabytes of JSON would be a long task on the shop's page).
    const models = await engine.runtime.checkModelsFile(await (options.fetcher ?? httpFetcher)(url), info.id);
    const general = (id: string) => GENERAL_MODEL_IDS.includes(id);
    const have = new Set([...(await listModels(db)), ...(await listModels(generalDb))].map((m) => m.id));
    const skipped: ShippedModels['skipped'] = [];
    const fresh = models.filter(({ meta }) => {
      const want = general(meta.id) ? manifest.dataHash : info.dataHash;
      if (meta.dataHash !== want) skipped.push({ id: meta.id, why: 'stale: trained on other data' });
      else if (have.has(meta.id)) skipped.push({ id: meta.id, why: 'this device has its own' });
      else return true;
      return false;
    });
    // Each with the caches giving way if need be; one that still does not fit serves from memory on this visit.
    for (const { meta, weights } of fresh) await space.keepModel(general(meta.id) ? generalDb : db, meta, weights);
    return { url, loaded: fresh.map((m) => m.meta.id), skipped };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    options.onStoreProblem?.(`The models shipped with this catalog were not used (${url}): ${message}`);
    return { url, loaded: [], skipped: [], error: message };
  }
}

async function chooseFactorPack(interactions: ReturnType<Engine['recommend']['load']>): Promise<string> {
  const info = await interactions;
  const chosen = info.find((i) => i.factors);
  if (chosen) return chosen.packId;
  const withInteractions = info.filter((i) => i.users > 0);
  throw new Unavailable(
    withInteractions.length
      ? `needs a pack whose users have ${FACTOR_MIN_ITEMS_PER_USER}+ items each (median); ${withInteractions
          .map((i) => `${i.packId} has ${i.medianItemsPerUser}`)
          .join(', ')}: recommendations come from item-kNN and the item space`
      : 'this catalog has no interactions (ratings, purchases or views): recommendations come from the item space',
  );
}

/** The worker learns where the sentiment data (labelled reviews, lexicons) is, once the engine is up. */
async function sentimentData(options: HushCartOptions, loaded: Promise<Loaded>, rt: EngineHandle) {
  const dataUrl = dataUrlOf(options);
  const { manifest } = await loaded;
  const fineFoods = manifest.train?.fineFoodsReviews;
  const uci = manifest.train?.uciSentences;
  const glove = gloveUrls(manifest, dataUrl);
  const missing = [
    !fineFoods && 'labelled reviews (train.fineFoodsReviews)',
    !uci && 'labelled sentences (train.uciSentences)',
    !manifest.lexicons && 'lexicons',
    !glove && 'word vectors (embeddings.glove)',
  ].filter(Boolean);
  if (!fineFoods || !uci || !manifest.lexicons || !glove)
    throw new Unavailable(`the data manifest has no ${missing.join(', ')} to train the sentiment model on`);
  await rt.ready;
  return rt.engine.sentiment.load(
    {
      fineFoods: dataUrl(fineFoods),
      uci: dataUrl(uci),
      afinn: dataUrl(manifest.lexicons.afinn),
      vader: dataUrl(manifest.lexicons.vader),
    },
    glove,
  );
}

/** The image training set and the catalog's pictures go to the worker the same way. */
async function visionData(options: HushCartOptions, loaded: Promise<Loaded>, rt: EngineHandle) {
  const dataUrl = dataUrlOf(options);
  const { manifest, catalog } = await loaded;
  const fi = manifest.train?.fashionImages;
  if (!fi) throw new Unavailable('the data manifest has no training pictures (train.fashionImages)');
  const items = catalog.pictured();
  if (!items.length) throw new Unavailable('no item of this catalog has a picture');
  await rt.ready;
  const classes = fi.classes;
  const pictures = items.map((i) => catalog.pictureOf(i.id) as Picture);
  const sprite = pictures.find((p): p is Extract<Picture, { sprite: unknown }> => 'sprite' in p)?.sprite;
  return rt.engine.vision.load(
    {
      images: dataUrl(fi.images),
      labels: dataUrl(fi.labels),
      classes,
      ...(fi.extra ? { extra: { images: dataUrl(fi.extra.images), labels: dataUrl(fi.extra.labels) } } : {}),
    },
    {
      itemIds: items.map((i) => i.id),
      labels: items.map((i) => classes.indexOf(i.category ?? '')),
      pictures: pictures.map((p) => ('url' in p ? { url: p.url } : { tile: p.index })),
      ...(sprite ? { spriteUrl: sprite.spriteUrl, sprite } : {}),
    },
  );
}
