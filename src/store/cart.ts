/**
 * The cart is not stored: it is derived from the event log (adds minus removes minus purchases), so two tabs
 * that both change the cart can never overwrite each other, and a reload always shows what was recorded.
 */
import type { StoredEvent } from './schema';

export interface CartLine {
  itemId: string;
  quantity: number;
  /** When the item was first added (of the current run of additions). */
  addedAt: number;
}

/** Folds cart events (oldest first) into the current cart lines, in the order items were added. */
export function cartFromEvents(events: readonly StoredEvent[]): CartLine[] {
  const lines = new Map<string, CartLine>();
  for (const e of events) {
    if (!e.itemId) continue;
    const qty = e.value ?? 1;
    const line = lines.get(e.itemId);
    if (e.type === 'add-to-cart') {
      if (line) line.quantity += qty;
      else lines.set(e.itemId, { itemId: e.itemId, quantity: qty, addedAt: e.ts });
    } else if ((e.type === 'remove-from-cart' || e.type === 'purchase') && line) {
      line.quantity -= qty;
      if (line.quantity <= 0) lines.delete(e.itemId);
    }
  }
  return [...lines.values()];
}
