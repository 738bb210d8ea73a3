/**
 * The Lab's and the benches' instruments: a matmul probe, a training probe, the evaluations of each capability,
 * training the sequential model by a given configuration, tuning the blend, and losing the device on purpose.
 */
import { memoryFetcher } from '../../catalog/fetch';
import { loadPack } from '../../catalog/load';
import { ratingTriples } from '../../catalog/ratings';
import type { Interactions } from '../../catalog/schema';
import { HushCartError } from '../../errors';
import {
  chooseFactorPack,
  DEFAULT_SEQUENTIAL,
  FACTOR_MIN_ITEMS_PER_USER,
  interactionCounts,
  ProtocolArgs,
  protocolOptions,
  type ProtocolRequest,
} from '../../recommend/contract';
import { parseArgs } from '../../shared/args';
import type { House, Methods } from './context';

/**
 * The factor pack's interactions (MovieLens in the default store), loaded on first use (the store never needs them
 * here), chosen by the same rule as the engine's.
 */
function factorInteractions(h: House): () => Promise<{ x: Interactions; items: number }> {
  let cache: Promise<{ x: Interactions; items: number }> | null = null;
  return () => {
    cache ??= (async () => {
      const { catalog, files } = await h.loaded;
      const full = await Promise.all(
        catalog.packs.map((p) =>
          p.interactions
            ? p
            : loadPack(p.baseUrl, { include: { reviews: false }, fetcher: memoryFetcher(files, h.options.fetcher) }),
        ),
      );
      const counts = full.flatMap((p) =>
        p.interactions ? [{ pack: p, ...interactionCounts(p.id, p.interactions) }] : [],
      );
      const chosen = counts.find((c) => c.packId === chooseFactorPack(counts))?.pack;
      if (!chosen?.interactions)
        throw new HushCartError(
          'api/not-ready',
          `no pack of this catalog has ${FACTOR_MIN_ITEMS_PER_USER}+ items per user (median) for matrix factorisation`,
        );
      return { x: chosen.interactions, items: chosen.items.length };
    })();
    cache.catch(() => (cache = null));
    return cache;
  };
}

export const diagnosticsApi: Methods<'diagnostics'> = (h) => {
  const { engine, rt, feeds, models } = h;
  const interactions = factorInteractions(h);
  /** Jobs cancelled before they reached the engine (still loading their data): they stop as they would have. */
  const cancelledEarly = new Set<string>();
  return {
    diagnostics: {
      async matmul(size = 1024, reps = 3) {
        await rt.ready;
        return engine.runtime.matmul(size, reps);
      },
      async trainProbe(o = {}, onProgress) {
        await rt.ready;
        const jobId = o.jobId ?? `train-probe-${Date.now().toString(36)}`;
        const { x, items } = await interactions();
        if (cancelledEarly.delete(jobId)) throw new HushCartError('engine/cancelled', `job '${jobId}' was cancelled`);
        const { train, test } = ratingTriples(x, items, { maxUsers: o.users ?? 200 });
        const config = {
          dim: o.dim ?? 32,
          epochs: o.epochs ?? 3,
          batchSize: o.batchSize ?? 1024,
          learningRate: o.learningRate ?? 0.01,
          seed: o.seed ?? 42,
          l2: 1e-4,
        };
        const result = await engine.runtime.trainEmbedding(jobId, train, test, config, onProgress);
        await rt.refresh().catch(() => undefined);
        return { ...result, jobId };
      },
      async cancel(jobId) {
        cancelledEarly.add(jobId); // in case the job has not reached the engine yet
        await engine.runtime.cancel(jobId);
        setTimeout(() => cancelledEarly.delete(jobId), 60_000);
      },
      async loseDevice() {
        await rt.ready;
        return engine.runtime.loseDevice();
      },
      async memory() {
        return (await engine.runtime.status()).memory;
      },
      async evaluateSentiment(onProgress, jobId = `eval-sentiment-${Date.now().toString(36)}`) {
        const state = await models.entries.sentiment.ready;
        if (state.phase !== 'ready')
          throw new HushCartError('api/not-ready', `the sentiment model is ${state.phase}: ${state.message}`);
        return engine.sentiment.evaluate(jobId, onProgress);
      },
      async evaluateVision(onProgress, jobId = `eval-vision-${Date.now().toString(36)}`) {
        await h.pictures.ensure();
        return engine.vision.evaluate(jobId, onProgress);
      },
      async evaluateAssistant() {
        await feeds.search;
        await models.entries.sentiment.ready.catch(() => undefined); // answers about opinions read the sentiment model
        return engine.assistant.evaluate();
      },
      async evaluateSearch(onProgress, jobId = `eval-search-${Date.now().toString(36)}`) {
        await feeds.search;
        return engine.search.evaluate(jobId, onProgress);
      },
      async trainSequential(config, onProgress, jobId = `train-sequential-${Date.now().toString(36)}`) {
        await rt.ready;
        await feeds.interactions;
        await feeds.factorPack; // rejects, saying why, for a catalog without sequences
        const full = { ...DEFAULT_SEQUENTIAL, ...config };
        const validation: number[] = [];
        const r = await engine.sequential.train(jobId, full, (p) => {
          const v = p.metrics?.validationAccuracy;
          if (v !== undefined) validation.push(v);
          onProgress?.(p);
        });
        return {
          config: full,
          epochLoss: r.epochLoss,
          validation,
          chosenEpoch: validation.indexOf(Math.max(...validation)) + 1,
          seconds: r.ms / 1000,
          examplesPerSec: r.examplesPerSec,
          backend: (await engine.runtime.status()).backend ?? 'unknown',
        };
      },
      async tuneBlend(onProgress, jobId = `tune-blend-${Date.now().toString(36)}`) {
        await rt.ready;
        await feeds.interactions;
        await feeds.factorPack;
        await models.entries.sequential.ready.catch(() => undefined); // it says so below when there is none
        return engine.recommend.tuneBlend(jobId, onProgress);
      },
      async runProtocol(request, onProgress, jobId = `protocol-${Date.now().toString(36)}`) {
        const options = protocolOptions(parseArgs(ProtocolArgs, request) as ProtocolRequest | undefined);
        await rt.ready;
        await feeds.interactions;
        await feeds.factorPack; // rejects, saying why, for a catalog without sequences
        return engine.recommend.protocol(jobId, options, onProgress);
      },
      async evaluateRecommenders(onProgress, jobId = `eval-${Date.now().toString(36)}`, options = {}) {
        await feeds.interactions;
        await models.entries.recommender.ready.catch(() => undefined); // the table includes the trained model when there is one
        return engine.recommend.evaluate(jobId, onProgress, options);
      },
    },
  };
};
