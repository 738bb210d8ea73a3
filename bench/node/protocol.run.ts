/**
 * The quality protocol (src/recommend/protocol.ts) in Node on tfjs-wasm, the same code and the same wasm kernels as
 * the engine worker's, for runs too long for one page (hours): `npm run bench:protocol` with PROTOCOL (JSON: a
 * ProtocolRequest, src/recommend/protocol-config.ts) and PROTOCOL_LABEL (the run's name in the tables). The run is
 * kept in bench/results/protocol/, and the section "Recommendation quality protocol" of results/latest.md is written
 * again from every run kept there. PROTOCOL_OUT: write the run to that file instead, and nothing else (screening, or
 * parallel processes); PROTOCOL_ADD (comma-separated such files): keep those runs (one label's runs over other test
 * seeds joined into one) and write the section, running none.
 * Two processes (e.g. the recipe and the peer) use both cores.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { it } from 'vitest';
import { loadPack } from '../../src/catalog/load';
import { loadWordVectors } from '../../src/catalog/word-vectors-file';
import { registerKernels } from '../../src/runtime/kernels';
import { readPacks } from '../../src/recommend/pack-data';
import { trainBpr } from '../../src/recommend/bpr';
import { DEFAULT_BPR } from '../../src/recommend/bpr-config';
import { contentFeatures, hybridItems } from '../../src/recommend/hybrid-items';
import { protocolOptions, runProtocol, type ProtocolRequest } from '../../src/recommend/protocol';
import { diskFetcher } from '../../src/test/disk-fetcher';
import { joinSeeds, saveRun, writeProtocolSection, type ProtocolRun } from '../protocol-report';
import mergeReport from '../report';

it('runs the quality protocol', { timeout: 24 * 3600_000 }, async () => {
  if (process.env.PROTOCOL_ADD) {
    // Runs written elsewhere (PROTOCOL_OUT of parallel processes): kept, and the section written from all kept runs.
    // Runs with one label (one recipe over other test seeds) are kept as one run over all their seeds.
    const runs = process.env.PROTOCOL_ADD.split(',').map((f) => JSON.parse(readFileSync(f, 'utf8')) as ProtocolRun);
    for (const label of new Set(runs.map((r) => r.label))) saveRun(joinSeeds(runs.filter((r) => r.label === label)));
    writeProtocolSection();
    mergeReport();
    return;
  }
  await tf.setBackend('wasm');
  registerKernels('wasm');
  const options = protocolOptions(JSON.parse(process.env.PROTOCOL ?? '{}') as ProtocolRequest);
  const pack = await loadPack('/data/packs/movies/pack.json', { fetcher: diskFetcher });
  const words = await loadWordVectors(
    {
      vocab: '/data/embeddings/glove-20k.vocab.json.gz',
      vectors: '/data/embeddings/glove-20k.i8.gz',
      scales: '/data/embeddings/glove-20k.scale.f32.gz',
      dims: 100,
    },
    diskFetcher,
  );
  const d = readPacks([pack], words).evalData;
  if (!d) throw new Error('no MovieLens interactions');
  const features = contentFeatures(d.content, words);
  const signal = new AbortController().signal;
  let last = 0;
  const report = await runProtocol(options, {
    log: d,
    numItems: d.tags.length,
    jobId: 'protocol',
    signal,
    trainBpr: async (m) =>
      hybridItems((await trainBpr(m, DEFAULT_BPR, { jobId: 'bpr', signal })).weights, m.itemCount, features),
    onProgress: (p) => {
      if (Date.now() - last < 10_000 && !/epoch 1\/|validation NDCG/.test(p.message)) return;
      last = Date.now();
      console.log(`${new Date().toISOString()} ${(100 * p.fraction).toFixed(1)}% ${p.message}`);
    },
  });
  const run = {
    label: process.env.PROTOCOL_LABEL ?? 'recipe',
    where: `Node ${process.version}, tfjs-${tf.getBackend()}`,
    measured: new Date().toISOString(),
    report,
  };
  if (process.env.PROTOCOL_OUT) writeFileSync(process.env.PROTOCOL_OUT, JSON.stringify(run));
  else {
    saveRun(run);
    writeProtocolSection();
    mergeReport();
  }
  console.log(`protocol run '${run.label}' done in ${report.seconds.toFixed(0)} s`);
});
