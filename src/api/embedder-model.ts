/** The image embedder as a saved model on this device (see ./model-lifecycle.ts). */
import type { Engine } from '../engine/types';
import { DEFAULT_EMBEDDER, EMBEDDER_VERSION, WEIGHT_NAMES, weightShapes, type WeightName } from '../vision/cnn-config';
import type { EmbedderWeights } from '../vision/cnn';
import { float32, tensorData, type ModelSpec } from './model-lifecycle';

export const EMBEDDER_MODEL_ID = 'image-embedder-fashion';

export function embedderSpec(engine: Engine): ModelSpec<EmbedderWeights> {
  return {
    id: EMBEDDER_MODEL_ID,
    kind: 'cnn-image-embedder',
    version: EMBEDDER_VERSION,
    train: (jobId, onProgress, o) => engine.trainEmbedder(jobId, { ...DEFAULT_EMBEDDER, ...o }, onProgress),
    use: (w) => engine.useEmbedderWeights(w),
    backend: async () => (await engine.status()).backend ?? 'unknown',
    toRecord: (w) => {
      const shapes = weightShapes(w.stem, w.channels, w.embedding, w.classes);
      return { tensors: WEIGHT_NAMES.map((k) => float32(k, w[k], shapes[k])) };
    },
    fromRecord: (record) => {
      const dims = (name: string) => record.tensors.find((t) => t.name === name)?.shape ?? [];
      const [, stem = 0] = dims('patch');
      const [, channels = 0] = dims('merge');
      const [embedding = 0, classes = 0] = dims('classify');
      if (!(stem && channels && embedding && classes)) return null;
      const shapes = weightShapes(stem, channels, embedding, classes);
      const w: Partial<Record<WeightName, Float32Array>> = {};
      for (const k of WEIGHT_NAMES) {
        const data = tensorData(
          record,
          k,
          shapes[k].reduce((a, b) => a * b, 1),
        );
        if (!data) return null;
        w[k] = data;
      }
      return { stem, channels, embedding, classes, ...(w as Record<WeightName, Float32Array>) };
    },
  };
}
