/** "More like this" on a product with a picture: the image model's category for it and the nearest pictures. */
import { useEffect, useId, useState } from 'react';
import type { ImageMatch, Item } from '../../api/types';
import { useApp } from '../context';
import { serving } from '../../api/model-lifecycle';
import { useModelState } from '../hooks';
import { ProductCard } from './ProductCard';

type State =
  | { kind: 'loading' }
  | { kind: 'ready'; items: ImageMatch[]; category: { category: string; confidence: number } | null }
  | { kind: 'error'; message: string };

export function MoreLikeThis({ item }: { item: Item }) {
  const { api, catalog } = useApp();
  const model = useModelState('embedder');
  const [state, setState] = useState<State>({ kind: 'loading' });
  const headingId = useId();
  const inService = serving(model); // a model in service answers while a better one trains
  useEffect(() => {
    if (!inService) return;
    let alive = true;
    Promise.all([api.moreLikeThis(item.id, { limit: 6 }), api.imageCategory(item.id)]).then(
      ([items, category]) => alive && setState({ kind: 'ready', items, category }),
      (e: unknown) => alive && setState({ kind: 'error', message: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      alive = false;
    };
    // A new phase (a training ended) asks again: the answer may come from the new model.
  }, [api, item.id, inService, model.phase]);
  return (
    <section aria-labelledby={headingId} className="similar" data-testid="more-like-this">
      <h2 id={headingId}>More like this</h2>
      {!inService ? (
        <p className="muted">
          The picture matcher is{' '}
          {model.phase === 'training' || model.phase === 'unavailable'
            ? `${model.phase === 'training' ? 'training on this device' : 'unavailable'} (${model.message})`
            : model.phase}
          .
        </p>
      ) : state.kind === 'loading' ? (
        <p className="muted" aria-busy="true">
          Comparing pictures…
        </p>
      ) : state.kind === 'error' ? (
        <p className="error">{state.message}</p>
      ) : (
        <>
          {state.category && (
            <p data-testid="image-category">
              The image model sees: <strong>{state.category.category}</strong> (
              {Math.round(state.category.confidence * 100)}% confident)
            </p>
          )}
          <ol className="strip recs">
            {state.items.map((m) => {
              const it = catalog.get(m.itemId);
              return it ? (
                <li key={m.itemId} className="rec" data-item-id={m.itemId}>
                  <ProductCard item={it} />
                  <span className="reason muted small">Picture similarity {m.score.toFixed(3)}</span>
                </li>
              ) : null;
            })}
          </ol>
        </>
      )}
    </section>
  );
}
