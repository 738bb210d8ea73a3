/**
 * The sequential model's training budget: NDCG@10 on the MovieLens protocol against training seconds on this
 * machine's backend, for the sampled softmax and full cross-entropy over every item, by blocks and epochs. Each row
 * trains in the store's engine worker (`diagnostics.trainSequential`, the epoch kept by validation NDCG@10 on each
 * user's last *training* item, never the test item), serves it, and runs the evaluation protocol: the sequential
 * model alone and For you as served (item-kNN + sequential, weighted by FOR_YOU_WEIGHTS). `SEQ_GRID` (JSON, a list of
 * partial configs) replaces the default rows, for exploring.
 */
import { test } from '@playwright/test';
import type { BlendTuning, SequentialTrainRecord } from '../src/api/types';
import { SEQUENTIAL_RECIPES, type SequentialConfig } from '../src/recommend/sequential-config';
import { StorePage } from '../e2e/fixtures';
import { table, writeSection } from './sections';

/** The two recipes (the exploration rows in docs/models.md are SEQ_GRID runs). */
const DEFAULT_GRID: Partial<SequentialConfig>[] = [SEQUENTIAL_RECIPES.quick.config, SEQUENTIAL_RECIPES.full.config];

interface Row {
  train: SequentialTrainRecord;
  sequentialNdcg: number;
  sequentialHr: number;
  servedNdcg: number;
  servedHr: number;
  /** For you's weights tried on the validation split with this model (the grid is in latest.json). */
  blend: BlendTuning;
}

test('sequential model: NDCG@10 against training seconds', async ({ browser }) => {
  test.setTimeout(180 * 60_000);
  const grid = process.env.SEQ_GRID ? (JSON.parse(process.env.SEQ_GRID) as Partial<SequentialConfig>[]) : DEFAULT_GRID;
  const context = await browser.newContext();
  const page = await context.newPage();
  const store = new StorePage(page);
  await store.open('/', '?backend=wasm&pretrain=0');
  await store.ready();
  // For you as served blends BPR-MF in: trained once, as a first visit would.
  await page.evaluate(() => window.HushCart.retrain('recommender'));
  const rows: Row[] = [];
  for (const config of grid) {
    const train = await page.evaluate((c) => window.HushCart.diagnostics.trainSequential(c), config);
    const table = await page.evaluate(() => window.HushCart.diagnostics.evaluateRecommenders());
    const blend = await page.evaluate(() => window.HushCart.diagnostics.tuneBlend());
    const seq = table.find((r) => r.model.startsWith('sequential'));
    const served = table.find((r) => r.model.startsWith('For you as served'));
    rows.push({
      train,
      sequentialNdcg: seq?.ndcg10 ?? NaN,
      sequentialHr: seq?.hr10 ?? NaN,
      servedNdcg: served?.ndcg10 ?? NaN,
      servedHr: served?.hr10 ?? NaN,
      blend,
    });
    console.log(
      `${JSON.stringify(config)}: ${train.seconds.toFixed(0)} s, epoch ${train.chosenEpoch}/${train.epochLoss.length}, ` +
        `validation ${Math.max(...train.validation).toFixed(4)}, test sequential ${seq?.ndcg10.toFixed(4)}, served ${served?.ndcg10.toFixed(4)}; ` +
        `blend chosen ${blend.trials[0]?.weights.join('/')} (validation ${blend.trials[0]?.ndcg10.toFixed(4)}, served weights ${blend.served?.ndcg10.toFixed(4)}), test ${blend.test?.ndcg10.toFixed(4)}`,
    );
  }
  await context.close();
  const describe = (c: SequentialConfig) =>
    `${c.loss === 'full' ? 'full cross-entropy' : `sampled softmax (${c.negatives} negatives)`}, ${c.blocks} block${c.blocks === 1 ? '' : 's'}, ${c.dim}-d, dropout ${c.dropout}, batch ${c.batchSize}, lr ${c.learningRate}, seed ${c.seed}`;
  writeSection(process.env.SEQ_GRID ? 'sequential-budget-explore' : 'sequential-budget', {
    order: 31,
    title: process.env.SEQ_GRID ? 'Sequential training budget (exploration)' : 'Sequential training budget',
    browser: browser.version(),
    data: rows,
    markdown: [
      table(
        [
          'recipe',
          'epochs run / kept',
          'training s (validation included)',
          'best validation NDCG@10',
          'test NDCG@10 sequential',
          'test HR@10 sequential',
          'test NDCG@10 For you as served',
          'test HR@10 served',
          'For you weights chosen on validation (kNN / BPR-MF / sequential)',
          'validation NDCG@10: chosen / served weights',
          'test NDCG@10 / HR@10 with the chosen weights',
        ],
        rows.map((r) => [
          describe(r.train.config),
          `${r.train.epochLoss.length} / ${r.train.chosenEpoch}`,
          r.train.seconds.toFixed(0),
          Math.max(...r.train.validation).toFixed(4),
          r.sequentialNdcg.toFixed(4),
          r.sequentialHr.toFixed(4),
          r.servedNdcg.toFixed(4),
          r.servedHr.toFixed(4),
          r.blend.trials[0]?.weights.join(' / ') ?? '-',
          `${r.blend.trials[0]?.ndcg10.toFixed(4) ?? '-'} / ${r.blend.served?.ndcg10.toFixed(4) ?? '-'}`,
          r.blend.test ? `${r.blend.test.ndcg10.toFixed(4)} / ${r.blend.test.hr10.toFixed(4)}` : '-',
        ]),
      ),
      '',
      `On ${rows[0]?.train.backend ?? '?'}, 2 cores. Each row trains from scratch in the store's engine worker; the ` +
        'epoch kept is the one with the best validation NDCG@10 (each user’s last training item, ranked against all ' +
        'items), and the test columns are the evaluation protocol of "Recommendations" (each user’s last rating by ' +
        "time, never seen in training or validation). For you's weights are then chosen on the same validation split " +
        '(BPR-MF trained again without the validation items) over a grid, and the chosen ones measured once on the test ' +
        'items. Per-epoch validation curves and every weight combination tried are in latest.json.',
    ].join('\n'),
  });
});
