/** Prices as shoppers read them: one formatter for the store, the widget and the assistant. */
import type { Item } from './schema';

/** An amount in a currency (the pack's ISO 4217 code), in `locale` (default US English, as the store shows it). */
export function formatMoney(amount: number, currency: string, locale = 'en-US'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount);
}

/** An item's price, or null when the pack gives none. */
export function formatPrice(item: Pick<Item, 'price'>, locale?: string): string | null {
  return item.price ? formatMoney(item.price.amount, item.price.currency, locale) : null;
}
