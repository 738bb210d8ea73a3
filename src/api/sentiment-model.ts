/** The review sentiment network as a saved model on this device (see ./model-lifecycle.ts). */
import type { Engine } from '../engine/types';
import { DEFAULT_SENTIMENT, SENTIMENT_VERSION, type SentimentWeights } from '../sentiment/contract';
import { float32, tensorData, type ModelSpec } from './model-lifecycle';

export const SENTIMENT_MODEL_ID = 'sentiment-reviews';

export function sentimentSpec(engine: Engine): ModelSpec<SentimentWeights> {
  return {
    id: SENTIMENT_MODEL_ID,
    kind: 'sentiment-conv-attention',
    version: SENTIMENT_VERSION,
    train: (jobId, onProgress, o) => engine.sentiment.train(jobId, { ...DEFAULT_SENTIMENT, ...o }, onProgress),
    use: (w) => engine.sentiment.use(w),
    backend: async () => (await engine.runtime.status()).backend ?? 'unknown',
    toRecord: (w) => ({
      tensors: [
        float32('embedding', w.embedding, [w.vocab.length, w.dims]),
        float32('negation', w.negation, [w.dims]),
        float32('word', w.word, [w.dims, w.hidden]),
        float32('wordBias', w.wordBias, [w.hidden]),
        float32('say', w.say, [w.hidden]),
        float32('context', w.context, [3 * w.dims, w.hidden]),
        float32('contextBias', w.contextBias, [w.hidden]),
        float32('attend', w.attend, [w.hidden]),
        float32('bias', new Float32Array([w.bias]), [1]),
      ],
      extra: { vocab: w.vocab },
    }),
    fromRecord: (record) => {
      const vocab = record.extra?.vocab;
      const word = record.tensors.find((t) => t.name === 'word');
      if (!Array.isArray(vocab) || !vocab.every((v) => typeof v === 'string') || word?.shape.length !== 2) return null;
      const [dims = 0, hidden = 0] = word.shape;
      const get = (name: string, n: number) => tensorData(record, name, n);
      const w = {
        embedding: get('embedding', vocab.length * dims),
        negation: get('negation', dims),
        word: get('word', dims * hidden),
        wordBias: get('wordBias', hidden),
        say: get('say', hidden),
        context: get('context', 3 * dims * hidden),
        contextBias: get('contextBias', hidden),
        attend: get('attend', hidden),
      };
      const bias = get('bias', 1);
      const parts = Object.values(w);
      if (!bias || parts.some((x) => x === null)) return null;
      return { vocab, dims, hidden, ...(w as Record<keyof typeof w, Float32Array>), bias: bias[0] as number };
    },
  };
}
