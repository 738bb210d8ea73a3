/**
 * The sentiment side of the engine: loads the labelled data, lexicons and word vectors in the worker, trains
 * the network (keeping the epoch with the best validation accuracy), serves `analyze()` with per-token
 * weights, and runs the evaluation: the network, the unigram+bigram logistic regression and both lexicons,
 * on the same test sets in one run.
 */
import type { Fetcher } from '../catalog/fetch';
import { binaryMetrics, bestThreshold, type BinaryMetrics } from '../eval/classification';
import { keepBestEpoch, type TrainContext } from '../runtime/epochs';
import { HushCartError } from '../errors';
import { loadWordVectors } from '../catalog/word-vectors-file';
import type { GloveUrls, WordVectors } from '../shared/word-vectors';
import { loadSentimentData, type LabelledText, type SentimentData, type SentimentDataUrls } from './data';
import { afinnScore, buildLexicon, vaderScore, type Lexicon } from './lexicon';
import { DEFAULT_LOGREG, logRegScores, trainLogReg } from './logreg';
import {
  SentimentModel,
  trainSentiment,
  wordNoise,
  type SentimentConfig,
  type SentimentTrainResult,
  type SentimentWeights,
} from './model';
import { CompiledSentiment } from './compiled';
import { tokenize, type Token } from './tokenize';
import { buildVocabulary, encode, initialEmbedding, knownShare, vocabularyOf, type Vocabulary } from './vocab';
import type { SentimentToken } from './contract';
export type { SentimentToken };

export interface SentimentResult {
  label: 'positive' | 'negative';
  /** P(positive) in [0, 1]. */
  score: number;
  tokens: SentimentToken[];
  /** Share of the words the model knows: near 0 for other languages or gibberish (score means little). */
  known: number;
  /** The text was longer than MAX_CHARS; only its start was read. */
  truncated: boolean;
  /** The text the token offsets point into (HTML removed). */
  text: string;
}

export interface SentimentRow {
  model: string;
  dataset: string;
  metrics: BinaryMetrics;
  threshold: number;
}

export interface SentimentEvaluation {
  rows: SentimentRow[];
  /** Batched scoring throughput (raw text to label, score and token weights) on the Fine Foods test reviews. */
  reviewsPerSec: number;
  /** Median latency of scoring one review alone. */
  singleMs: number;
  trainSize: number;
  validationSize: number;
}

export const NETWORK = 'network (GloVe word vectors, context attention)';
export const LOGREG = 'logistic regression (unigrams + bigrams)';
export const AFINN = 'AFINN-165 lexicon';
export const VADER = 'VADER lexicon';

interface Loaded {
  data: SentimentData;
  glove: WordVectors;
  afinn: Lexicon;
  vader: Lexicon;
  tokens: { train: Token[][]; validation: Token[][]; tests: Token[][][] };
}

const tokensOf = (rows: LabelledText[]) => rows.map((r) => tokenize(r.text).tokens);
const labelsOf = (rows: LabelledText[]) => Uint8Array.from(rows, (r) => r.label);

export class SentimentService {
  private loading: Promise<Loaded> | null = null;
  private model: CompiledSentiment | null = null;
  private vocab: Vocabulary | null = null;

  private source: { urls: SentimentDataUrls; glove: GloveUrls; fetcher?: Fetcher } | null = null;

  /**
   * Where the labelled texts, lexicons and word vectors are. They are fetched and tokenized only to train or
   * evaluate: serving a saved model needs none of them.
   */
  setSource(urls: SentimentDataUrls, glove: GloveUrls, fetcher?: Fetcher): void {
    this.source = { urls, glove, ...(fetcher ? { fetcher } : {}) };
    this.loading = null;
  }

  private loaded(): Promise<Loaded> {
    const src = this.source;
    if (!src) return Promise.reject(new HushCartError('api/not-ready', 'the sentiment data is not known'));
    this.loading ??= (async () => {
      const [data, wv] = await Promise.all([
        loadSentimentData(src.urls, src.fetcher),
        loadWordVectors(src.glove, src.fetcher),
      ]);
      return {
        data,
        glove: wv,
        afinn: buildLexicon(data.afinn),
        vader: buildLexicon(data.vader),
        tokens: {
          train: tokensOf(data.train),
          validation: tokensOf(data.validation),
          tests: data.tests.map((t) => tokensOf(t.rows)),
        },
      };
    })();
    this.loading.catch(() => (this.loading = null));
    return this.loading;
  }

  /** Trains the network on the training pool; the returned weights are the best epoch on validation. */
  async train(
    config: SentimentConfig,
    ctx: Omit<TrainContext<SentimentWeights>, 'afterEpoch'>,
  ): Promise<SentimentTrainResult> {
    const l = await this.loaded();
    const vocab = buildVocabulary(l.tokens.train, l.glove);
    const dims = l.glove.dims;
    const docs = l.tokens.train.map((t) => encode(t, vocab));
    const valDocs = l.tokens.validation.map((t) => encode(t, vocab));
    const valLabels = labelsOf(l.data.validation);
    const keep = keepBestEpoch(async (weights: SentimentWeights) => {
      const m = new SentimentModel(weights);
      try {
        const scores = (await m.score(valDocs)).map((s) => s.probability);
        return binaryMetrics(scores, valLabels, 0.5).accuracy;
      } finally {
        m.dispose();
      }
    });
    const result = await trainSentiment(
      docs,
      labelsOf(l.data.train),
      vocab.words,
      { embedding: initialEmbedding(vocab, l.glove, dims, wordNoise(vocab.words.length * dims, config.seed)), dims },
      config,
      { ...ctx, afterEpoch: keep.afterEpoch },
    );
    const chosen = keep.chosen(result.weights);
    await this.use(chosen);
    return { ...result, weights: chosen };
  }

  /** Serves saved weights (no training). */
  async use(w: SentimentWeights): Promise<void> {
    const V = w.vocab.length;
    if (
      w.embedding.length !== V * w.dims ||
      w.word.length !== w.dims * w.hidden ||
      w.context.length !== 3 * w.dims * w.hidden ||
      w.say.length !== w.hidden ||
      w.attend.length !== w.hidden
    )
      throw new HushCartError('api/invalid-argument', 'the sentiment weights are inconsistent; train the model again');
    this.model = await CompiledSentiment.compile(w);
    this.vocab = vocabularyOf(w.vocab);
  }

  /** Scores texts with per-token weights. */
  async analyze(texts: string[]): Promise<SentimentResult[]> {
    const model = this.model;
    const vocab = this.vocab;
    if (!model || !vocab)
      throw new HushCartError('api/not-ready', 'the sentiment model is not ready yet: it is loading or training');
    return texts.map((text) => {
      const t = tokenize(text);
      const s = model.score(encode(t.tokens, vocab));
      return {
        label: s.probability > 0.5 ? 'positive' : 'negative',
        score: s.probability,
        tokens: t.tokens.map((tok, i) => ({
          text: tok.text,
          weight: s.terms[i] as number,
          start: tok.start,
          end: tok.end,
        })),
        known: knownShare(t.tokens, vocab),
        truncated: t.truncated,
        text: t.text,
      };
    });
  }

  /** Every model on every test set, one run; the logistic regression is trained here on the same data. */
  async evaluate(onProgress?: (fraction: number, step: string) => void): Promise<SentimentEvaluation> {
    const l = await this.loaded();
    const model = this.model;
    const vocab = this.vocab;
    if (!model || !vocab) throw new HushCartError('api/not-ready', 'train the sentiment model first');
    const trainLabels = labelsOf(l.data.train);
    const valLabels = labelsOf(l.data.validation);
    onProgress?.(0.05, LOGREG);
    // The regression's L2 is chosen on the validation pool, like the network's epoch.
    let lr = trainLogReg(l.tokens.train, trainLabels, DEFAULT_LOGREG);
    let lrAcc = binaryMetrics(logRegScores(lr, l.tokens.validation), valLabels, 0.5).accuracy;
    for (const l2 of [1e-4, 1e-2]) {
      const m = trainLogReg(l.tokens.train, trainLabels, { ...DEFAULT_LOGREG, l2 });
      const acc = binaryMetrics(logRegScores(m, l.tokens.validation), valLabels, 0.5).accuracy;
      if (acc > lrAcc) [lr, lrAcc] = [m, acc];
    }
    onProgress?.(0.4, 'lexicons');
    // Lexicon scores have no natural cut-off for "5 stars vs the rest": each gets its accuracy-best threshold
    // on the training pool.
    const afinnThreshold = bestThreshold(
      l.tokens.train.map((t) => afinnScore(t, l.afinn)),
      trainLabels,
    );
    const vaderThreshold = bestThreshold(
      l.tokens.train.map((t) => vaderScore(t, l.vader)),
      trainLabels,
    );
    const rows: SentimentRow[] = [];
    let reviewsPerSec = 0;
    for (const [k, test] of l.data.tests.entries()) {
      const tokens = l.tokens.tests[k] as Token[][];
      const labels = labelsOf(test.rows);
      onProgress?.(0.5 + (0.4 * k) / l.data.tests.length, `${NETWORK} on ${test.name}`);
      const net = tokens.map((t) => model.score(encode(t, vocab)).probability);
      if (k === 0) {
        // Throughput the way the store scores: raw text in, label, score and token weights out.
        const t0 = performance.now();
        await this.analyze(test.rows.map((r) => r.text));
        reviewsPerSec = test.rows.length / ((performance.now() - t0) / 1000);
      }
      const add = (name: string, scores: ArrayLike<number>, threshold: number) =>
        rows.push({ model: name, dataset: test.name, metrics: binaryMetrics(scores, labels, threshold), threshold });
      add(NETWORK, net, 0.5);
      add(LOGREG, logRegScores(lr, tokens), 0.5);
      add(
        AFINN,
        tokens.map((t) => afinnScore(t, l.afinn)),
        afinnThreshold,
      );
      add(
        VADER,
        tokens.map((t) => vaderScore(t, l.vader)),
        vaderThreshold,
      );
    }
    onProgress?.(0.95, 'single-review latency');
    const first = l.data.tests[0]?.rows ?? [];
    const times: number[] = [];
    for (let k = 0; k < Math.min(30, first.length); k++) {
      const t0 = performance.now();
      await this.analyze([(first[k] as LabelledText).text]);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return {
      rows,
      reviewsPerSec,
      singleMs: times[times.length >> 1] ?? NaN,
      trainSize: l.data.train.length,
      validationSize: l.data.validation.length,
    };
  }
}
