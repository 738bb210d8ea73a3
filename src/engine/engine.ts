/**
 * The engine: owns tfjs, the active backend and every tensor. `createEngine()` returns the `Engine`
 * interface; ./worker.ts serves it from a Web Worker, unit tests call it in-thread.
 * Backend selection, recovery from a lost GPU device and job wrapping live in the runtime
 * (../runtime/backend-runtime.ts); this class routes each call to its capability's service and wires the ports
 * between capabilities (search asks the recommender for affinity, the assistant asks search and sentiment).
 */
import type { Pack } from '../catalog/schema';
import * as tf from '@tensorflow/tfjs';
import { HushCartError } from '../errors';
import { timeMatmul } from '../runtime/backends';
import { BackendRuntime } from '../runtime/backend-runtime';
import { initialWeights, rmse, trainMf, type TrainState } from '../runtime/embedding-trainer';
import { setBackendLostCheck } from '../runtime/device-loss';
import { watchViolations } from '../runtime/requests';
import {
  type BackendName,
  type BackendPreference,
  type EmbeddingTrainConfig,
  type EmbeddingTrainResult,
  type Engine,
  type EngineStatus,
  type InitOptions,
  type MatmulResult,
  type ProgressCallback,
  type RatingTriples,
  type LoadedInteractions,
  type RankingRow,
  type Recommendation,
  type RecommendRequest,
  type BprConfig,
  type BprResult,
  type BprWeights,
  type SequentialConfig,
  type SequentialResult,
  type SequentialWeights,
  type ShopperEvent,
  type Taste,
  type CatalogEmbeddings,
  type EmbedderRecipe,
  type EmbedderTrainResult,
  type EmbedderWeights,
  type ImageMatch,
  type ImageSearchResult,
  type VisionCatalogSource,
  type VisionEvaluation,
  type VisionTrainUrls,
  type SentimentConfig,
  type SentimentDataUrls,
  type SentimentEvaluation,
  type SentimentResult,
  type SentimentTrainResult,
  type SentimentWeights,
} from './types';
import type { GloveUrls } from '../shared/word-vectors';
import { RecommendService, type BlendTuning } from '../recommend/service';
import { SentimentService } from '../sentiment/service';
import { VisionService } from '../vision/service';
import { pictureFromUrl, spriteTiles } from '../vision/decode';
import { IMAGE_SIZE } from '../vision/cnn-config';
import { gunzip, isGzip, memoryFetcher } from '../catalog/fetch';
import { checkImport, type CheckedImport } from '../store/profile';
import { SearchService, searchItems } from '../search/service';
import { evaluateSearch, type SearchEvaluation } from '../search/evaluate';
import type { SearchIndexInfo, SearchRequest, SearchResponse } from '../search/contract';
import { AssistantService, assistantItems } from '../assistant/service';
import { evaluateAssistant, type AssistantEvaluation } from '../assistant/evaluate';
import type { AskRequest, AskResponse } from '../assistant/contract';

export function createEngine(): Engine {
  watchViolations();
  const engine = new TfEngine();
  setBackendLostCheck(() => engine.deviceLost);
  return engine;
}

class TfEngine implements Engine {
  private readonly recommendations = new RecommendService();
  private readonly sentimentModel = new SentimentService();
  private readonly vision = new VisionService();
  private readonly searching = new SearchService();
  private assistant: Promise<AssistantService> | null = null;
  private readonly rt = new BackendRuntime();

  init(options: InitOptions): Promise<EngineStatus> {
    return this.rt.init(options);
  }

  status(): Promise<EngineStatus> {
    return this.rt.status();
  }

  setBackend(preference: BackendPreference): Promise<EngineStatus> {
    return this.rt.setBackend(preference);
  }

  /** Whether the current backend's device was lost (read by every training loop before each batch). */
  get deviceLost(): boolean {
    return this.rt.deviceLost;
  }

  async matmul(size: number, reps: number): Promise<MatmulResult> {
    if (!Number.isInteger(size) || size < 1 || size > 4096 || !Number.isInteger(reps) || reps < 1 || reps > 100)
      throw new HushCartError('api/invalid-argument', 'matmul size must be 1..4096 and reps 1..100');
    const backend = this.rt.requireBackend();
    const r = await timeMatmul(size, reps);
    return {
      backend,
      size,
      reps: r.reps,
      medianMs: r.medianMs,
      gflops: (2 * size ** 3) / (r.medianMs * 1e6),
      maxAbsError: r.maxAbsError,
    };
  }

  async trainEmbedding(
    jobId: string,
    train: RatingTriples,
    test: RatingTriples | null,
    config: EmbeddingTrainConfig,
    onProgress?: ProgressCallback,
  ): Promise<EmbeddingTrainResult> {
    checkTriples('train', train);
    if (test) checkTriples('test', test);
    if (test && (test.numUsers > train.numUsers || test.numItems > train.numItems))
      throw new HushCartError('api/invalid-argument', 'test triples use more users or items than training');
    this.rt.requireBackend();
    return this.rt.job(jobId, async (signal) => {
      const t0 = performance.now();
      let state: TrainState = { weights: initialWeights(train, config.dim, config.seed), epoch: 0, epochLoss: [] };
      const recoveredFrom: BackendName[] = [];
      for (;;) {
        const backend = this.rt.requireBackend();
        try {
          const ctx = {
            jobId,
            signal,
            backendLost: () => this.rt.deviceLost,
            onCheckpoint: (s: TrainState) => (state = s),
            ...(onProgress ? { onProgress } : {}),
          };
          const { model } = await trainMf(train, config, state, ctx);
          let testRmse: number | null = null;
          try {
            testRmse = test ? await rmse(model, test) : null;
          } finally {
            model.dispose();
          }
          const ms = performance.now() - t0;
          const examples = train.rating.length * config.epochs;
          return {
            backend: this.rt.requireBackend(),
            epochLoss: state.epochLoss,
            testRmse,
            examples,
            ms,
            examplesPerSec: examples / (ms / 1000),
            recoveredFrom,
          };
        } catch (e) {
          if (!(await this.rt.lostDevice(e))) throw e;
          recoveredFrom.push(backend);
          await this.rt.recover();
        }
      }
    });
  }

  async checkModelsFile(bytes: Uint8Array, catalogId: string): Promise<CheckedImport['models']> {
    const plain = isGzip(bytes) ? await gunzip(bytes) : bytes;
    // Events are refused below, so no item is looked up.
    const checked = await checkImport(new Blob([plain as BlobPart]), { catalogId, hasItem: () => true });
    if (checked.events.length)
      throw new HushCartError(
        'store/invalid-import',
        `a models file carries no shopper data, and this one has ${checked.events.length} events: ship the file that exportModels() writes`,
      );
    return checked.models;
  }

  /** `files`: packs read on the page (a local catalog file), served by their pseudo-URL instead of fetched. */
  loadInteractions(
    packUrls: string[],
    wordVectors?: GloveUrls,
    files?: Record<string, Uint8Array>,
    packs?: Pack[],
  ): Promise<LoadedInteractions[]> {
    return this.recommendations.load(packUrls, wordVectors, files ? memoryFetcher(files) : undefined, packs);
  }

  /** Indexes the catalog loaded by loadInteractions for search; `saved`: a keyword index kept on the device. */
  async buildSearch(saved?: Uint8Array): Promise<SearchIndexInfo & { bytes?: Uint8Array }> {
    const { packs, words } = await this.recommendations.catalog();
    this.assistant = null; // it reads the index: built again on its next question
    return this.searching.build(searchItems(packs), words, saved);
  }

  async search(request: SearchRequest, events?: ShopperEvent[]): Promise<SearchResponse> {
    // Personalised: the recommender's affinity for each candidate (a port between the two capabilities).
    return this.searching.search(
      request,
      events ? (itemIds) => this.recommendations.affinity(events, itemIds) : undefined,
    );
  }

  /** The assistant, built on first use over the loaded catalog and the search index. */
  private assistantService(): Promise<AssistantService> {
    this.assistant ??= (async () => {
      const { packs } = await this.recommendations.catalog();
      if (!this.searching.ready)
        throw new HushCartError('api/not-ready', 'the assistant needs the search index: build it first');
      return new AssistantService(assistantItems(packs), {
        lookup: (words, o) => this.searching.lookup(words, o),
        knows: (t) => this.searching.knows(t),
        similar: async (itemId, limit) =>
          (
            await this.recommendations.recommend({
              slot: 'similar',
              itemId,
              events: [],
              limit,
              diversity: 0,
              exclude: [],
            })
          ).map((r) => r.itemId),
        sentiment: async (texts) => {
          try {
            return (await this.sentimentModel.analyze(texts)).map((r) => r.score);
          } catch {
            return null; // not trained yet: the answers quote without sentiment
          }
        },
      });
    })();
    this.assistant.catch(() => (this.assistant = null));
    return this.assistant;
  }

  async ask(request: AskRequest): Promise<AskResponse> {
    return (await this.assistantService()).ask(request);
  }

  async evaluateAssistant(): Promise<AssistantEvaluation> {
    return evaluateAssistant(await this.assistantService());
  }

  async evaluateSearch(jobId: string, onProgress?: ProgressCallback): Promise<SearchEvaluation> {
    return this.rt.job(jobId, async (signal) => {
      const { packs } = await this.recommendations.catalog();
      return evaluateSearch(this.searching, searchItems(packs), {
        signal,
        onProgress: (fraction) => onProgress?.({ jobId, fraction, message: 'running the search queries' }),
      });
    });
  }

  async recommend(request: RecommendRequest): Promise<Recommendation[]> {
    return this.recommendations.recommend(request);
  }

  async evaluateRecommenders(
    jobId: string,
    onProgress?: ProgressCallback,
    options: { peers?: boolean } = {},
  ): Promise<RankingRow[]> {
    return this.rt.job(jobId, (signal) =>
      this.recommendations.evaluate(
        (fraction, model) => onProgress?.({ jobId, fraction, message: `evaluating ${model}` }),
        { jobId, signal },
        options,
      ),
    );
  }

  async trainRecommender(
    jobId: string,
    config: BprConfig,
    onProgress?: ProgressCallback,
    events?: ShopperEvent[],
  ): Promise<BprResult> {
    this.rt.requireBackend();
    return this.rt.training(jobId, (signal) =>
      this.recommendations.trainBpr(config, { jobId, signal, ...(onProgress ? { onProgress } : {}) }, events),
    );
  }

  async trainSequential(
    jobId: string,
    config: SequentialConfig,
    onProgress?: ProgressCallback,
    events?: ShopperEvent[],
  ): Promise<SequentialResult> {
    this.rt.requireBackend();
    return this.rt.training(jobId, (signal) =>
      this.recommendations.trainSequential(config, { jobId, signal, ...(onProgress ? { onProgress } : {}) }, events),
    );
  }

  async tuneBlend(jobId: string, onProgress?: ProgressCallback): Promise<BlendTuning> {
    this.rt.requireBackend();
    return this.rt.training(jobId, (signal) =>
      this.recommendations.tuneBlend({ jobId, signal, ...(onProgress ? { onProgress } : {}) }),
    );
  }

  async useSequentialWeights(weights: SequentialWeights): Promise<void> {
    this.recommendations.useSequential(weights);
  }

  async taste(events: ShopperEvent[]): Promise<Taste> {
    return this.recommendations.taste(events);
  }

  async useRecommenderWeights(weights: BprWeights): Promise<void> {
    await this.recommendations.useBpr(weights);
  }

  async loadSentimentData(urls: SentimentDataUrls, wordVectors: GloveUrls): Promise<void> {
    this.sentimentModel.setSource(urls, wordVectors);
  }

  async trainSentiment(
    jobId: string,
    config: SentimentConfig,
    onProgress?: ProgressCallback,
  ): Promise<SentimentTrainResult> {
    this.rt.requireBackend();
    const r = await this.rt.training(jobId, (signal) =>
      this.sentimentModel.train(config, { jobId, signal, ...(onProgress ? { onProgress } : {}) }),
    );
    await this.shareSentiment();
    return r;
  }

  async useSentimentWeights(weights: SentimentWeights): Promise<void> {
    this.rt.requireBackend();
    await this.sentimentModel.use(weights);
    await this.shareSentiment();
  }

  /** The recommender weighs items by their reviews' sentiment from now on. */
  private shareSentiment(): Promise<void> {
    return this.recommendations.useSentiment(async (texts) =>
      (await this.sentimentModel.analyze(texts)).map((r) => r.score),
    );
  }

  async sentiment(texts: string[]): Promise<SentimentResult[]> {
    if (!Array.isArray(texts) || !texts.every((t) => typeof t === 'string'))
      throw new HushCartError('api/invalid-argument', 'sentiment needs a string or an array of strings');
    return this.sentimentModel.analyze(texts);
  }

  async evaluateSentiment(jobId: string, onProgress?: ProgressCallback): Promise<SentimentEvaluation> {
    return this.rt.job(jobId, () =>
      this.sentimentModel.evaluate((fraction, step) =>
        onProgress?.({ jobId, fraction, message: `evaluating ${step}` }),
      ),
    );
  }

  async itemSentiment(itemIds: string[]): Promise<(number | null)[]> {
    return this.recommendations.itemSentiment(itemIds);
  }

  async loadVisionData(train: VisionTrainUrls, catalog: VisionCatalogSource): Promise<{ catalog: number }> {
    const n = catalog.itemIds.length;
    if (catalog.pictures.length !== n || catalog.labels.length !== n)
      throw new HushCartError('api/invalid-argument', 'vision catalog: one picture and one label per item');
    this.vision.setTrainingSource(train);
    const px = IMAGE_SIZE * IMAGE_SIZE;
    const pixels = new Float32Array(n * px);
    let tiles: Float32Array | null = null;
    if (catalog.pictures.some((p) => 'tile' in p)) {
      const { spriteUrl, sprite } = catalog;
      if (!spriteUrl || !sprite) throw new HushCartError('api/invalid-argument', 'vision catalog: tiles need a sprite');
      if (sprite.tileWidth !== IMAGE_SIZE || sprite.tileHeight !== IMAGE_SIZE)
        throw new HushCartError('catalog/invalid', `${spriteUrl}: sprite tiles must be ${IMAGE_SIZE}x${IMAGE_SIZE}`);
      const res = await fetch(spriteUrl);
      if (!res.ok) throw new HushCartError('catalog/fetch-failed', `${spriteUrl}: HTTP ${res.status}`);
      tiles = await spriteTiles(await res.blob(), sprite);
    }
    for (const [r, p] of catalog.pictures.entries()) {
      if ('tile' in p) pixels.set((tiles as Float32Array).subarray(p.tile * px, (p.tile + 1) * px), r * px);
      else pixels.set(await pictureFromUrl(p.url, catalog.itemIds[r] as string), r * px);
    }
    this.vision.setCatalog({ itemIds: catalog.itemIds, labels: Int32Array.from(catalog.labels), pixels });
    return { catalog: n };
  }

  async trainEmbedder(
    jobId: string,
    recipe: EmbedderRecipe,
    overrides: { epochs?: number },
    onProgress?: ProgressCallback,
  ): Promise<EmbedderTrainResult> {
    this.rt.requireBackend();
    return this.rt.training(jobId, (signal) =>
      this.vision.trainEmbedder(recipe, overrides, { jobId, signal, ...(onProgress ? { onProgress } : {}) }),
    );
  }

  async useEmbedderWeights(weights: EmbedderWeights): Promise<void> {
    this.rt.requireBackend();
    this.vision.use(weights);
  }

  async embedCatalog(jobId: string, onProgress?: ProgressCallback): Promise<CatalogEmbeddings> {
    const c = await this.rt.job(jobId, () =>
      this.vision.embedCatalog((f) => onProgress?.({ jobId, fraction: f, message: 'embedding catalog pictures' })),
    );
    await this.shareImageVectors(c);
    return c;
  }

  async useCatalogEmbeddings(c: CatalogEmbeddings): Promise<void> {
    this.vision.useCatalogEmbeddings(c);
    await this.shareImageVectors(c);
  }

  /** Items with pictures are compared by how they look in the recommender too (their pack's item space). */
  private async shareImageVectors(c: CatalogEmbeddings): Promise<void> {
    await this.recommendations.useImageVectors(c.itemIds, c.embeddings, c.dims);
  }

  async searchImage(input: Blob | ImageBitmap, limit: number): Promise<ImageSearchResult> {
    try {
      return await this.vision.searchImage(input, limit);
    } catch (e) {
      // Anything but a typed error here comes from the shopper's file.
      throw HushCartError.from(e, 'api/invalid-argument');
    }
  }

  async moreLikeThis(itemId: string, limit: number): Promise<ImageMatch[]> {
    return this.vision.moreLike(itemId, limit);
  }

  async imageCategories(itemIds: string[]): Promise<({ category: string; confidence: number } | null)[]> {
    return itemIds.map((id) => this.vision.categoryOf(id));
  }

  async evaluateVision(jobId: string, onProgress?: ProgressCallback): Promise<VisionEvaluation> {
    return this.rt.job(jobId, () =>
      this.vision.evaluate((fraction, step) => onProgress?.({ jobId, fraction, message: `evaluating ${step}` })),
    );
  }

  async cancel(jobId: string): Promise<void> {
    this.rt.cancel(jobId);
  }

  async loseDevice(): Promise<boolean> {
    return this.rt.loseDevice();
  }

  async dispose(): Promise<void> {
    tf.disposeVariables();
  }
}

function checkTriples(name: string, t: RatingTriples): void {
  const n = t.user.length;
  if (t.item.length !== n || t.rating.length !== n)
    throw new HushCartError('api/invalid-argument', `${name}: user, item and rating arrays differ in length`);
  if (n === 0) throw new HushCartError('api/invalid-argument', `${name}: no triples`);
  for (let k = 0; k < n; k++) {
    const u = t.user[k] as number;
    const i = t.item[k] as number;
    if (u < 0 || u >= t.numUsers || i < 0 || i >= t.numItems || !Number.isFinite(t.rating[k]))
      throw new HushCartError('api/invalid-argument', `${name}: triple ${k} is out of range (user ${u}, item ${i})`);
  }
}
