/**
 * The review-sentiment capability's host in the engine: where its training data is (`load`), its model's verbs
 * (`train`, `use`), scoring texts (`analyze`) and its evaluation. `ports.served`: told each time a model starts
 * serving, so the capabilities that read sentiment (the recommender weighs items by their reviews) follow.
 */
import type { BackendRuntime } from '../runtime/backend-runtime';
import type { ModelHost, ProgressCallback } from '../runtime/types';
import type { GloveUrls } from '../shared/word-vectors';
import type { SentimentDataUrls } from './data';
import type { SentimentConfig, SentimentTrainResult, SentimentWeights } from './model';
import type { SentimentEvaluation, SentimentResult, SentimentService } from './service';
import { HushCartError } from '../errors';

export interface SentimentHost extends ModelHost<SentimentConfig, SentimentTrainResult, SentimentWeights> {
  /** Where the labelled texts, lexicons and word vectors are (fetched only to train or evaluate). */
  load(urls: SentimentDataUrls, wordVectors: GloveUrls): Promise<void>;
  /** Scores texts: label, P(positive) and each token's share of the decision. */
  analyze(texts: string[]): Promise<SentimentResult[]>;
  /** The network, logistic regression and both lexicons on the same test sets. */
  evaluate(jobId: string, onProgress?: ProgressCallback): Promise<SentimentEvaluation>;
}

export function sentimentHost(
  service: SentimentService,
  rt: BackendRuntime,
  ports: { served: () => Promise<void> },
): SentimentHost {
  return {
    load: async (urls, wordVectors) => service.setSource(urls, wordVectors),
    async train(jobId, config, onProgress) {
      const r = await rt.training(jobId, onProgress, (ctx) => service.train(config, ctx));
      await ports.served();
      return r;
    },
    async use(weights) {
      rt.requireBackend();
      await service.use(weights);
      await ports.served();
    },
    async analyze(texts) {
      if (!Array.isArray(texts) || !texts.every((t) => typeof t === 'string'))
        throw new HushCartError('api/invalid-argument', 'sentiment needs a string or an array of strings');
      return service.analyze(texts);
    },
    evaluate: async (jobId, onProgress) =>
      rt.job(jobId, () =>
        service.evaluate((fraction, step) => onProgress?.({ jobId, fraction, message: `evaluating ${step}` })),
      ),
  };
}
