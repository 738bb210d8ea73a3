/**
 * The lists a shop can show (the API's slots, the widget's kinds, what a rule may name), as plain constants: the
 * widget's loader reads them without the schema library. Personal: for-you, next, recent (recently viewed); about
 * an item: similar, fbt; non-personal: trending, new (new arrivals).
 */
export const SLOTS = ['for-you', 'similar', 'fbt', 'next', 'trending', 'recent', 'new'] as const;
export type Slot = (typeof SLOTS)[number];

/** What fills a list that would be short, in a declared order (never random padding). */
export const FALLBACKS = ['popular', 'popular-category', 'trending', 'new'] as const;
export type Fallback = (typeof FALLBACKS)[number];
