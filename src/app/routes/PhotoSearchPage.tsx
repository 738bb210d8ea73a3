/**
 * Visual search: a photo (upload, drag and drop, paste, or the camera where there is one) is decoded,
 * prepared and embedded on this device, and the catalog items that look most like it are shown, with the
 * predicted category and the 28x28 image the model actually saw. The photo never leaves the browser and is
 * not stored.
 */
import { useCallback, useEffect, useId, useState } from 'react';
import type { ImageSearchResult } from '../../api/types';
import { ProcessedImage } from '../components/Processed';
import { ProductCard } from '../components/ProductCard';
import { useApp } from '../context';
import { serving } from '../../api/model-lifecycle';
import { useModelState } from '../hooks';

type State =
  | { kind: 'idle' }
  | { kind: 'working'; name: string }
  | { kind: 'done'; name: string; result: ImageSearchResult }
  | { kind: 'error'; name: string; message: string };

export function PhotoSearchPage() {
  const { api, catalog } = useApp();
  const model = useModelState('embedder');
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [dragging, setDragging] = useState(false);
  const inputId = useId();

  const search = useCallback(
    async (file: Blob, name: string) => {
      setState({ kind: 'working', name });
      try {
        setState({ kind: 'done', name, result: await api.searchImage(file, { limit: 12 }) });
      } catch (e) {
        setState({ kind: 'error', name, message: e instanceof Error ? e.message : String(e) });
      }
    },
    [api],
  );

  // Paste an image anywhere on the page.
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const file = [...(e.clipboardData?.files ?? [])][0];
      if (file) {
        e.preventDefault();
        void search(file, file.name || 'pasted image');
      }
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [search]);

  const ready = serving(model); // a model in service answers while a better one trains
  return (
    <div className="page photo-search">
      <h1>Search by photo</h1>
      <p className="muted">
        Your photo is read on this device by an image model trained here; it is never uploaded and never stored.
      </p>
      {!ready && (
        <p role="status" data-testid="embedder-state">
          The picture matcher is{' '}
          {model.phase === 'training' || model.phase === 'unavailable'
            ? `${model.phase === 'training' ? 'training on this device' : 'unavailable'}: ${model.message}`
            : model.phase}
          {model.phase === 'untrained' ? ' (train it in the Lab).' : '.'}
          {model.phase === 'training' && <progress value={model.fraction} max={1} aria-label="Image model training" />}
        </p>
      )}
      <div
        className={`dropzone ${dragging ? 'over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          const file = e.dataTransfer.files[0];
          if (file) void search(file, file.name);
        }}
        data-testid="dropzone"
      >
        <p>Drop a photo here, paste one, or</p>
        <label htmlFor={inputId} className="button primary">
          Choose a photo
        </label>
        <input
          id={inputId}
          type="file"
          accept="image/*"
          className="visually-hidden"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void search(file, file.name);
            e.target.value = '';
          }}
        />
        <label className="button">
          Use the camera
          <input
            type="file"
            accept="image/*"
            capture="environment"
            className="visually-hidden"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void search(file, 'camera photo');
              e.target.value = '';
            }}
          />
        </label>
      </div>
      <div aria-live="polite">
        {state.kind === 'working' && <p role="status">Reading {state.name}…</p>}
        {state.kind === 'error' && (
          <p role="alert" className="error" data-testid="photo-error">
            {state.name}: {state.message}
          </p>
        )}
      </div>
      {state.kind === 'done' && (
        <section aria-labelledby="photo-results-h">
          <div className="photo-summary">
            <ProcessedImage pixels={state.result.processed} />
            <div>
              <h2 id="photo-results-h" data-testid="photo-category">
                Looks like: {state.result.category} ({Math.round(state.result.confidence * 100)}% confident)
              </h2>
              <p className="muted small">
                {state.name}: {state.result.inverted ? 'light background inverted, ' : ''}cropped to the object, 28 × 28
                gray; compared with every product picture in {state.result.ms.total.toFixed(0)} ms.
              </p>
            </div>
          </div>
          <ul className="strip photo-results" data-testid="photo-results">
            {state.result.results.map((r) => {
              const item = catalog.get(r.itemId);
              return item ? (
                <li key={r.itemId} data-item-id={r.itemId}>
                  <ProductCard item={item} />
                  <span className="muted small">similarity {r.score.toFixed(3)}</span>
                </li>
              ) : null;
            })}
          </ul>
        </section>
      )}
    </div>
  );
}
