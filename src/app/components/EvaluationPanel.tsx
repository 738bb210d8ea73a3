/** The Lab's recommender evaluation: runs the protocol on this device and shows every model in one table. */
import { useCallback, useState } from 'react';
import type { ProgressCallback } from '../../api/types';
import { intervalsAgainst } from '../../eval/bootstrap';
import { useApp } from '../context';
import { EvaluateControls } from './JobControls';
import { useJob } from './use-job';

export function EvaluationPanel() {
  const { api } = useApp();
  const [peers, setPeers] = useState(false);
  const evaluate = useCallback(
    (p: ProgressCallback) => api.diagnostics.evaluateRecommenders(p, undefined, { peers }),
    [api, peers],
  );
  const { result: rows, progress, start: run } = useJob(evaluate, 'Evaluation');
  const best = rows ? Math.max(...rows.map((r) => r.ndcg10)) : 0;
  const against = rows ? intervalsAgainst(rows, 'EASE', ['For you as served', 'sequential']) : [];
  return (
    <section aria-labelledby="eval-h" className="panel">
      <h2 id="eval-h">Evaluate the recommenders</h2>
      <p className="muted">
        MovieLens, each user's last rating by time held out, ranked against every movie the user has not rated; ties
        broken by one fixed seeded order for all models. Rows ending in [Office]: the same protocol on the Superstore
        orders (each customer's last purchase held out).
      </p>
      <label>
        <input type="checkbox" checked={peers} onChange={(e) => setPeers(e.target.checked)} disabled={!!progress} />{' '}
        Include EASE, the closed-form peer (its lambda chosen on the validation split: a few minutes more on a 2-core
        CPU)
      </label>
      <EvaluateControls run={run} progress={progress} progressLabel="Evaluation progress" />
      {rows && (
        <div className="table-wrap">
          <table className="table" data-testid="eval-table">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">HR@10</th>
                <th scope="col">NDCG@10</th>
                <th scope="col">Recall@20</th>
                <th scope="col">MRR</th>
                <th scope="col">Coverage@10</th>
                <th scope="col">Diversity@10</th>
                <th scope="col">Users</th>
                <th scope="col">Time</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.model} className={r.ndcg10 === best ? 'chosen' : undefined}>
                  <th scope="row">{r.model}</th>
                  <td>{r.hr10.toFixed(4)}</td>
                  <td>{r.ndcg10.toFixed(4)}</td>
                  <td>{r.recall20.toFixed(4)}</td>
                  <td>{r.mrr.toFixed(4)}</td>
                  <td>{r.coverage10.toFixed(3)}</td>
                  <td>{r.diversity10.toFixed(3)}</td>
                  <td>{r.users}</td>
                  <td>{(r.ms / 1000).toFixed(1)} s</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {against.length > 0 && (
        <p data-testid="eval-intervals">
          {against.map((c) => (
            <span key={c.model}>
              {c.model} / EASE: {c.ratio.toFixed(2)}, 95% interval {c.low.toFixed(2)} to {c.high.toFixed(2)}.{' '}
            </span>
          ))}
          (Paired bootstrap over the {against[0]?.users} users, 2,000 resamples: above 1 at the lower end means better
          than the peer on users like these, not only on this sample.)
        </p>
      )}
    </section>
  );
}
