/**
 * A row of recommendations with the model's reasons under each product. Re-computed on the device after every
 * recorded event (here or in another tab), so the list follows the shopper at once.
 */
import { memo, useEffect, useId, useState } from 'react';
import type { RecommendOptions, RecommendedItem } from '../../api/types';
import { useApp } from '../context';
import { useModelState } from '../hooks';
import { ProductCard } from './ProductCard';

type State =
  | { kind: 'loading' }
  /** `requestedAt`: when the request behind this answer was sent (performance.now), so a benchmark can tell
   * the answer to its event from an older one. */
  | { kind: 'ready'; items: RecommendedItem[]; ms: number; requestedAt: number }
  | { kind: 'error'; message: string };

export function useRecommendations(options: RecommendOptions): State {
  const { api } = useApp();
  const [state, setState] = useState<State>({ kind: 'loading' });
  const key = JSON.stringify(options);
  useEffect(() => {
    let alive = true;
    // One request at a time: events that arrive while one is computing ask for one more run after it, so a
    // burst of events costs two requests, not one per event (each answer is shown: newer than what is on screen).
    let busy = false;
    let again = false;
    const refresh = () => {
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      const t0 = performance.now();
      api
        .recommend(JSON.parse(key) as RecommendOptions)
        .then(
          (items) => alive && setState({ kind: 'ready', items, ms: performance.now() - t0, requestedAt: t0 }),
          (e: unknown) => alive && setState({ kind: 'error', message: e instanceof Error ? e.message : String(e) }),
        )
        .finally(() => {
          busy = false;
          if (alive && again) {
            again = false;
            refresh();
          }
        });
    };
    refresh();
    const unsub = api.subscribe(refresh);
    return () => {
      alive = false;
      unsub();
    };
  }, [api, key]);
  return state;
}

export function RecommendationList({ state, testId }: { state: State; testId: string }) {
  if (state.kind === 'loading')
    return (
      <p className="muted" aria-busy="true">
        Computing on your device…
      </p>
    );
  if (state.kind === 'error') return <p className="error">Recommendations are unavailable: {state.message}</p>;
  if (state.items.length === 0) return <p className="empty">Nothing to recommend here yet.</p>;
  return (
    <ol className="strip recs" data-testid={testId} data-requested-at={state.requestedAt.toFixed(1)}>
      {state.items.map((r) => (
        <li key={r.itemId} className="rec" data-item-id={r.itemId}>
          <RecCard item={r} />
        </li>
      ))}
    </ol>
  );
}

/** Re-rendered only when its product or reasons change (the lists refresh after every event). */
const RecCard = memo(
  function RecCard({ item }: { item: RecommendedItem }) {
    const { catalog } = useApp();
    const it = catalog.get(item.itemId);
    if (!it) return null;
    return (
      <>
        <ProductCard item={it} />
        <p className="reason" data-testid="reason">
          {item.reasons.join(' · ')}
        </p>
      </>
    );
  },
  (a, b) => a.item.itemId === b.item.itemId && a.item.reasons.join('\n') === b.item.reasons.join('\n'),
);

/** "For you" on the home page, with the diversity slider and an aisle filter. */
export function ForYou() {
  const { catalog } = useApp();
  const [diversity, setDiversity] = useState(0);
  const [aisle, setAisle] = useState('');
  const state = useRecommendations({ slot: 'for-you', limit: 12, diversity, ...(aisle ? { aisle } : {}) });
  const sliderId = useId();
  return (
    <section aria-labelledby="for-you-h" className="for-you">
      <div className="section-head">
        <h2 id="for-you-h">For you</h2>
        <div className="row">
          <label htmlFor={sliderId}>Variety</label>
          <input
            id={sliderId}
            type="range"
            min={0}
            max={1}
            step={0.1}
            value={diversity}
            onChange={(e) => setDiversity(Number(e.target.value))}
            aria-valuetext={diversity === 0 ? 'most relevant first' : `${Math.round(diversity * 100)}% variety`}
          />
          <label>
            Aisle{' '}
            <select value={aisle} onChange={(e) => setAisle(e.target.value)}>
              <option value="">All</option>
              {catalog.aisles.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      <p className="muted small">
        Computed in this browser from what you do here{state.kind === 'ready' ? ` (${Math.round(state.ms)} ms)` : ''}.
        Items in your cart or already bought are left out.
      </p>
      <RecommendationList state={state} testId="for-you" />
    </section>
  );
}

/**
 * "Up next" from the sequential model: what the catalog's users went on to next after the shopper's recent items
 * (and `itemId`, the item on screen). Hidden on a product page the model does not cover.
 */
export function UpNext({ itemId, title }: { itemId?: string; title: string }) {
  const m = useModelState('sequential');
  const headingId = useId();
  if (m.phase === 'ready') return <UpNextList itemId={itemId} title={title} />;
  if (itemId) return null; // product pages show it only once it can answer
  return (
    <section aria-labelledby={headingId} className="up-next">
      <h2 id={headingId}>{title}</h2>
      <p className="muted" data-testid="up-next-state">
        {m.phase === 'training'
          ? `The Up next model is training on this device: ${m.message}`
          : m.phase === 'error' || m.phase === 'unavailable'
            ? `Up next is unavailable: ${m.message}`
            : 'Up next appears once its model is ready (train it from the Lab).'}
      </p>
    </section>
  );
}

function UpNextList({ itemId, title }: { itemId?: string | undefined; title: string }) {
  const state = useRecommendations({ slot: 'next', limit: 6, ...(itemId ? { itemId } : {}) });
  const headingId = useId();
  const empty = state.kind === 'ready' && state.items.length === 0;
  if (itemId && empty) return null;
  return (
    <section aria-labelledby={headingId} className="up-next">
      <h2 id={headingId}>{title}</h2>
      {empty ? (
        <p className="empty">Open or rate an item, and Up next shows what others went on to next after it.</p>
      ) : (
        <RecommendationList state={state} testId="up-next" />
      )}
    </section>
  );
}
