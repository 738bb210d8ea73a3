/** The cart (derived from recorded cart events): change quantities, remove, place the order. */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { formatPrice } from '../../catalog/price';
import { ProductImage } from '../components/ProductImage';
import { useApp } from '../context';
import { useCart, useTrack } from '../hooks';
import { notify } from '../notifications';

export function CartPage() {
  const { catalog } = useApp();
  const cart = useCart();
  const track = useTrack();
  const [busy, setBusy] = useState(false);
  const lines = cart.map((l) => ({ ...l, item: catalog.get(l.itemId) }));
  const total = lines.reduce((s, l) => s + (l.item?.price ? l.item.price.amount * l.quantity : 0), 0);
  const unpriced = lines.filter((l) => !l.item?.price).length;

  const checkout = async () => {
    setBusy(true);
    const results = await Promise.all(
      cart.map((l) => track({ type: 'purchase', itemId: l.itemId, value: l.quantity })),
    );
    setBusy(false);
    if (results.every(Boolean)) notify('Order placed. (A demo: nothing is charged or sent anywhere.)');
  };

  if (cart.length === 0)
    return (
      <div className="page">
        <h1>Your cart</h1>
        <p className="empty" data-testid="cart-empty">
          Your cart is empty. <Link to="/">Browse the aisles</Link>.
        </p>
      </div>
    );
  return (
    <div className="page">
      <h1>Your cart</h1>
      <ul className="cart" data-testid="cart-lines">
        {lines.map(({ itemId, quantity, item }) => (
          <li key={itemId} className="cart-line" data-item-id={itemId}>
            {item ? <ProductImage item={item} size={64} /> : <div className="pimg" />}
            <div className="grow">
              {item ? (
                <Link to={`/item/${encodeURIComponent(itemId)}`}>{item.title}</Link>
              ) : (
                <span>{itemId} (no longer in the catalog)</span>
              )}
              {item && formatPrice(item) && <span className="muted"> · {formatPrice(item)} each</span>}
            </div>
            <div className="row" role="group" aria-label={`Quantity of ${item?.title ?? itemId}`}>
              <button
                type="button"
                aria-label="One less"
                onClick={() => void track({ type: 'remove-from-cart', itemId, value: 1 })}
              >
                −
              </button>
              <span className="qty-view" data-testid="line-qty">
                {quantity}
              </span>
              <button
                type="button"
                aria-label="One more"
                onClick={() => void track({ type: 'add-to-cart', itemId, value: 1 })}
              >
                +
              </button>
              <button type="button" onClick={() => void track({ type: 'remove-from-cart', itemId, value: quantity })}>
                Remove
              </button>
            </div>
          </li>
        ))}
      </ul>
      <p className="total">
        Total: <strong>{new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(total)}</strong>
        {unpriced > 0 && (
          <span className="muted">
            {' '}
            ({unpriced} item{unpriced === 1 ? ' has' : 's have'} no price in the source data)
          </span>
        )}
      </p>
      <button type="button" className="primary" onClick={() => void checkout()} disabled={busy}>
        Place order
      </button>
    </div>
  );
}
