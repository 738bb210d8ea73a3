/** The trained recommender's state: a progress bar while it trains on this device, its loss curve, retrain. */
import { useState } from 'react';
import { useApp } from '../context';
import { useModelState } from '../hooks';
import { notify } from '../notifications';
import { LossCurve } from './LossCurve';

/** A slim banner while the model trains (home page): the store stays usable meanwhile. */
export function ModelProgressBanner() {
  const m = useModelState();
  if (m.phase !== 'training') return null;
  return (
    <div className="banner" role="status" data-testid="model-training">
      <span>Training your recommender on this device (BPR matrix factorisation, MovieLens): {m.message}</span>
      <progress value={m.fraction} max={1} aria-label="Recommender training progress" />
    </div>
  );
}

export function ModelPanel() {
  const { api } = useApp();
  const m = useModelState();
  const [busy, setBusy] = useState(false);
  const retrain = async () => {
    setBusy(true);
    const s = await api.retrain();
    setBusy(false);
    if (s.phase === 'error') notify(`Training failed: ${s.message}`, 'error');
  };
  return (
    <section aria-labelledby="model-h" className="panel">
      <h2 id="model-h">Recommender model</h2>
      <p data-testid="model-state">
        BPR matrix factorisation (32-d, Adam, 10 epochs) over MovieLens, blended with item-kNN on your recent items.{' '}
        <strong>
          {m.phase === 'ready'
            ? m.source === 'loaded'
              ? 'Loaded from this device'
              : 'Trained on this device'
            : m.phase}
        </strong>
        : {m.message}
        {m.examplesPerSec ? ` (${Math.round(m.examplesPerSec).toLocaleString()} examples/s)` : ''}
      </p>
      {m.phase === 'training' && <progress value={m.fraction} max={1} aria-label="Recommender training progress" />}
      <LossCurve values={m.losses} label="BPR loss per epoch" />
      <button
        type="button"
        onClick={() => void retrain()}
        disabled={busy || m.phase === 'training' || m.phase === 'waiting'}
      >
        Retrain on this device
      </button>
    </section>
  );
}
