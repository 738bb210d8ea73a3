import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { registerKernels } from '../engine/kernels';
import { DEFAULT_EMBEDDER, Embedder, trainEmbedder } from './cnn';

it('cnn proto', async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  registerKernels('wasm');
  const img = new Uint8Array(gunzipSync(readFileSync('public/data/train/fashion-train-images.u8.gz')));
  const lab = new Uint8Array(gunzipSync(readFileSync('public/data/train/fashion-train-labels.u8.gz')));
  const nTrain = 20000,
    px = 784;
  const cfg = { ...DEFAULT_EMBEDDER, ...JSON.parse(process.env.CFG ?? '{}') };
  const hold = img.subarray(nTrain * px),
    holdLab = lab.subarray(nTrain);
  const r = await trainEmbedder(img.subarray(0, nTrain * px), lab.subarray(0, nTrain), 10, cfg, {
    jobId: 'x',
    signal: new AbortController().signal,
    onProgress: (p) => p.metrics && console.log(JSON.stringify(p.metrics), (performance.now() / 1000).toFixed(0)),
  });
  console.log('train s', r.ms / 1000, 'ex/s', r.examplesPerSec);
  const m = new Embedder(r.weights);
  const pixels = Float32Array.from(hold, (v) => v / 255);
  const { embeddings, probs } = await m.embed(pixels);
  const n = holdLab.length,
    E = r.weights.embedding;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let b = 0;
    for (let k = 1; k < 10; k++) if (probs[i * 10 + k]! > probs[i * 10 + b]!) b = k;
    if (b === holdLab[i]) correct++;
  }
  let p10 = 0;
  for (let i = 0; i < n; i++) {
    const s: [number, number][] = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let d = 0;
      for (let k = 0; k < E; k++) d += embeddings[i * E + k]! * embeddings[j * E + k]!;
      s.push([d, j]);
    }
    s.sort((a, b) => b[0] - a[0]);
    p10 += s.slice(0, 10).filter(([, j]) => holdLab[j] === holdLab[i]).length / 10;
  }
  console.log('acc', correct / n, 'P@10', p10 / n);
}, 1_200_000);
