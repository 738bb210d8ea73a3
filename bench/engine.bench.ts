/**
 * Engine section: for each backend this browser has, matmul GFLOP/s and the embedding model's training
 * throughput (matrix factorisation on all MovieLens ratings), measured in one run so ratios compare.
 */
import { test } from '@playwright/test';
import { StorePage } from '../e2e/fixtures';
import { table, writeSection } from './sections';

const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
const MATMUL = 1024;
const TRAIN = { epochs: 1, dim: 32, batchSize: 1024 };
/**
 * Users trained on per backend: all of MovieLens where it takes seconds; a subset on SwiftShader (software
 * WebGPU/WebGL here), where the full set takes many minutes. The model (all 9,066 item rows) is the same, so
 * examples/s compare; the loss and RMSE columns compare only between rows with the same users.
 */
const USERS: Record<string, number> = { webgpu: 100, webgl: 100, wasm: 671, cpu: 671 };

interface Row {
  backend: string;
  available: boolean;
  reason: string;
  device?: string;
  software?: boolean;
  matmulMs?: number;
  gflops?: number;
  matmulMaxError?: number;
  trainUsers?: number;
  trainExamplesPerSec?: number;
  trainSeconds?: number;
  finalLoss?: number;
  testRmse?: number | null;
}

test('engine: matmul and embedding training per backend', async ({ browser }) => {
  const rows: Row[] = [];
  for (const backend of BACKENDS) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const store = new StorePage(page);
    await store.open('/lab', `?backend=${backend}&pretrain=0`);
    await store.ready();
    const s = await store.status();
    const cand = s.engine?.candidates.find((c) => c.backend === backend);
    const row: Row = { backend, available: s.backend === backend, reason: cand?.reason ?? 'not reported' };
    if (cand?.device) row.device = cand.device;
    if (cand?.software !== undefined) row.software = cand.software;
    if (row.available) {
      const mm = await page.evaluate((n) => window.HushCart.diagnostics.matmul(n, 3), MATMUL);
      Object.assign(row, { matmulMs: mm.medianMs, gflops: mm.gflops, matmulMaxError: mm.maxAbsError });
      const users = s.engine?.candidates.find((c) => c.backend === backend)?.software ? (USERS[backend] ?? 100) : 671;
      const tr = await store.trainProbe({ ...TRAIN, users, jobId: `bench-${backend}` });
      Object.assign(row, {
        trainUsers: users,
        trainExamplesPerSec: tr.examplesPerSec,
        trainSeconds: tr.ms / 1000,
        finalLoss: tr.epochLoss.at(-1),
        testRmse: tr.testRmse,
      });
    }
    console.log(JSON.stringify(row));
    rows.push(row);
    await context.close();
  }
  const fmt = (v: number | undefined, d = 1) => (v === undefined ? '–' : v.toFixed(d));
  const markdown = [
    table(
      [
        'backend',
        'device',
        `matmul ${MATMUL}² (ms)`,
        'GFLOP/s',
        'users',
        'training (examples/s)',
        'training time (s)',
        'final loss',
        'test RMSE',
      ],
      rows.map((r) =>
        r.available
          ? [
              r.backend,
              `${r.device ?? '-'}${r.software ? ' (software)' : ''}`,
              fmt(r.matmulMs),
              fmt(r.gflops, 2),
              r.trainUsers ?? '–',
              Math.round(r.trainExamplesPerSec ?? 0).toLocaleString('en-US'),
              fmt(r.trainSeconds),
              fmt(r.finalLoss, 4),
              fmt(r.testRmse ?? undefined, 4),
            ]
          : [r.backend, `unavailable: ${r.reason}`, '–', '–', '–', '–', '–', '–', '–'],
      ),
    ),
    '',
    `Training: biased matrix factorisation over all 9,066 movies, ${TRAIN.dim}-d embeddings, Adam (epsilon 1e-7), ` +
      `batch ${TRAIN.batchSize}, ${TRAIN.epochs} epoch over the ratings of the first N MovieLens users (each user's last ` +
      'rating held out for the RMSE); all 671 users (99,333 training ratings) where the backend is not a software ' +
      'renderer. Throughput counts training examples over the whole job, including the RMSE pass and the checkpoint. ' +
      'Dense Adam updates of the whole item table dominate each step (profiled: 5.6k examples/s on cpu with 9,066 ' +
      'items against 14.3k with 2,000).',
  ].join('\n');
  writeSection('engine', {
    order: 10,
    title: 'Engine: backends, matmul and embedding training',
    markdown,
    data: rows,
    browser: browser.version(),
  });
});
