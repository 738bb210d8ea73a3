/**
 * The Lab's reference training: matrix factorisation on MovieLens ratings with progress, a loss curve and cancel,
 * and a table of the runs on this device.
 */
import { useRef, useState } from 'react';
import type { EmbeddingTrainResult } from '../../engine/types';
import { JobProgress } from './JobControls';
import { LossCurve } from './LossCurve';
import { useApp } from '../context';
import { useEngineState } from '../hooks';
import { notify } from '../notifications';

interface Run {
  users: number;
  epochs: number;
}

/** A labelled choice of one number among a few. */
function Choice(p: {
  label: string;
  value: number;
  choices: number[];
  disabled: boolean;
  onChange: (n: number) => void;
}) {
  return (
    <label>
      {p.label}{' '}
      <select value={p.value} onChange={(e) => p.onChange(Number(e.target.value))} disabled={p.disabled}>
        {p.choices.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </label>
  );
}

export function TrainProbePanel() {
  const { api } = useApp();
  const { status } = useEngineState();
  const [progress, setProgress] = useState<{ fraction: number; message: string } | null>(null);
  const [curve, setCurve] = useState<number[]>([]);
  const [results, setResults] = useState<(EmbeddingTrainResult & Run)[]>([]);
  const [training, setTraining] = useState(false);
  const [run, setRun] = useState<Run>({ users: 200, epochs: 5 });
  const job = useRef<string | null>(null);

  const doTrain = async () => {
    setTraining(true);
    setCurve([]);
    setProgress({ fraction: 0, message: 'loading MovieLens ratings…' });
    const jobId = `lab-${Date.now().toString(36)}`;
    job.current = jobId;
    try {
      const r = await api.diagnostics.trainProbe({ ...run, jobId }, (p) => {
        setProgress({ fraction: p.fraction, message: p.message });
        const loss = p.metrics?.loss;
        if (loss !== undefined) setCurve((c) => [...c, loss]);
      });
      setResults((rs) => [{ ...r, ...run }, ...rs]);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      notify(
        msg.includes('cancelled') ? 'Training cancelled.' : `Training failed: ${msg}`,
        msg.includes('cancelled') ? 'info' : 'error',
      );
    } finally {
      setTraining(false);
      setProgress(null);
      job.current = null;
    }
  };

  return (
    <section aria-labelledby="train-h" className="panel">
      <h2 id="train-h">Train an embedding model</h2>
      <p className="muted">
        Matrix factorisation (32-dimensional user and item embeddings, Adam) on MovieLens ratings; each user's last
        rating is held out to measure RMSE.
      </p>
      <div className="row">
        <Choice
          label="Users"
          value={run.users}
          choices={[50, 200, 671]}
          disabled={training}
          onChange={(users) => setRun({ ...run, users })}
        />
        <Choice
          label="Epochs"
          value={run.epochs}
          choices={[2, 5, 10, 20]}
          disabled={training}
          onChange={(epochs) => setRun({ ...run, epochs })}
        />
        <button type="button" className="primary" onClick={() => void doTrain()} disabled={training || !status}>
          Train
        </button>
        {training && (
          <button type="button" onClick={() => job.current && void api.diagnostics.cancel(job.current)}>
            Cancel
          </button>
        )}
      </div>
      <JobProgress progress={progress} label="Training progress" />
      <LossCurve values={curve} label="Training loss (MSE) per epoch" />
      {results.length > 0 && (
        <table className="table" data-testid="train-results">
          <thead>
            <tr>
              <th scope="col">Backend</th>
              <th scope="col">Users</th>
              <th scope="col">Epochs</th>
              <th scope="col">Final loss</th>
              <th scope="col">Test RMSE</th>
              <th scope="col">Examples/s</th>
              <th scope="col">Time</th>
            </tr>
          </thead>
          <tbody>
            {results.map((r, k) => (
              <tr key={k}>
                <td>
                  {r.backend}
                  {r.recoveredFrom.length ? ` (moved from ${r.recoveredFrom.join(', ')})` : ''}
                </td>
                <td>{r.users}</td>
                <td>{r.epochs}</td>
                <td>{r.epochLoss.at(-1)?.toFixed(4)}</td>
                <td>{r.testRmse?.toFixed(4) ?? '–'}</td>
                <td>{Math.round(r.examplesPerSec).toLocaleString()}</td>
                <td>{(r.ms / 1000).toFixed(1)} s</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
