/**
 * Sentiment section: trains the review sentiment network on the device (first visit), then the evaluation
 * table (network, logistic regression, AFINN, VADER on the Fine Foods test set and held-out UCI sentences),
 * batched scoring throughput and single-review latency, and main-thread long tasks during training.
 */
import { test } from '@playwright/test';
import { trainOnFreshPage, trainingTable } from './page-helpers';
import { table, writeSection } from './sections';

test('sentiment: training, evaluation, throughput', async ({ browser }) => {
  const { context, page, backend, model, longTasks } = await trainOnFreshPage(browser, 'sentiment');
  const evaluation = await page.evaluate(() => window.HushCart.diagnostics.evaluateSentiment());
  // What the review form sees: one call from the page, through the worker boundary and back.
  const pageMs = await page.evaluate(async () => {
    const texts = window.HushCart.catalog
      .list({ aisle: 'pantry', limit: 40 })
      .items.map((i) => window.HushCart.catalog.reviews(i.id)[0]?.text ?? i.title);
    const ms: number[] = [];
    for (const t of texts) {
      const t0 = performance.now();
      await window.HushCart.sentiment(t);
      ms.push(performance.now() - t0);
    }
    return ms.sort((a, b) => a - b);
  });
  await context.close();

  const datasets = [...new Set(evaluation.rows.map((r) => r.dataset))];
  const markdown = [
    table(
      ['test set', 'model', 'accuracy', 'F1', 'ROC AUC', 'n'],
      evaluation.rows.map((r) => [
        r.dataset,
        r.model,
        r.metrics.accuracy.toFixed(3),
        r.metrics.f1.toFixed(3),
        r.metrics.auc.toFixed(3),
        r.metrics.n,
      ]),
    ),
    '',
    `Label: Fine Foods "5 stars" vs "anything else" (majority class 0.658 on its test set); UCI sentences positive vs ` +
      `negative. Trained on ${evaluation.trainSize.toLocaleString('en-US')} texts (Fine Foods training reviews and four ` +
      `fifths of the UCI sentences), ${evaluation.validationSize.toLocaleString('en-US')} more kept for validation ` +
      '(the network keeps its best epoch there; the regression picks its L2 there; lexicons get their accuracy-best ' +
      `cut-off on the training texts). Test sets: ${datasets.join('; ')}, never trained on.`,
    '',
    trainingTable(model, backend, longTasks),
    '',
    table(
      ['scoring', 'value'],
      [
        [
          'batched throughput, Fine Foods test reviews',
          `${Math.round(evaluation.reviewsPerSec).toLocaleString('en-US')} reviews/s`,
        ],
        [
          'one review alone in the worker (median of 30: tokenize, score, token weights)',
          `${evaluation.singleMs.toFixed(2)} ms`,
        ],
        [
          'one review from the page, HushCart.sentiment(text) (median / p95 of 40)',
          `${(pageMs[pageMs.length >> 1] ?? NaN).toFixed(1)} / ${(pageMs[Math.floor(pageMs.length * 0.95)] ?? NaN).toFixed(1)} ms`,
        ],
      ],
    ),
  ].join('\n');
  writeSection('sentiment', {
    order: 40,
    title: 'Review sentiment',
    markdown,
    data: { backend, model, evaluation, longTasks, pageMs },
    browser: browser.version(),
  });
});
