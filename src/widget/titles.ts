/** What each kind of list is called and says when empty (the elements, and the frames' titles in isolated mode). */
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
