/** A product in a grid: picture, title and the facts its aisle has. Opening it records a click. */
import { Link } from 'react-router-dom';
import type { Item } from '../../api/types';
import { useApp } from '../context';
import { useTrack } from '../hooks';
import { useItemSentiment } from '../item-sentiment';
import { ProductImage } from './ProductImage';
import { SentimentBadge } from './Sentiment';
import { formatPrice } from '../../catalog/price';

export function itemFacts(item: Item): string {
  const facts: string[] = [];
  if (item.year) facts.push(String(item.year));
  if (item.tags?.length) facts.push(item.tags.slice(0, 3).join(', '));
  else if (item.category) facts.push(item.category);
  return facts.join(' · ');
}

export function ProductCard({ item }: { item: Item }) {
  const track = useTrack();
  const { api, catalog } = useApp();
  const price = formatPrice(item);
  // Only items with a review carry a sentiment score.
  const sentiment = useItemSentiment(api, item.id, catalog.reviews(item.id).length > 0);
  return (
    <Link
      to={`/item/${encodeURIComponent(item.id)}`}
      className="card"
      data-item-id={item.id}
      onClick={() => void track({ type: 'click', itemId: item.id })}
    >
      <ProductImage item={item} size={120} />
      <span className="card-title">{item.title}</span>
      <span className="card-facts">{itemFacts(item)}</span>
      {price && <span className="card-price">{price}</span>}
      {sentiment !== null && <SentimentBadge score={sentiment} />}
    </Link>
  );
}
