/**
 * Search: results as the shopper types (debounced), matched words marked, facets by aisle and category, the
 * query's intent as a chip that filters, "did you mean", and a personalised switch (off: the same order for
 * everyone). Queries the shopper settles on, and the results they open, are recorded as search events.
 */
import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import type { SearchHit, SearchResponse } from '../../api/types';
import { useApp } from '../context';
import { Highlighted } from '../components/Highlighted';
import { ProductImage } from '../components/ProductImage';
import { itemFacts } from '../components/ProductCard';
import { formatPrice } from '../../catalog/price';
import { useTrack } from '../hooks';
import { currentSearchParams } from '../search-params';

/** Results follow the typing after this pause. */
const DEBOUNCE_MS = 120;
/** A query still in the box this long is taken as searched, and recorded. */
const SETTLED_MS = 1500;

type State =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'done'; result: SearchResponse; ms: number }
  | { kind: 'error'; message: string };

const FIELD_LABEL: Record<string, string> = {
  category: 'Category',
  description: 'Description',
  reviews: 'Review',
};

export function SearchPage() {
  const { api, catalog } = useApp();
  const track = useTrack();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const aisle = params.get('aisle') ?? undefined;
  const category = params.get('category') ?? undefined;
  const personalised = params.get('personal') === '1';
  const [state, setState] = useState<State>({ kind: 'idle' });
  // The switch shows the shopper's click at once; the address (which the search follows) catches up in a transition.
  const [personalShown, setPersonalShown] = useState(personalised);
  useEffect(() => {
    setPersonalShown(personalised);
  }, [personalised]);
  const asked = useRef(0);
  const recorded = useRef('');

  useEffect(() => {
    if (!q.trim()) {
      setState({ kind: 'idle' });
      return;
    }
    const ticket = ++asked.current;
    setState((s) => (s.kind === 'done' ? s : { kind: 'loading' }));
    const timer = setTimeout(() => {
      const t0 = performance.now();
      api
        .search(q, {
          limit: 24,
          personalised,
          ...(aisle ? { aisle } : {}),
          ...(category ? { category } : {}),
        })
        .then(
          (result) => ticket === asked.current && setState({ kind: 'done', result, ms: performance.now() - t0 }),
          (e: unknown) =>
            ticket === asked.current &&
            setState({ kind: 'error', message: e instanceof Error ? e.message : String(e) }),
        );
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [api, q, aisle, category, personalised]);

  // A query left in the box is a search the shopper made: recorded once.
  useEffect(() => {
    const text = q.trim();
    if (!text || text === recorded.current) return;
    const timer = setTimeout(() => {
      recorded.current = text;
      void track({ type: 'search', text });
    }, SETTLED_MS);
    return () => clearTimeout(timer);
  }, [q, track]);

  const set = (changes: Record<string, string | null>) => {
    const next = currentSearchParams();
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    setParams(next, { replace: true });
  };
  const aisleName = (id: string) => catalog.aisle(id)?.name ?? id;

  return (
    <div className="page search-page">
      <h1>Search</h1>
      <div className="row">
        <label className="switch">
          <input
            type="checkbox"
            checked={personalShown}
            data-testid="personalised-switch"
            onChange={(e) => {
              const on = e.currentTarget.checked;
              setPersonalShown(on);
              set({ personal: on ? '1' : null });
            }}
          />{' '}
          Personalised: order by what you have viewed and liked (off: the same order for everyone)
        </label>
      </div>
      {state.kind === 'idle' && (
        <p className="empty">
          Type in the search box above to search {catalog.size.toLocaleString('en-US')} items by title, category,
          description and reviews. Typos are forgiven; nothing you type leaves this device.
        </p>
      )}
      {state.kind === 'loading' && (
        <p role="status" aria-busy="true">
          Searching… (a first search waits while this device indexes the catalog, a few seconds once)
        </p>
      )}
      {state.kind === 'error' && (
        <p className="error" role="alert">
          Search failed: {state.message}
        </p>
      )}
      {state.kind === 'done' && (
        <Results
          result={state.result}
          ms={state.ms}
          aisle={aisle}
          category={category}
          aisleName={aisleName}
          onFilter={set}
          onOpen={(hit) => void track({ type: 'search', text: q.trim(), itemId: hit.itemId })}
        />
      )}
    </div>
  );
}

function Results({
  result,
  ms,
  aisle,
  category,
  aisleName,
  onFilter,
  onOpen,
}: {
  result: SearchResponse;
  ms: number;
  aisle: string | undefined;
  category: string | undefined;
  aisleName: (id: string) => string;
  onFilter: (changes: Record<string, string | null>) => void;
  onOpen: (hit: SearchHit) => void;
}) {
  const { catalog } = useApp();
  const { intent, facets } = result;
  const filtered = !!(aisle || category);
  const intentApplied = intent && intent.aisle === aisle && (intent.category ?? undefined) === category;
  return (
    <>
      <p role="status" className="search-summary" data-testid="search-summary">
        {result.results.length
          ? `${result.total.toLocaleString('en-US')} ${result.total === 1 ? 'match' : 'matches'}`
          : 'No matches'}
        {result.corrected ? ` for “${result.corrected}”` : ''} ({Math.round(ms)} ms, on this device)
        {result.truncated ? '. Only the first 32 words were searched.' : ''}
      </p>
      {result.corrected && (
        <p className="did-you-mean" data-testid="did-you-mean">
          Your query as typed found little: showing results for <strong>{result.corrected}</strong>.
        </p>
      )}
      {!result.results.length && !result.total && (
        <p className="empty">
          {/[\p{L}\p{N}]/u.test(result.query)
            ? 'Nothing in this catalog matches. Try fewer words, or another spelling.'
            : 'There are no words to search for in that query: try letters or numbers.'}
        </p>
      )}
      <div className="search-filters">
        {intent && !intentApplied && (
          <button
            type="button"
            className="chip intent-chip"
            data-testid="intent-chip"
            onClick={() => onFilter({ aisle: intent.aisle, category: intent.category })}
          >
            Looking in {aisleName(intent.aisle)}
            {intent.category ? ` › ${intent.category}` : ''}?
          </button>
        )}
        {filtered && (
          <button type="button" className="chip" onClick={() => onFilter({ aisle: null, category: null })}>
            Clear filters ✕
          </button>
        )}
      </div>
      <div className="search-layout">
        {(facets.aisle.length > 1 || facets.category.length > 1 || filtered) && (
          <aside className="facets" aria-label="Filter results">
            <FacetGroup
              title="Aisle"
              values={facets.aisle.map((f) => ({ ...f, label: aisleName(f.value) }))}
              selected={aisle}
              onSelect={(v) => onFilter({ aisle: v, category: null })}
            />
            <FacetGroup
              title="Category"
              values={facets.category.map((f) => ({ ...f, label: f.value }))}
              selected={category}
              onSelect={(v) => onFilter({ category: v })}
            />
          </aside>
        )}
        <ol className="search-results" data-testid="search-results">
          {result.results.map((hit) => {
            const item = catalog.get(hit.itemId);
            if (!item) return null;
            const title = hit.highlights.find((h) => h.field === 'title');
            // The category line only when the title did not match (it would repeat what the facts line says).
            const other = hit.highlights
              .filter((h) => h.field !== 'title' && (h.field !== 'category' || !title))
              .slice(0, 2);
            const price = formatPrice(item);
            return (
              <li key={hit.itemId} className="search-hit" data-item-id={hit.itemId}>
                <ProductImage item={item} size={64} />
                <div className="grow">
                  <Link to={`/item/${encodeURIComponent(item.id)}`} onClick={() => onOpen(hit)} className="hit-title">
                    {title ? <Highlighted text={title.text} matches={title.matches} /> : item.title}
                  </Link>
                  <div className="card-facts">
                    {aisleName(item.aisle)} · {itemFacts(item)}
                    {price ? ` · ${price}` : ''}
                  </div>
                  {other.map((h) => (
                    <p key={h.field} className="hit-snippet">
                      <span className="muted">{FIELD_LABEL[h.field] ?? h.field}: </span>
                      <Highlighted text={h.text} matches={h.matches} />
                    </p>
                  ))}
                </div>
              </li>
            );
          })}
        </ol>
      </div>
    </>
  );
}

function FacetGroup({
  title,
  values,
  selected,
  onSelect,
}: {
  title: string;
  values: { value: string; label: string; count: number }[];
  selected: string | undefined;
  onSelect: (value: string | null) => void;
}) {
  if (!values.length) return null;
  return (
    <fieldset className="facet">
      <legend>{title}</legend>
      {values.map((v) => (
        <button
          type="button"
          key={v.value}
          aria-pressed={selected === v.value}
          onClick={() => onSelect(selected === v.value ? null : v.value)}
        >
          {v.label} <span className="muted">({v.count.toLocaleString('en-US')})</span>
        </button>
      ))}
    </fieldset>
  );
}
