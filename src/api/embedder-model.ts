/** The image embedder as a saved model on this device (see ./model-lifecycle.ts). */
import type { Engine } from '../engine/types';
import { DEFAULT_EMBEDDER, EMBEDDER_VERSION, CELLS } from '../vision/cnn-config';
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
    toRecord: (w) => ({
      tensors: [
        float32('patch', w.patch, [w.patch.length / w.channels, w.channels]),
        float32('patchBias', w.patchBias, [w.channels]),
        float32('conv', w.conv, [9 * w.channels, w.channels]),
        float32('convBias', w.convBias, [w.channels]),
        float32('project', w.project, [CELLS * w.channels, w.embedding]),
        float32('projectBias', w.projectBias, [w.embedding]),
        float32('classify', w.classify, [w.embedding, w.classes]),
        float32('classifyBias', w.classifyBias, [w.classes]),
      ],
    }),
    fromRecord: (record) => {
      const classify = record.tensors.find((t) => t.name === 'classify');
      const patch = record.tensors.find((t) => t.name === 'patch');
      if (classify?.shape.length !== 2 || patch?.shape.length !== 2) return null;
      const [embedding = 0, classes = 0] = classify.shape;
      const [patchPixels = 0, channels = 0] = patch.shape;
      const get = (name: string, n: number) => tensorData(record, name, n);
      const w = {
        patch: get('patch', patchPixels * channels),
        patchBias: get('patchBias', channels),
        conv: get('conv', 9 * channels * channels),
        convBias: get('convBias', channels),
        project: get('project', CELLS * channels * embedding),
        projectBias: get('projectBias', embedding),
        classify: get('classify', embedding * classes),
        classifyBias: get('classifyBias', classes),
      };
      if (Object.values(w).some((x) => x === null)) return null;
      return { channels, embedding, classes, ...(w as Record<keyof typeof w, Float32Array>) };
    },
  };
}
