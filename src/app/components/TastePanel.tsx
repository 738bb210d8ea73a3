/** "Your taste": the taste segments the on-device model found among the catalog's users, and which one is yours. */
import { useEffect, useState } from 'react';
import type { Taste } from '../../api/types';
import { useApp } from '../context';
import { useModelState } from '../hooks';

export function TastePanel() {
  const { api } = useApp();
  const model = useModelState();
  const [taste, setTaste] = useState<Taste | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ready = model.phase === 'ready';
  useEffect(() => {
    if (!ready) return;
    let alive = true;
    const refresh = () =>
      api.taste().then(
        (t) => alive && (setTaste(t), setError(null)),
        (e: unknown) => alive && setError(e instanceof Error ? e.message : String(e)),
      );
    void refresh();
    const unsub = api.subscribe(() => void refresh());
    return () => {
      alive = false;
      unsub();
    };
  }, [api, ready]);

  return (
    <section aria-labelledby="taste-h" className="panel" data-testid="taste">
      <h2 id="taste-h">Your taste</h2>
      <p className="muted">
        The recommender groups the catalog's {taste ? `${taste.segments.reduce((n, s) => n + s.size, 0)} ` : ''}users
        into taste segments (k-means over the user vectors it learned on this device) and places you by the items you
        liked here. Computed in this browser; never sent.
      </p>
      {!ready && <p>Waiting for the recommender: {model.message}</p>}
      {error && <p className="error">{error}</p>}
      {taste && (
        <>
          <p data-testid="taste-yours">
            {taste.yours === null
              ? 'Rate or open a few movies and your segment will show here.'
              : `You are closest to segment ${taste.yours + 1}, based on ${taste.basedOn} movie${taste.basedOn === 1 ? '' : 's'} you interacted with.`}
          </p>
          <ol className="segments">
            {taste.segments.map((s) => (
              <li key={s.id} className={s.id === taste.yours ? 'yours' : undefined}>
                <strong>Segment {s.id + 1}</strong> ({s.size} users){s.id === taste.yours ? ' — you' : ''}:{' '}
                {s.top.map((t) => `${t.tag} (×${t.lift.toFixed(2)})`).join(', ') || 'no genre stands out'}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
