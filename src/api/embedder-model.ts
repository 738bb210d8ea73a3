/** The image embedder as a saved model on this device (see ./model-lifecycle.ts). */
import type { Engine } from '../engine/types';
import {
  EMBEDDER_VERSION,
  CELLS,
  embedderRecipe,
  type EmbedderWeights,
  type FineStage,
  type Reference,
} from '../vision/contract';
import { float32, int32, tensorData, type ModelSpec } from './model-lifecycle';

export const EMBEDDER_MODEL_ID = 'image-embedder-fashion';

export function embedderSpec(engine: Engine): ModelSpec<EmbedderWeights> {
  return {
    id: EMBEDDER_MODEL_ID,
    kind: 'cnn-image-embedder',
    version: EMBEDDER_VERSION,
    train: (jobId, onProgress, { recipe = 'quick', ...o }) =>
      engine.vision.train(jobId, { ...o, recipe: embedderRecipe(recipe) }, onProgress),
    use: (w) => engine.vision.use(w),
    backend: async () => (await engine.runtime.status()).backend ?? 'unknown',
    toRecord: (w) => ({
      tensors: [
        ...(w.fine
          ? [
              float32('stem', w.fine.stem, [4, w.fine.channels]),
              float32('stemBias', w.fine.stemBias, [w.fine.channels]),
              float32('fineConv', w.fine.conv, [9 * w.fine.channels, w.fine.channels]),
              float32('fineConvBias', w.fine.convBias, [w.fine.channels]),
            ]
          : []),
        float32('patch', w.patch, [w.patch.length / w.channels, w.channels]),
        float32('patchBias', w.patchBias, [w.channels]),
        float32('conv', w.conv, [9 * w.channels, w.channels]),
        float32('convBias', w.convBias, [w.channels]),
        float32('project', w.project, [CELLS * w.channels, w.embedding]),
        float32('projectBias', w.projectBias, [w.embedding]),
        float32('classify', w.classify, [w.embedding, w.classes]),
        float32('classifyBias', w.classifyBias, [w.classes]),
        ...(w.reference
          ? [
              float32('referenceEmbeddings', w.reference.embeddings, [w.reference.labels.length, w.embedding]),
              int32('referenceLabels', w.reference.labels),
            ]
          : []),
      ],
    }),
    fromRecord: (record) => {
      const classify = record.tensors.find((t) => t.name === 'classify');
      const patch = record.tensors.find((t) => t.name === 'patch');
      const stem = record.tensors.find((t) => t.name === 'stem');
      if (classify?.shape.length !== 2 || patch?.shape.length !== 2) return null;
      const [embedding = 0, classes = 0] = classify.shape;
      const [patchRows = 0, channels = 0] = patch.shape;
      const get = (name: string, n: number) => tensorData(record, name, n);
      let fine: FineStage | undefined;
      if (stem) {
        const F = stem.shape[1] ?? 0;
        const parts = {
          stem: get('stem', 4 * F),
          stemBias: get('stemBias', F),
          conv: get('fineConv', 9 * F * F),
          convBias: get('fineConvBias', F),
        };
        if (patchRows !== 4 * F || Object.values(parts).some((x) => x === null)) return null;
        fine = { channels: F, ...(parts as Record<keyof typeof parts, Float32Array>) };
      }
      const w = {
        patch: get('patch', patchRows * channels),
        patchBias: get('patchBias', channels),
        conv: get('conv', 9 * channels * channels),
        convBias: get('convBias', channels),
        project: get('project', CELLS * channels * embedding),
        projectBias: get('projectBias', embedding),
        classify: get('classify', embedding * classes),
        classifyBias: get('classifyBias', classes),
      };
      if (Object.values(w).some((x) => x === null)) return null;
      if (!fine && patchRows !== 16) return null;
      let reference: Reference | undefined;
      const labels = record.tensors.find((t) => t.name === 'referenceLabels');
      if (labels) {
        const R = labels.shape[0] ?? 0;
        const embeddings = get('referenceEmbeddings', R * embedding);
        if (!embeddings || labels.dtype !== 'int32' || labels.data.byteLength !== R * 4) return null;
        reference = { embeddings, labels: new Int32Array(labels.data) };
        if (reference.labels.some((l) => l < 0 || l >= classes)) return null;
      }
      return {
        channels,
        embedding,
        classes,
        ...(fine ? { fine } : {}),
        ...(w as Record<keyof typeof w, Float32Array>),
        ...(reference ? { reference } : {}),
      };
    },
  };
}
