/** The Lab's sentiment evaluation: the network, logistic regression and both lexicons, one run, one table. */
import { useCallback } from 'react';
import type { ProgressCallback } from '../../api/types';
import { useApp } from '../context';
import { useModelState } from '../hooks';
import { EvaluateControls } from './JobControls';
import { useJob } from './use-job';

export function SentimentEvaluationPanel() {
  const { api } = useApp();
  const model = useModelState('sentiment');
  const evaluate = useCallback((p: ProgressCallback) => api.diagnostics.evaluateSentiment(p), [api]);
  const { result, progress, start: run } = useJob(evaluate, 'Evaluation');

  const datasets = result ? [...new Set(result.rows.map((r) => r.dataset))] : [];
  return (
    <section aria-labelledby="sent-eval-h" className="panel">
      <h2 id="sent-eval-h">Evaluate the review readers</h2>
      <p className="muted">
        Fine Foods test reviews (5 stars vs the rest; never trained on) and a held-out fifth of the UCI sentences. The
        logistic regression is trained in the same run on the same data; each lexicon gets its best cut-off on the
        training reviews.
      </p>
      <EvaluateControls
        run={run}
        progress={progress}
        progressLabel="Sentiment evaluation progress"
        needs={model.phase === 'ready' ? null : 'needs the trained sentiment model'}
      />
      {result && (
        <div className="table-wrap">
          {datasets.map((d) => {
            const rows = result.rows.filter((r) => r.dataset === d);
            const best = Math.max(...rows.map((r) => r.metrics.accuracy));
            return (
              <table className="table" data-testid="sentiment-eval-table" key={d}>
                <caption>
                  {d} ({rows[0]?.metrics.n.toLocaleString()} texts)
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Model</th>
                    <th scope="col">Accuracy</th>
                    <th scope="col">F1</th>
                    <th scope="col">ROC AUC</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.model} className={r.metrics.accuracy === best ? 'chosen' : undefined}>
                      <th scope="row">{r.model}</th>
                      <td>{r.metrics.accuracy.toFixed(3)}</td>
                      <td>{r.metrics.f1.toFixed(3)}</td>
                      <td>{r.metrics.auc.toFixed(3)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            );
          })}
          <p data-testid="sentiment-speed">
            Scoring: {Math.round(result.reviewsPerSec).toLocaleString()} reviews/s batched; one review in{' '}
            {result.singleMs.toFixed(1)} ms (median). Trained on {result.trainSize.toLocaleString()} texts,{' '}
            {result.validationSize.toLocaleString()} kept for validation.
          </p>
        </div>
      )}
    </section>
  );
}
