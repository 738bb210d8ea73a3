/**
 * The widget's elements as one table: each tag and the attributes it reads, and what each kind of list is called and
 * says when empty. The elements (./elements.ts) and the isolated mode's frames (./isolated/) both read it, so an
 * attribute added here reaches an element in either mode.
 */
import { RECOMMEND_SLOTS } from '../api/types';

/** The element's kinds are the API's slots (a slot added there needs its empty state and title here: a Record). */
export const KINDS = RECOMMEND_SLOTS;
export type Kind = (typeof KINDS)[number];
export const EMPTY: Record<Kind, string> = {
  'for-you': 'Nothing to recommend yet: browse a few items first.',
  similar: 'No similar items found for this one.',
  fbt: 'Nothing has been bought together with this item yet.',
  next: 'Nothing to suggest next yet: browse a few items first.',
  trending: 'Nothing is trending in this shop yet.',
  recent: 'Nothing viewed yet.',
  new: 'No new arrivals.',
};
export const TITLES: Record<Kind, string> = {
  'for-you': 'Recommended for you',
  similar: 'Similar items',
  fbt: 'Frequently bought together',
  next: 'Up next',
  trending: 'Trending now',
  recent: 'Recently viewed',
  new: 'New arrivals',
};

/** Every element, by tag, with the attributes it observes (it renders again when one changes). */
export const ELEMENT_ATTRIBUTES = {
  'hushcart-recs': ['kind', 'item-id', 'limit', 'aisle', 'heading', 'category', 'min-price', 'max-price', 'rules'],
  'hushcart-search': ['limit', 'placeholder'],
  'hushcart-photo-search': ['limit'],
  'hushcart-privacy': [],
} as const satisfies Record<`hushcart-${string}`, readonly string[]>;
export type ElementTag = keyof typeof ELEMENT_ATTRIBUTES;
export const ELEMENT_TAGS = Object.keys(ELEMENT_ATTRIBUTES) as ElementTag[];

/**
 * What a list dispatches on its element when the shopper picks an item (in either mode): it bubbles out of the
 * shadow root, and the page may cancel it (otherwise the widget follows the item's link).
 */
export const selectEvent = (itemId: string, url: string | null): CustomEvent<{ itemId: string; url: string | null }> =>
  new CustomEvent('hushcart-select', { bubbles: true, composed: true, cancelable: true, detail: { itemId, url } });
