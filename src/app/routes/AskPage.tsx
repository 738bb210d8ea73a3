/**
 * The shopping assistant: a chat that answers from this catalog and its reviews, on this device. Each answer
 * shows the items it is about and the review sentences it quotes (with how they read); when it cannot answer it
 * says so. Asked on an item's page (`?item=`), "this" means that item.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import type { AskResponse } from '../../api/types';
import { useApp } from '../context';
import { ProductImage } from '../components/ProductImage';

interface Turn {
  id: number;
  question: string;
  itemId?: string;
  answer: AskResponse | null;
  error?: string;
}

/** Example questions for the demo store, and general ones for any catalog. */
const STORE_EXAMPLES = ['Something like Toy Story for a child', 'Office chairs under $200', 'Compare Heat and Casino'];
const ITEM_EXAMPLES = ['What do people like about it?', 'What are the complaints?', 'Show me more like this'];

export function AskPage() {
  const { api, catalog } = useApp();
  const [params, setParams] = useSearchParams();
  const contextId = params.get('item') ?? undefined;
  const context = contextId ? catalog.get(contextId) : undefined;
  const [turns, setTurns] = useState<Turn[]>([]);
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const next = useRef(1);
  const inputId = useId();
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'nearest' });
  }, [turns]);

  const ask = async (question: string) => {
    const q = question.trim();
    if (!q || busy) return;
    const id = next.current++;
    setTurns((t) => [...t, { id, question: q, ...(context ? { itemId: context.id } : {}), answer: null }]);
    setDraft('');
    setBusy(true);
    try {
      const answer = await api.ask(q, context ? { itemId: context.id } : {});
      setTurns((t) => t.map((x) => (x.id === id ? { ...x, answer } : x)));
    } catch (e) {
      setTurns((t) => t.map((x) => (x.id === id ? { ...x, error: e instanceof Error ? e.message : String(e) } : x)));
    } finally {
      setBusy(false);
    }
  };
  const examples = context ? ITEM_EXAMPLES : STORE_EXAMPLES;

  return (
    <div className="page ask-page">
      <h1>Ask the shop</h1>
      <p className="muted">
        Answers come from this catalog and its reviews, worked out on this device: your questions are never sent
        anywhere. It can find similar items, quote what reviews say, compare two items and find items in a price range,
        and it says when it does not know.
      </p>
      {context && (
        <p className="ask-context" data-testid="ask-context">
          Asking about <Link to={`/item/${encodeURIComponent(context.id)}`}>{context.title}</Link>{' '}
          <button type="button" className="chip" onClick={() => setParams({}, { replace: true })}>
            Ask about the whole shop instead
          </button>
        </p>
      )}
      <ol className="chat" aria-label="Conversation" aria-live="polite" data-testid="chat">
        {turns.length === 0 && (
          <li className="empty">
            Try:{' '}
            {examples.map((e) => (
              <button type="button" className="chip" key={e} onClick={() => void ask(e)}>
                {e}
              </button>
            ))}
          </li>
        )}
        {turns.map((t) => (
          <li key={t.id} className="turn" data-testid="turn">
            <p className="you">
              <span className="visually-hidden">You asked: </span>
              {t.question}
            </p>
            {t.error ? (
              <p className="error" role="alert">
                Could not answer: {t.error}
              </p>
            ) : t.answer ? (
              <Answer a={t.answer} />
            ) : (
              <p className="bot" aria-busy="true">
                Looking through the catalog…
              </p>
            )}
          </li>
        ))}
        <li ref={end} aria-hidden="true" />
      </ol>
      <form
        className="ask-form"
        onSubmit={(e) => {
          e.preventDefault();
          void ask(draft);
        }}
      >
        <label htmlFor={inputId}>Your question</label>
        <div className="row">
          <input
            id={inputId}
            className="grow"
            value={draft}
            maxLength={500}
            autoComplete="off"
            data-testid="ask-input"
            placeholder={context ? `e.g. what do people like about it?` : 'e.g. bookcases under $150'}
            onChange={(e) => setDraft(e.currentTarget.value)}
          />
          <button type="submit" className="primary" disabled={busy || !draft.trim()}>
            Ask
          </button>
        </div>
      </form>
    </div>
  );
}

function Answer({ a }: { a: AskResponse }) {
  const { catalog } = useApp();
  return (
    <div className={`bot ${a.known ? 'known' : 'unknown'}`} data-testid="answer" data-known={String(a.known)}>
      <p>
        <span className="visually-hidden">{a.known ? 'Answer: ' : 'The assistant does not know: '}</span>
        {a.answer}
      </p>
      {a.evidence.some((e) => e.kind === 'review') && (
        <ul className="evidence" aria-label="From the reviews">
          {a.evidence
            .filter((e) => e.kind === 'review')
            .map((e, k) => (
              <li key={k}>
                <blockquote>{e.text}</blockquote>
                {e.sentiment !== undefined && (
                  <span className={`card-sentiment ${e.sentiment > 0.5 ? 'positive' : 'negative'}`}>
                    reads {e.sentiment > 0.5 ? 'positive' : 'negative'} (
                    {Math.round(Math.max(e.sentiment, 1 - e.sentiment) * 100)}% confident)
                  </span>
                )}
              </li>
            ))}
        </ul>
      )}
      {a.items.length > 0 && (
        <ul className="answer-items">
          {a.items.map((id) => {
            const item = catalog.get(id);
            if (!item) return null;
            const fact = a.evidence.find((e) => e.kind === 'fact' && e.itemId === id);
            return (
              <li key={id}>
                <Link to={`/item/${encodeURIComponent(id)}`} className="answer-item">
                  <ProductImage item={item} size={56} />
                  <span>
                    <span className="card-title">{item.title}</span>
                    {fact?.text && <span className="card-facts">{fact.text}</span>}
                  </span>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
