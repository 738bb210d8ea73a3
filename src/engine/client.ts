/**
 * The UI side of the engine boundary: starts the worker and returns the same `Engine` interface, so callers
 * cannot tell a worker engine from an in-thread one. Progress callbacks travel as comlink proxies.
 * tfjs is never imported here: it loads with the worker, after first paint.
 */
import * as Comlink from 'comlink';
import { installErrorTransfer } from './comlink-errors';
import type { Engine, ProgressCallback } from './types';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/** Same-origin URLs of the wasm binaries (never a CDN). */
export const WASM_PATHS: Record<string, string> = {
  'tfjs-backend-wasm.wasm': new URL(wasmUrl, location.href).href,
  'tfjs-backend-wasm-simd.wasm': new URL(wasmSimdUrl, location.href).href,
  'tfjs-backend-wasm-threaded-simd.wasm': new URL(wasmThreadedUrl, location.href).href,
};

export function startWorkerEngine(): Engine {
  installErrorTransfer();
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'hushcart-engine' });
  const remote = Comlink.wrap<Engine>(worker);
  const proxied = (cb?: ProgressCallback) => (cb ? Comlink.proxy(cb) : undefined);
  return {
    init: (o) => remote.init(o),
    status: () => remote.status(),
    setBackend: (p) => remote.setBackend(p),
    matmul: (size, reps) => remote.matmul(size, reps),
    trainEmbedding: (jobId, train, test, config, onProgress) =>
      remote.trainEmbedding(jobId, train, test, config, proxied(onProgress)),
    loadInteractions: (urls, wordVectors) => remote.loadInteractions(urls, wordVectors),
    recommend: (request) => remote.recommend(request),
    evaluateRecommenders: (jobId, onProgress) => remote.evaluateRecommenders(jobId, proxied(onProgress)),
    trainRecommender: (jobId, config, onProgress, events) =>
      remote.trainRecommender(jobId, config, proxied(onProgress), events),
    useRecommenderWeights: (w) => remote.useRecommenderWeights(w),
    trainSequential: (jobId, config, onProgress, events) =>
      remote.trainSequential(jobId, config, proxied(onProgress), events),
    useSequentialWeights: (w) => remote.useSequentialWeights(w),
    taste: (events) => remote.taste(events),
    loadSentimentData: (urls, wordVectors) => remote.loadSentimentData(urls, wordVectors),
    trainSentiment: (jobId, config, onProgress) => remote.trainSentiment(jobId, config, proxied(onProgress)),
    useSentimentWeights: (w) => remote.useSentimentWeights(w),
    sentiment: (texts) => remote.sentiment(texts),
    evaluateSentiment: (jobId, onProgress) => remote.evaluateSentiment(jobId, proxied(onProgress)),
    itemSentiment: (itemIds) => remote.itemSentiment(itemIds),
    loadVisionData: (train, catalog) => remote.loadVisionData(train, catalog),
    trainEmbedder: (jobId, recipe, overrides, onProgress) =>
      remote.trainEmbedder(jobId, recipe, overrides, proxied(onProgress)),
    useEmbedderWeights: (w) => remote.useEmbedderWeights(w),
    embedCatalog: (jobId, onProgress) => remote.embedCatalog(jobId, proxied(onProgress)),
    useCatalogEmbeddings: (c) => remote.useCatalogEmbeddings(c),
    searchImage: (input, limit) => remote.searchImage(input, limit),
    moreLikeThis: (itemId, limit) => remote.moreLikeThis(itemId, limit),
    imageCategories: (itemIds) => remote.imageCategories(itemIds),
    evaluateVision: (jobId, onProgress) => remote.evaluateVision(jobId, proxied(onProgress)),
    cancel: (jobId) => remote.cancel(jobId),
    loseDevice: () => remote.loseDevice(),
    dispose: async () => {
      await remote.dispose();
      remote[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
