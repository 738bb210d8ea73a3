/**
 * What a catalog's data supports, each capability with why not where it is unavailable: decided by the data
 * (interactions, baskets, reviews, pictures, and the general models' training data in the data manifest) as the
 * feeds settle.
 */
import type { Catalog } from '../../catalog/catalog';
import { MODEL_TABLE } from '../model-table';
import type { HushCartStatus } from '../types';
import type { Feeds, Outcome } from './feeds';

type Capability = { available: boolean; loading?: boolean; reason?: string };
/** The capabilities a model of the model table provides. */
type ModelCapabilityName = 'matrix-factorisation' | 'sequential' | 'sentiment' | 'photo-search';

export function capabilitiesOf(catalog: Catalog, outcomes: Feeds['outcomes']): HushCartStatus['capabilities'] {
  const loading = { available: false, loading: true, reason: "still reading the catalog's data" };
  /** A capability decided by what a promise of its data settled to (loading until it settles). */
  const by = (p: Outcome, available: boolean, reason: string): Capability =>
    p.state === 'pending'
      ? loading
      : p.state === 'rejected'
        ? { available: false, reason: p.reason }
        : available
          ? { available: true }
          : { available: false, reason };
  const info = outcomes.interactions.value ?? [];
  const hasReviews = catalog.packs.some((p) => p.reviews?.length);
  // Each model's capabilities are available exactly when its data feed is (the model table says which).
  const fromModels = Object.fromEntries(
    MODEL_TABLE.flatMap((d) => d.provides.map((c) => [c, by(outcomes[d.feed], true, '')])),
  ) as Record<ModelCapabilityName, Capability>;
  return {
    ...fromModels,
    'item-space': { available: true },
    'item-knn': by(
      outcomes.interactions,
      info.some((i) => i.users > 0),
      'this catalog has no interactions (ratings, purchases or views)',
    ),
    'bought-together': by(
      outcomes.interactions,
      info.some((i) => i.baskets),
      'this catalog has no baskets (orders grouping the lines bought together)',
    ),
    'review-ranking': hasReviews ? fromModels.sentiment : { available: false, reason: 'this catalog has no reviews' },
    search: by(outcomes.search, true, ''),
    // Retrieval over the search index; answers about reviews need reviews, and sentiment when trained.
    assistant: by(outcomes.search, true, ''),
  };
}
