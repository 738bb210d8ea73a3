/**
 * Review sentiment in the store: a text with the words that drove the model's decision highlighted (each
 * token's share of the log-odds, from the model itself), the label with its confidence, and the form where a
 * shopper writes a review and sees it read live as they type.
 */
import { useEffect, useId, useState } from 'react';
import type { Item, Sentiment } from '../../api/types';
import { MAX_TEXT_LENGTH } from '../../store/events';
import { useApp } from '../context';
import { useModelState, useTrack } from '../hooks';
import { notify } from '../notifications';

/** Below this share of known words the score is shown as unreliable. */
const KNOWN_ENOUGH = 0.5;

export function SentimentLabel({ s }: { s: Sentiment }) {
  const confidence = s.label === 'positive' ? s.score : 1 - s.score;
  return (
    <span className={`sentiment-label ${s.label}`} data-testid="sentiment-label" data-label={s.label}>
      {s.label === 'positive' ? 'Reads positive' : 'Reads negative'} ({Math.round(confidence * 100)}% confident)
    </span>
  );
}

/** The text with each token tinted by its weight: green toward positive, red toward negative. */
export function HighlightedText({ s, limit = 4000 }: { s: Sentiment; limit?: number }) {
  const max = Math.max(1e-6, ...s.tokens.map((t) => Math.abs(t.weight)));
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const [k, t] of s.tokens.entries()) {
    if (t.start >= limit) break;
    if (t.start > at) parts.push(s.text.slice(at, t.start));
    const strength = Math.abs(t.weight) / max;
    const text = s.text.slice(t.start, t.end);
    if (strength < 0.08) parts.push(text);
    else
      parts.push(
        <mark
          key={k}
          className={t.weight > 0 ? 'pos' : 'neg'}
          style={{ '--w': strength.toFixed(2) } as React.CSSProperties}
          title={`${t.weight > 0 ? '+' : ''}${t.weight.toFixed(3)} log-odds`}
          data-weight={t.weight.toFixed(4)}
        >
          {text}
        </mark>,
      );
    at = t.end;
  }
  if (at < Math.min(limit, s.text.length)) parts.push(s.text.slice(at, Math.min(limit, s.text.length)));
  return (
    <p className="highlighted" data-testid="highlighted">
      {parts}
      {s.text.length > limit && (
        <span className="muted"> … ({(s.text.length - limit).toLocaleString()} more characters)</span>
      )}
    </p>
  );
}

function Caveats({ s }: { s: Sentiment }) {
  return (
    <>
      {s.tokens.length > 0 && s.known < KNOWN_ENOUGH && (
        <p className="muted small" data-testid="sentiment-unknown">
          The model knows only {Math.round(s.known * 100)}% of these words (it learned from English reviews), so this
          reading says little.
        </p>
      )}
      {s.truncated && <p className="muted small">Only the first 100,000 characters were read.</p>}
    </>
  );
}

/** The item's review(s) as the sentiment model reads them. Falls back to the plain text until the model is ready. */
export function ScoredReview({ text, sourceLabel }: { text: string; sourceLabel?: string }) {
  const { api } = useApp();
  const model = useModelState('sentiment');
  const [s, setS] = useState<Sentiment | null>(null);
  useEffect(() => {
    if (model.phase !== 'ready') return;
    let alive = true;
    api
      .sentiment(text)
      .then((r) => alive && setS(r))
      .catch((e: unknown) =>
        notify(`Could not read the review: ${e instanceof Error ? e.message : String(e)}`, 'error'),
      );
    return () => {
      alive = false;
    };
  }, [api, text, model.phase]);
  return (
    <blockquote className="review" data-testid="review">
      <p className="review-meta">
        {sourceLabel && <span className="review-label">{sourceLabel}</span>}{' '}
        {s ? (
          <SentimentLabel s={s} />
        ) : (
          <span className="muted small">
            {model.phase === 'training'
              ? 'The review reader is training on this device…'
              : model.phase === 'error'
                ? `The review reader failed: ${model.message}`
                : model.phase === 'unavailable'
                  ? `The review reader is unavailable: ${model.message}`
                  : model.phase === 'untrained'
                    ? 'The review reader is not trained yet (train it in the Lab).'
                    : 'Reading the review…'}
          </span>
        )}
      </p>
      {s ? (
        <>
          <HighlightedText s={s} />
          <Caveats s={s} />
        </>
      ) : (
        text.split(/<br\s*\/?>/i).map((line, j) => <p key={j}>{line}</p>)
      )}
    </blockquote>
  );
}

/** Debounced live reading of text being typed; null while empty or not ready. */
function useLiveSentiment(text: string, delayMs = 300): { s: Sentiment | null; error: string | null } {
  const { api } = useApp();
  const model = useModelState('sentiment');
  const [state, setState] = useState<{ s: Sentiment | null; error: string | null }>({ s: null, error: null });
  useEffect(() => {
    if (!text.trim() || model.phase !== 'ready') {
      setState({ s: null, error: null });
      return;
    }
    let alive = true;
    const t = setTimeout(() => {
      api
        .sentiment(text)
        .then((s) => alive && setState({ s, error: null }))
        .catch((e: unknown) => alive && setState({ s: null, error: e instanceof Error ? e.message : String(e) }));
    }, delayMs);
    return () => {
      alive = false;
      clearTimeout(t);
    };
  }, [api, text, delayMs, model.phase]);
  return state;
}

export function WriteReview({ item }: { item: Item }) {
  const model = useModelState('sentiment');
  const track = useTrack();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const live = useLiveSentiment(text);
  const id = useId();
  const tooLong = text.length > MAX_TEXT_LENGTH;
  const empty = !text.trim();
  const problem = tooLong
    ? `A review can be at most ${MAX_TEXT_LENGTH.toLocaleString()} characters (this one has ${text.length.toLocaleString()}).`
    : null;
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (empty || tooLong) return;
    setBusy(true);
    const saved = await track({ type: 'review', itemId: item.id, text });
    setBusy(false);
    if (!saved) return;
    const v = saved.value;
    notify(
      v === undefined
        ? 'Saved your review on this device.'
        : `Saved your review on this device. It reads ${v > 0.5 ? 'positive' : 'negative'}, so it counts as ${v > 0.5 ? 'liking' : 'disliking'} this product in your recommendations.`,
    );
    setText('');
  };
  return (
    <form className="panel write-review" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Write a review</h2>
      <label htmlFor={id} className="muted small">
        Read on this device as you type; the text is stored only here.
      </label>
      <textarea
        id={id}
        value={text}
        rows={4}
        onChange={(e) => setText(e.target.value)}
        placeholder="What did you think?"
        aria-describedby={`${id}-live`}
      />
      <div id={`${id}-live`} aria-live="polite" className="live-sentiment" data-testid="live-sentiment">
        {problem && <p className="error">{problem}</p>}
        {!problem && live.error && <p className="error">{live.error}</p>}
        {!problem && live.s && (
          <>
            <SentimentLabel s={live.s} />
            {live.s.tokens.length === 0 ? (
              <p className="muted small">No words to read yet.</p>
            ) : (
              <HighlightedText s={live.s} limit={1500} />
            )}
            <Caveats s={live.s} />
          </>
        )}
        {!problem && !live.s && !empty && model.phase !== 'ready' && (
          <p className="muted small">The review reader is {model.phase}: your review can still be saved.</p>
        )}
      </div>
      <button type="submit" className="primary" disabled={busy || empty || tooLong}>
        Save review
      </button>
    </form>
  );
}

/** A small badge for product cards: how positive the item's review reads. */
export function SentimentBadge({ score }: { score: number }) {
  const positive = score > 0.5;
  return (
    <span className={`card-sentiment ${positive ? 'positive' : 'negative'}`} title="Review read on this device">
      Review: {Math.round(score * 100)}% positive
    </span>
  );
}
