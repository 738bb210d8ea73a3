/**
 * The Lab: what the engine does on this device, measured here. Runs a matmul benchmark and trains the
 * reference embedding model (matrix factorisation on MovieLens ratings) with progress, a loss curve, cancel.
 */
import { useRef, useState } from 'react';
import type { EmbeddingTrainResult, MatmulResult } from '../../engine/types';
import { EvaluationPanel } from '../components/EvaluationPanel';
import { ModelPanel } from '../components/ModelPanel';
import { SentimentEvaluationPanel } from '../components/SentimentEvaluationPanel';
import { VisionEvaluationPanel } from '../components/VisionEvaluationPanel';
import { SearchEvaluationPanel } from '../components/SearchEvaluationPanel';
import { ShipModelsPanel } from '../components/ShipModelsPanel';
import { JobProgress } from '../components/JobControls';
import { LossCurve } from '../components/LossCurve';
import { useApp } from '../context';
import { useAutoRetrain, useEngineState, useModelState } from '../hooks';
import { RECIPES } from '../../vision/contract';
import { SEQUENTIAL_RECIPES } from '../../recommend/contract';
import { notify } from '../notifications';

interface Run {
  users: number;
  epochs: number;
}

export function LabPage() {
  const { api } = useApp();
  const { status, error } = useEngineState();
  const auto = useAutoRetrain(); // one status read for both panels that retrain in the background
  const embedder = useModelState('embedder');
  // The recipe in service (while training: the one training, which the panel describes; no other is offered then).
  const embedderRecipe = embedder.recipe === 'full' ? 'full' : 'quick';
  const sequential = useModelState('sequential');
  // Known once the model is loaded or trains: until then no recipe is claimed (a shipped model may be either).
  const sequentialRecipe = sequential.recipe === 'full' || sequential.recipe === 'quick' ? sequential.recipe : null;
  const [matmul, setMatmul] = useState<MatmulResult | null>(null);
  const [progress, setProgress] = useState<{ fraction: number; message: string } | null>(null);
  const [curve, setCurve] = useState<number[]>([]);
  const [results, setResults] = useState<(EmbeddingTrainResult & Run)[]>([]);
  const [busy, setBusy] = useState<'matmul' | 'train' | null>(null);
  const [run, setRun] = useState<Run>({ users: 200, epochs: 5 });
  const job = useRef<string | null>(null);

  const doMatmul = async () => {
    setBusy('matmul');
    try {
      setMatmul(await api.diagnostics.matmul(512, 3));
    } catch (e) {
      notify(`Benchmark failed: ${e instanceof Error ? e.message : String(e)}`, 'error');
    } finally {
      setBusy(null);
    }
  };

  const doTrain = async () => {
    setBusy('train');
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
      setBusy(null);
      setProgress(null);
      job.current = null;
    }
  };

  return (
    <div className="page">
      <h1>Lab</h1>
      <p>
        Everything here runs in this browser, on{' '}
        {status?.backend ? <strong>{status.backend}</strong> : 'the engine (starting…)'}.
        {error && <span className="error"> {error}</span>}
      </p>

      <ModelPanel
        model="recommender"
        title="Recommender model"
        description="BPR matrix factorisation (32-d, Adam, 10 epochs) over MovieLens, blended with item-kNN on your recent items."
        lossLabel="BPR loss per epoch"
        autoRetrain={auto}
      />
      <ModelPanel
        model="sequential"
        title="Sequential model (Up next)"
        description={
          sequentialRecipe
            ? SEQUENTIAL_RECIPES[sequentialRecipe].description
            : "Self-attention over each MovieLens user's last 50 movies in time order (SASRec-style), predicting the " +
              'next one. Its recipe shows here once it is loaded (the model the catalog ships, if any) or trained.'
        }
        lossLabel={sequentialRecipe === 'quick' ? 'Sampled cross-entropy per epoch' : 'Cross-entropy per epoch'}
        validationLabel="Validation NDCG@10 per epoch"
        autoRetrain={auto && { ...auto.sequential, quietMs: auto.quietMs }}
        recipes={[
          {
            recipe: 'full' as const,
            label: 'Train the full model',
            note:
              'The full model: cross-entropy over all 9,066 movies instead of a sample. Steadier and better on the ' +
              'validation split, and about 2.5 times as long to train: about 4 minutes on a 2-core CPU (WASM). ' +
              'The model in service keeps answering meanwhile.',
          },
          {
            recipe: 'quick' as const,
            label: 'Train the quick model',
            note: 'The quick model is what a first visit trains when the store ships none.',
          },
        ].filter((r) => r.recipe !== sequentialRecipe && sequential.phase !== 'training')}
      />
      <EvaluationPanel />
      <ModelPanel
        model="sentiment"
        title="Review sentiment model"
        description="Word vectors from GloVe (fine-tuned) with a per-word reading and context attention, trained on Fine Foods reviews and UCI sentences; the epoch with the best validation accuracy is kept."
        lossLabel="Cross-entropy per epoch"
      />
      <SentimentEvaluationPanel />
      <ModelPanel
        model="embedder"
        title="Image embedder"
        description={RECIPES[embedderRecipe].description}
        lossLabel="Cross-entropy per epoch"
        recipes={[
          {
            recipe: 'full' as const,
            label: 'Train the full model',
            note:
              'The full model: a finer network on 57,600 of the 60,000 Fashion-MNIST training pictures (16 MB ' +
              'more to download, once). Better (see the evaluation below: about 0.906 accuracy against 0.888), and over three times as ' +
              'long to train: about 20 minutes on a 2-core CPU (WASM), far less on a GPU. The model in service keeps ' +
              'answering meanwhile.',
          },
          {
            recipe: 'quick' as const,
            label: 'Train the quick model',
            note: 'The quick model is what a first visit trains.',
          },
        ].filter((r) => r.recipe !== embedderRecipe && embedder.phase !== 'training')}
      />
      <VisionEvaluationPanel />
      <SearchEvaluationPanel />
      <ShipModelsPanel />

      <section aria-labelledby="mm-h" className="panel">
        <h2 id="mm-h">Matrix multiply</h2>
        <p className="muted">
          A 512 × 512 matrix product, timed after a warm-up and checked against a float64 reference.
        </p>
        <button type="button" onClick={() => void doMatmul()} disabled={!!busy || !status}>
          Measure
        </button>
        {matmul && (
          <p data-testid="matmul-result">
            {matmul.backend}: {matmul.medianMs.toFixed(1)} ms, {matmul.gflops.toFixed(2)} GFLOP/s (max error{' '}
            {matmul.maxAbsError.toExponential(1)})
          </p>
        )}
      </section>

      <section aria-labelledby="train-h" className="panel">
        <h2 id="train-h">Train an embedding model</h2>
        <p className="muted">
          Matrix factorisation (32-dimensional user and item embeddings, Adam) on MovieLens ratings; each user's last
          rating is held out to measure RMSE.
        </p>
        <div className="row">
          <label>
            Users{' '}
            <select
              value={run.users}
              onChange={(e) => setRun({ ...run, users: Number(e.target.value) })}
              disabled={!!busy}
            >
              {[50, 200, 671].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <label>
            Epochs{' '}
            <select
              value={run.epochs}
              onChange={(e) => setRun({ ...run, epochs: Number(e.target.value) })}
              disabled={!!busy}
            >
              {[2, 5, 10, 20].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="primary" onClick={() => void doTrain()} disabled={!!busy || !status}>
            Train
          </button>
          {busy === 'train' && (
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
    </div>
  );
}
