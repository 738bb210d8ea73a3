/** A trained model's state: a progress bar while it trains on this device, its curves, retrain. */
import { useState } from 'react';
import { MODEL_NAMES, type AutoRetrainStatus, type ModelName, type ModelState } from '../../api/types';
import type { EmbedderRecipe } from '../../vision/contract';
import { useApp } from '../context';
import { useModelState } from '../hooks';
import { notify } from '../notifications';
import { LossCurve } from './LossCurve';

const TRAINING_WHAT: Record<ModelName, string> = {
  recommender: 'your recommender (BPR matrix factorisation)',
  sequential: 'the "Up next" model (self-attention over the catalog\'s sequences)',
  sentiment: 'the review reader (sentiment network, Fine Foods reviews)',
  embedder: 'the picture matcher (image embedder, Fashion-MNIST)',
};

/** Slim banners while models train (home page): the store stays usable meanwhile. */
export function ModelProgressBanner() {
  // Every model's state (a Record: the typecheck fails when a model of MODEL_NAMES is missing here).
  const states: Record<ModelName, ModelState> = {
    recommender: useModelState('recommender'),
    sentiment: useModelState('sentiment'),
    sequential: useModelState('sequential'),
    embedder: useModelState('embedder'),
  };
  const training = MODEL_NAMES.map((name) => [name, states[name]] as const).filter(([, m]) => m.phase === 'training');
  if (training.length === 0) return null;
  return (
    <>
      {training.map(([name, m]) => (
        <div className="banner" role="status" data-testid={`model-training-${name}`} key={name}>
          <span>
            Training {TRAINING_WHAT[name]} on this device: {m.message}
          </span>
          <progress value={m.fraction} max={1} aria-label={`${name} training progress`} />
        </div>
      ))}
    </>
  );
}

/** When a model in service next retrains in the background (`quietMs`: the quiet spell it waits for). */
function AutoRetrainLine({ model, r }: { model: ModelName; r: AutoRetrainStatus & { quietMs: number } }) {
  return (
    <p className="muted small" data-testid={`auto-retrain-${model}`}>
      {Number.isFinite(r.threshold) && r.threshold > 0
        ? `Retrains in the background after ${r.threshold} new events on its items (${r.pending} so far) once you have ` +
          `been quiet for ${Math.round(r.quietMs / 1000)} s, with your movies in the training data.`
        : 'Background retraining is off.'}
    </p>
  );
}

export function ModelPanel({
  model,
  title,
  description,
  lossLabel,
  validationLabel = 'Validation accuracy per epoch',
  autoRetrain,
  recipes,
}: {
  model: ModelName;
  title: string;
  description: string;
  lossLabel: string;
  validationLabel?: string;
  /** Its background retraining, for models that have one (read once by the page for all its panels). */
  autoRetrain?: (AutoRetrainStatus & { quietMs: number }) | null | undefined;
  /** Recipes other than the one in service it can be trained by (the image embedder's), each a button and a note. */
  recipes?: { recipe: EmbedderRecipe; label: string; note: string }[];
}) {
  const { api } = useApp();
  const m = useModelState(model);
  const [busy, setBusy] = useState(false);
  const retrain = async (recipe?: EmbedderRecipe) => {
    setBusy(true);
    try {
      const s = await api.retrain(model, recipe ? { recipe } : {});
      if (s.phase === 'error') notify(`Training failed: ${s.message}`, 'error');
      else if (s.message.startsWith('kept the previous model')) notify(`Training stopped: ${s.message}.`, 'info');
    } catch (e) {
      notify(`Training failed: ${e instanceof Error ? e.message : String(e)}`, 'error');
    } finally {
      setBusy(false);
    }
  };
  const canTrain = !busy && m.phase !== 'training' && m.phase !== 'waiting' && m.phase !== 'unavailable';
  const headingId = `model-h-${model}`;
  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>{title}</h2>
      <p data-testid={`model-state-${model}`}>
        {description}{' '}
        <strong>
          {m.phase === 'ready'
            ? m.source === 'loaded'
              ? 'Loaded from this device'
              : 'Trained on this device'
            : m.phase}
        </strong>
        : {m.message}
        {m.note && <span data-testid={`model-note-${name}`}> ({m.note})</span>}
        {m.examplesPerSec ? ` (${Math.round(m.examplesPerSec).toLocaleString()} examples/s)` : ''}
      </p>
      {autoRetrain && m.phase === 'ready' && <AutoRetrainLine model={model} r={autoRetrain} />}
      {m.phase === 'training' && <progress value={m.fraction} max={1} aria-label={`${title} training progress`} />}
      <div className="curves">
        <LossCurve values={m.losses} label={lossLabel} />
        {m.validation && <LossCurve values={m.validation} label={validationLabel} />}
      </div>
      <div className="row">
        <button type="button" onClick={() => void retrain()} disabled={!canTrain}>
          {m.phase === 'untrained' ? 'Train on this device' : 'Retrain on this device'}
        </button>
        {recipes?.map((r) => (
          <button
            type="button"
            key={r.recipe}
            onClick={() => void retrain(r.recipe)}
            disabled={!canTrain}
            data-testid={`train-recipe-${r.recipe}`}
          >
            {r.label}
          </button>
        ))}
        {m.phase === 'training' && (
          <button type="button" onClick={() => void api.cancelTraining(model)}>
            Stop training
          </button>
        )}
      </div>
      {recipes?.map((r) => (
        <p className="muted small" key={r.recipe}>
          {r.note}
        </p>
      ))}
      {m.phase === 'training' && m.inService && (
        <p className="muted small" data-testid={`model-in-service-${model}`}>
          The model in service keeps answering until this training finishes; stopping it keeps that model.
        </p>
      )}
    </section>
  );
}
