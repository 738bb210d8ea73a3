/**
 * An aisle: every product in a virtualized grid (only the visible rows are in the DOM, so 10,000 items scroll
 * smoothly), with a category filter.
 */
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import { useApp } from '../context';
import { ProductCard } from '../components/ProductCard';
import { NotFoundPage } from './NotFoundPage';

const CARD_WIDTH = 168;
const GAP = 16;
const ROW_HEIGHT = 236;

function useColumns(ref: React.RefObject<HTMLElement | null>): number {
  const [cols, setCols] = useState(4);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setCols(Math.max(1, Math.floor((el.clientWidth + GAP) / (CARD_WIDTH + GAP))));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return cols;
}

export function AislePage() {
  const { aisleId = '' } = useParams();
  const { catalog } = useApp();
  const aisle = catalog.aisle(aisleId);
  const [params, setParams] = useSearchParams();
  const category = params.get('category') ?? '';
  const every = useMemo(() => (aisle ? catalog.itemsIn(aisle.id) : []), [aisle, catalog]);
  const items = useMemo(
    () => (category ? every.filter((i) => i.category === category || i.tags?.includes(category)) : every),
    [every, category],
  );
  const categories = useMemo(() => {
    const counts = new Map<string, number>();
    for (const it of every)
      for (const c of it.tags?.length ? it.tags : it.category ? [it.category] : [])
        counts.set(c, (counts.get(c) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1]);
  }, [every]);

  const grid = useRef<HTMLDivElement>(null);
  const cols = useColumns(grid);
  const rows = Math.ceil(items.length / cols);
  const virtualizer = useWindowVirtualizer({
    count: rows,
    estimateSize: () => ROW_HEIGHT,
    overscan: 3,
    scrollMargin: grid.current?.offsetTop ?? 0,
  });

  if (!aisle) return <NotFoundPage what={`aisle '${aisleId}'`} />;
  return (
    <div className="page">
      <div className="section-head">
        <h1>{aisle.name}</h1>
        <label className="filter">
          Category{' '}
          <select
            value={category}
            onChange={(e) => setParams(e.target.value ? { category: e.target.value } : {}, { replace: true })}
          >
            <option value="">All ({aisle.count.toLocaleString()})</option>
            {categories.map(([c, n]) => (
              <option key={c} value={c}>
                {c} ({n.toLocaleString()})
              </option>
            ))}
          </select>
        </label>
      </div>
      {aisle.description && <p className="muted">{aisle.description}</p>}
      <p className="muted" aria-live="polite" data-testid="aisle-count">
        {items.length.toLocaleString()} products
      </p>
      {items.length === 0 && <p className="empty">Nothing in this category.</p>}
      <div ref={grid} className="vgrid" style={{ height: virtualizer.getTotalSize() }} data-testid="aisle-grid">
        {virtualizer.getVirtualItems().map((row) => (
          <div
            key={row.key}
            className="vrow"
            style={{
              transform: `translateY(${row.start - virtualizer.options.scrollMargin}px)`,
              gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`,
            }}
          >
            {items.slice(row.index * cols, row.index * cols + cols).map((it) => (
              <ProductCard key={it.id} item={it} />
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
