/**
 * How much each kind of shopper event says about taste (low ratings and removals count against): the one table the
 * recommender and the shopper's interests list share.
 */
export function eventWeight(e: { type: string; itemId?: string; value?: number }): number {
  switch (e.type) {
    case 'purchase':
      return 4;
    case 'add-to-cart':
      return 2.5;
    case 'remove-from-cart':
      return -1.5;
    case 'rate':
      return ((e.value ?? 3) - 3) * 1.5; // 5 stars: +3; 1 star: -3
    case 'review':
      // value: P(positive) of the review's text; a glowing review +3, a scathing one -3 (like 5 and 1 stars).
      return e.value === undefined ? 0.5 : (e.value * 2 - 1) * 3;
    case 'click':
      return 1;
    case 'search':
      // A search result the shopper opened (a search with no item says nothing of an item).
      return e.itemId ? 1 : 0;
    case 'view':
      return 0.5;
    default:
      return 0;
  }
}
