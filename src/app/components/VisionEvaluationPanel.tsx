/** The Lab's visual-search evaluation: trained embedder vs raw pixels, one run. */
import { useCallback } from 'react';
import type { ProgressCallback } from '../../api/types';
import { useApp } from '../context';
import { useModelState } from '../hooks';
import { EvaluateControls } from './JobControls';
import { useJob } from './use-job';

export function VisionEvaluationPanel() {
  const { api } = useApp();
  const model = useModelState('embedder');
  const evaluate = useCallback((p: ProgressCallback) => api.diagnostics.evaluateVision(p), [api]);
  const { result, progress, start: run } = useJob(evaluate, 'Evaluation');

  return (
    <section aria-labelledby="vision-eval-h" className="panel">
      <h2 id="vision-eval-h">Evaluate visual search</h2>
      <p className="muted">
        The 10,000 Fashion-MNIST test pictures (the Fashion aisle): each one queries all the others; a result is
        relevant when it has the same category. Accuracy: the model's category against the label.
      </p>
      <EvaluateControls
        run={run}
        progress={progress}
        progressLabel="Visual search evaluation progress"
        needs={model.phase === 'ready' ? null : 'needs the trained image embedder'}
      />
      {result && (
        <div className="table-wrap">
          <table className="table" data-testid="vision-eval-table">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Precision@10</th>
                <th scope="col">Accuracy</th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((r) => (
                <tr key={r.model}>
                  <th scope="row">{r.model}</th>
                  <td>{r.precisionAt10.toFixed(3)}</td>
                  <td>{r.accuracy === null ? '–' : r.accuracy.toFixed(3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            One query over {result.queries.toLocaleString()} pictures: {result.queryMs.p50.toFixed(1)} ms median,{' '}
            {result.queryMs.p95.toFixed(1)} ms p95 ({result.queryMs.runs} runs, embed + search).
          </p>
        </div>
      )}
    </section>
  );
}
