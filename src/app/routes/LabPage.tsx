/**
 * The Lab: what the engine does on this device, measured here. Runs a matmul benchmark and trains the
 * reference embedding model (matrix factorisation on MovieLens ratings) with progress, a loss curve, cancel.
 */
import { EvaluationPanel } from '../components/EvaluationPanel';
import { ProtocolPanel } from '../components/ProtocolPanel';
import { ModelPanel } from '../components/ModelPanel';
import { SentimentEvaluationPanel } from '../components/SentimentEvaluationPanel';
import { VisionEvaluationPanel } from '../components/VisionEvaluationPanel';
import { SearchEvaluationPanel } from '../components/SearchEvaluationPanel';
import { ShipModelsPanel } from '../components/ShipModelsPanel';
import { MatmulPanel } from '../components/MatmulPanel';
import { TrainProbePanel } from '../components/TrainProbePanel';
import { useAutoRetrain, useEngineState, useModelState } from '../hooks';
import { RECIPES } from '../../vision/contract';
import { SEQUENTIAL_RECIPES } from '../../recommend/contract';

export function LabPage() {
  const { status, error } = useEngineState();
  const auto = useAutoRetrain(); // one status read for both panels that retrain in the background
  const embedder = useModelState('embedder');
  // The recipe in service (while training: the one training, which the panel describes; no other is offered then).
  const embedderRecipe = embedder.recipe === 'full' ? 'full' : 'quick';
  const sequential = useModelState('sequential');
  // Known once the model is loaded or trains: until then no recipe is claimed (a shipped model may be either).
  const sequentialRecipe = sequential.recipe === 'full' || sequential.recipe === 'quick' ? sequential.recipe : null;

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
        lossLabel={
          sequentialRecipe === 'quick'
            ? 'Sampled cross-entropy per epoch'
            : 'Cross-entropy per epoch (the three trainings one after another)'
        }
        validationLabel="Validation NDCG@10 per epoch"
        autoRetrain={auto && { ...auto.sequential, quietMs: auto.quietMs }}
        recipes={[
          {
            recipe: 'full' as const,
            label: 'Train the full model',
            note:
              'The full model: three trainings with cross-entropy over all 9,066 movies instead of a sample, ' +
              'served as one (their scores averaged). Better on the validation split, and much longer to train: ' +
              'about 5 minutes per training, 15 in all, on a 2-core CPU (WASM). The model in service keeps ' +
              'answering meanwhile.',
          },
          {
            recipe: 'quick' as const,
            label: 'Train the quick model',
            note: 'The quick model is what a first visit trains when the store ships none.',
          },
        ].filter((r) => r.recipe !== sequentialRecipe && sequential.phase !== 'training')}
      />
      <EvaluationPanel />
      <ProtocolPanel />
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

      <MatmulPanel />
      <TrainProbePanel />
    </div>
  );
}
