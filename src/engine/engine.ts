/**
 * The engine: owns tfjs, the active backend and every tensor. `createEngine()` returns the `Engine`
 * interface; ./worker.ts serves it from a Web Worker, unit tests call it in-thread.
 * Backend selection and recovery from a lost GPU device live here; jobs checkpoint to plain arrays so a
 * device loss costs at most the current epoch.
 */
import type { Pack } from '../catalog/schema';
import * as tf from '@tensorflow/tfjs';
import { HushCartError } from '../errors';
import { chooseBackend, type ProbeOutcome } from '../runtime/backend-select';
import { activate, configureWasm, deviceFingerprint, probe, timeMatmul, webgpuDevice } from '../runtime/backends';
import { BackendLostError, initialWeights, rmse, trainMf, type TrainState } from '../runtime/embedding-trainer';
import { JobRegistry } from '../runtime/jobs';
import { setBackendLostCheck } from '../runtime/device-loss';
import { watchViolations } from '../runtime/requests';
import {
  BACKENDS,
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
  type RememberedSelection,
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createEngine(): Engine {
  watchViolations();
  const engine = new TfEngine();
  setBackendLostCheck(() => engine.deviceLost);
  return engine;
}

class TfEngine implements Engine {
  private readonly jobs = new JobRegistry();
  private readonly recommendations = new RecommendService();
  private readonly sentimentModel = new SentimentService();
  private readonly vision = new VisionService();
  private readonly searching = new SearchService();
  private assistant: Promise<AssistantService> | null = null;
  private preference: BackendPreference = 'auto';
  private current: BackendName | null = null;
  private candidates: EngineStatus['candidates'] = [];
  private readonly lost: EngineStatus['lost'] = [];
  /** Backends that lost their device: never chosen again in this session. */
  private readonly dead = new Set<BackendName>();
  private selectionMs = 0;
  private lostFlag = false;
  private selecting: Promise<void> | null = null;
  private selection: RememberedSelection | null = null;
  private fromMemory = false;

  async init(options: InitOptions): Promise<EngineStatus> {
    configureWasm(options.wasmPaths);
    if (!(options.preference === 'auto' && options.remembered && (await this.reuse(options.remembered))))
      await this.select(options.preference);
    return this.status();
  }

  /** Uses a remembered 'auto' selection when this device still looks the same and its backend still starts. */
  private async reuse(r: RememberedSelection): Promise<boolean> {
    const t0 = performance.now();
    if (r.fingerprint !== (await deviceFingerprint())) return false;
    if (await activate(r.chosen)) return false;
    this.preference = 'auto';
    this.current = r.chosen;
    const when = new Date(r.at).toISOString().slice(0, 10);
    this.candidates = r.candidates.map((c) => ({ ...c, reason: `${c.reason} [measured ${when}]` }));
    this.selection = r;
    this.fromMemory = true;
    this.lostFlag = false;
    this.watchDevice();
    this.selectionMs = performance.now() - t0;
    return true;
  }

  async status(): Promise<EngineStatus> {
    const m = tf.memory();
    return {
      ready: this.current !== null,
      backend: this.current,
      preference: this.preference,
      candidates: this.candidates.map((c) => ({ ...c })),
      lost: this.lost.map((l) => ({ ...l })),
      selectionMs: this.selectionMs,
      selection: this.selection,
      fromMemory: this.fromMemory,
      tfjsVersion: tf.version.tfjs,
      memory: { numTensors: m.numTensors, numBytes: m.numBytes },
    };
  }

  async setBackend(preference: BackendPreference): Promise<EngineStatus> {
    if (this.jobs.size > 0)
      throw new HushCartError('api/invalid-argument', 'wait for running jobs to finish before switching backend');
    await this.select(preference);
    return this.status();
  }

  /** Probes backends (all of them for 'auto'; the requested one first otherwise) and activates the choice. */
  private async select(preference: BackendPreference): Promise<void> {
    const run = async () => {
      const t0 = performance.now();
      this.preference = preference;
      const fingerprint = deviceFingerprint();
      const order = BACKENDS.filter((b) => !this.dead.has(b));
      const outcomes: ProbeOutcome[] = [];
      if (preference !== 'auto' && order.includes(preference)) {
        const forced = await probe(preference);
        outcomes.push(forced);
        const ok = !forced.failure;
        for (const b of order) if (b !== preference) outcomes.push(ok ? { backend: b, skipped: true } : await probe(b));
      } else {
        for (const b of order) outcomes.push(await probe(b));
      }
      for (const b of this.dead) {
        const why = this.lost.find((l) => l.backend === b)?.reason ?? 'device lost';
        outcomes.push({ backend: b, failure: `device lost earlier in this session (${why})` });
      }
      outcomes.sort((a, b) => BACKENDS.indexOf(a.backend) - BACKENDS.indexOf(b.backend));
      const selection = chooseBackend(outcomes, preference);
      this.candidates = selection.candidates;
      if (!selection.chosen) {
        this.current = null;
        throw new HushCartError(
          'engine/no-backend',
          `no tfjs backend works here: ${selection.candidates.map((c) => `${c.backend}: ${c.reason}`).join('; ')}`,
        );
      }
      const failure = await activate(selection.chosen);
      if (failure) throw new HushCartError('engine/backend-unavailable', `${selection.chosen}: ${failure}`);
      this.current = selection.chosen;
      // Only a full 'auto' measurement on a healthy device is worth remembering.
      this.selection =
        preference === 'auto' && this.dead.size === 0
          ? {
              fingerprint: await fingerprint,
              chosen: selection.chosen,
              candidates: selection.candidates,
              at: Date.now(),
            }
          : null;
      this.fromMemory = false;
      this.lostFlag = false;
      this.watchDevice();
      this.selectionMs = performance.now() - t0;
    };
    // One selection at a time (a device loss may trigger one while another is running).
    const prev = this.selecting ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(run);
    this.selecting = next;
    try {
      await next;
    } finally {
      if (this.selecting === next) this.selecting = null;
    }
  }

  private watchDevice(): void {
    const device = webgpuDevice();
    if (!device) return;
    void device.lost.then((info) => {
      if (this.current !== 'webgpu' || webgpuDevice() !== device) return;
      const reason = `GPU device lost (${info.reason}${info.message ? `: ${info.message}` : ''})`;
      this.lost.push({ backend: 'webgpu', reason, at: Date.now() });
      this.dead.add('webgpu');
      this.lostFlag = true;
      // Move on at once so the UI's status is right even when no job is running.
      void this.select(this.preference === 'webgpu' ? 'auto' : this.preference).catch(() => undefined);
    });
  }

  /** After a device loss: wait for re-selection to finish, then jobs resume on the new backend. */
  private async recover(): Promise<BackendName> {
    const from = this.current;
    if (this.selecting) await this.selecting.catch(() => undefined);
    if (this.current === from || this.current === null)
      await this.select(this.preference === from ? 'auto' : this.preference);
    if (!this.current) throw new HushCartError('engine/no-backend', 'no backend left after the GPU device was lost');
    return this.current;
  }

  private requireBackend(): BackendName {
    if (!this.current) throw new HushCartError('api/not-ready', 'the engine has no backend yet: call init() first');
    return this.current;
  }

  async matmul(size: number, reps: number): Promise<MatmulResult> {
    if (!Number.isInteger(size) || size < 1 || size > 4096 || !Number.isInteger(reps) || reps < 1 || reps > 100)
      throw new HushCartError('api/invalid-argument', 'matmul size must be 1..4096 and reps 1..100');
    const backend = this.requireBackend();
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
    this.requireBackend();
    return this.job(jobId, async (signal) => {
      const t0 = performance.now();
      let state: TrainState = { weights: initialWeights(train, config.dim, config.seed), epoch: 0, epochLoss: [] };
      const recoveredFrom: BackendName[] = [];
      for (;;) {
        const backend = this.requireBackend();
        try {
          const ctx = {
            jobId,
            signal,
            backendLost: () => this.lostFlag,
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
            backend: this.requireBackend(),
            epochLoss: state.epochLoss,
            testRmse,
            examples,
            ms,
            examplesPerSec: examples / (ms / 1000),
            recoveredFrom,
          };
        } catch (e) {
          if (!(await this.lostDevice(e))) throw e;
          recoveredFrom.push(backend);
          await this.recover();
        }
      }
    });
  }

  /**
   * Whether an error means the device was lost: it surfaces as the loop's own check or as a failed read, and the
   * device's lost promise may land a moment after the read fails.
   */
  private async lostDevice(e: unknown): Promise<boolean> {
    if (e instanceof BackendLostError || this.lostFlag) return true;
    await sleep(50);
    return this.lostFlag;
  }

  /** Whether the current backend's device was lost (read by every training loop before each batch). */
  get deviceLost(): boolean {
    return this.lostFlag;
  }

  /**
   * A training job that survives a lost GPU device: the shared epoch loop stops at the next batch, the engine moves
   * to the next backend, and the training runs again there from its first epoch, with the same seed (trainers keep
   * their state in tensors of the lost backend; the reference trainer resumes from a checkpoint instead).
   */
  private training<T>(jobId: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.job(jobId, async (signal) => {
      for (;;) {
        try {
          return await run(signal);
        } catch (e) {
          if (!(await this.lostDevice(e))) throw e;
          await this.recover();
        }
      }
    });
  }

  /** Runs a cancellable job under `jobId`; its errors leave as HushCartError. */
  private async job<T>(jobId: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = this.jobs.start(jobId);
    try {
      return await run(signal);
    } catch (e) {
      throw HushCartError.from(e);
    } finally {
      this.jobs.finish(jobId);
    }
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
    return this.job(jobId, async (signal) => {
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
    return this.job(jobId, (signal) =>
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
    this.requireBackend();
    return this.training(jobId, (signal) =>
      this.recommendations.trainBpr(config, { jobId, signal, ...(onProgress ? { onProgress } : {}) }, events),
    );
  }

  async trainSequential(
    jobId: string,
    config: SequentialConfig,
    onProgress?: ProgressCallback,
    events?: ShopperEvent[],
  ): Promise<SequentialResult> {
    this.requireBackend();
    return this.training(jobId, (signal) =>
      this.recommendations.trainSequential(config, { jobId, signal, ...(onProgress ? { onProgress } : {}) }, events),
    );
  }

  async tuneBlend(jobId: string, onProgress?: ProgressCallback): Promise<BlendTuning> {
    this.requireBackend();
    return this.training(jobId, (signal) =>
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
    this.requireBackend();
    const r = await this.training(jobId, (signal) =>
      this.sentimentModel.train(config, { jobId, signal, ...(onProgress ? { onProgress } : {}) }),
    );
    await this.shareSentiment();
    return r;
  }

  async useSentimentWeights(weights: SentimentWeights): Promise<void> {
    this.requireBackend();
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
    return this.job(jobId, () =>
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
    this.requireBackend();
    return this.training(jobId, (signal) =>
      this.vision.trainEmbedder(recipe, overrides, { jobId, signal, ...(onProgress ? { onProgress } : {}) }),
    );
  }

  async useEmbedderWeights(weights: EmbedderWeights): Promise<void> {
    this.requireBackend();
    this.vision.use(weights);
  }

  async embedCatalog(jobId: string, onProgress?: ProgressCallback): Promise<CatalogEmbeddings> {
    const c = await this.job(jobId, () =>
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
    return this.job(jobId, () =>
      this.vision.evaluate((fraction, step) => onProgress?.({ jobId, fraction, message: `evaluating ${step}` })),
    );
  }

  async cancel(jobId: string): Promise<void> {
    this.jobs.cancel(jobId);
  }

  async loseDevice(): Promise<boolean> {
    const device = webgpuDevice();
    if (!device) return false;
    device.destroy();
    return true;
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
