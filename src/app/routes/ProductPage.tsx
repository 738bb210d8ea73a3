/**
 * A product: its picture and real facts (year and genres, class, review, category and price), add to cart,
 * and a 1-5 rating. Opening the page records a view.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { Item } from '../../api/types';
import { ProductImage } from '../components/ProductImage';
import { RecommendationList, UpNext, useRecommendations } from '../components/Recommendations';
import { formatPrice } from '../../catalog/price';
import { ScoredReview, WriteReview } from '../components/Sentiment';
import { MoreLikeThis } from '../components/MoreLikeThis';
import { useApp } from '../context';
import { useEvents, useTrack } from '../hooks';
import { notify } from '../notifications';
import { NotFoundPage } from './NotFoundPage';

function Facts({ item }: { item: Item }) {
  const { catalog } = useApp();
  const price = formatPrice(item);
  const reviews = catalog.reviews(item.id);
  return (
    <>
      <dl className="facts">
        {item.year !== undefined && (
          <>
            <dt>Year</dt>
            <dd>{item.year}</dd>
          </>
        )}
        {!item.category && item.tags?.length ? (
          <>
            <dt>Tags</dt>
            <dd>{item.tags.join(', ')}</dd>
          </>
        ) : null}
        {item.category && (
          <>
            <dt>Category</dt>
            <dd>
              {item.category}
              {item.tags?.length ? ` › ${item.tags.join(', ')}` : ''}
            </dd>
          </>
        )}
        {item.sku && (
          <>
            <dt>Product code</dt>
            <dd>{item.sku}</dd>
          </>
        )}
        {price && item.price && (
          <>
            <dt>Price</dt>
            <dd>
              <span className="price">{price}</span>
              {item.price.derived && <span className="muted small"> (derived: {item.price.derived})</span>}
            </dd>
          </>
        )}
      </dl>
      {reviews.length > 0 && (
        <section aria-labelledby="reviews-h" className="reviews">
          <h2 id="reviews-h">Customer review</h2>
          {reviews.map((r, k) => (
            <ScoredReview
              key={k}
              text={r.text}
              {...(r.label ? { sourceLabel: r.label === 'great' ? 'Rated 5 stars' : 'Rated below 5 stars' } : {})}
            />
          ))}
        </section>
      )}
    </>
  );
}

function AddToCart({ item }: { item: Item }) {
  const track = useTrack();
  const [qty, setQty] = useState(1);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const add = async () => {
    setBusy(true);
    const saved = await track({ type: 'add-to-cart', itemId: item.id, value: qty });
    setBusy(false);
    if (saved) notify(`Added ${qty} × ${item.title} to your cart`);
  };
  return (
    <div className="row">
      <label htmlFor={id}>Quantity</label>
      <input
        id={id}
        type="number"
        min={1}
        max={99}
        value={qty}
        onChange={(e) => setQty(Math.min(99, Math.max(1, Math.round(Number(e.target.value) || 1))))}
        className="qty"
      />
      <button type="button" className="primary" onClick={() => void add()} disabled={busy}>
        Add to cart
      </button>
    </div>
  );
}

function Rating({ item }: { item: Item }) {
  const track = useTrack();
  const events = useEvents(500);
  const mine = events.find((e) => e.type === 'rate' && e.itemId === item.id)?.value;
  return (
    <fieldset className="rating">
      <legend>Your rating{mine ? `: ${mine} of 5` : ''}</legend>
      {[1, 2, 3, 4, 5].map((v) => (
        <button
          key={v}
          type="button"
          aria-pressed={mine === v}
          aria-label={`Rate ${v} of 5`}
          className={mine !== undefined && v <= mine ? 'star on' : 'star'}
          onClick={() => void track({ type: 'rate', itemId: item.id, value: v })}
        >
          ★
        </button>
      ))}
    </fieldset>
  );
}

/** A titled row of recommendations for this product; hidden when the model has nothing to offer. */
function ItemSlot({ item, slot, title }: { item: Item; slot: 'similar' | 'fbt'; title: string }) {
  const state = useRecommendations({ slot, itemId: item.id, limit: 6 });
  const headingId = useId();
  if (state.kind === 'ready' && state.items.length === 0) return null;
  return (
    <section aria-labelledby={headingId} className="similar">
      <h2 id={headingId}>{title}</h2>
      <RecommendationList state={state} testId={slot} />
    </section>
  );
}

export function ProductPage() {
  const { itemId = '' } = useParams();
  const { catalog } = useApp();
  const track = useTrack();
  const item = catalog.get(itemId);
  const viewed = useRef<string | null>(null);
  useEffect(() => {
    if (!item || viewed.current === item.id) return;
    viewed.current = item.id;
    void track({ type: 'view', itemId: item.id });
  }, [item, track]);

  if (!item) return <NotFoundPage what={`product '${itemId}'`} />;
  const aisle = catalog.aisle(item.aisle);
  return (
    <div className="page product">
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link to="/">Home</Link> › <Link to={`/aisle/${item.aisle}`}>{aisle?.name ?? item.aisle}</Link>
      </nav>
      <div className="product-main">
        <ProductImage item={item} size={280} />
        <div className="product-info">
          <h1 data-testid="product-title">{item.title}</h1>
          <Facts item={item} />
          <AddToCart item={item} />
          <Rating item={item} />
          <p>
            <Link to={`/ask?item=${encodeURIComponent(item.id)}`} data-testid="ask-about">
              Ask about this item
            </Link>
          </p>
        </div>
      </div>
      {catalog.pictureOf(item.id) && <MoreLikeThis key={`more-${item.id}`} item={item} />}
      <WriteReview key={`review-${item.id}`} item={item} />
      <UpNext key={`next-${item.id}`} itemId={item.id} title="Up next after this" />
      <ItemSlot key={`fbt-${item.id}`} item={item} slot="fbt" title="Frequently bought together" />
      {/* Items with a picture get "More like this" above, from the same image model. */}
      {!catalog.pictureOf(item.id) && (
        <ItemSlot key={`similar-${item.id}`} item={item} slot="similar" title="Similar items" />
      )}
    </div>
  );
}
